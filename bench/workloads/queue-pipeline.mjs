// Standalone: producer/consumer through Queue({ maxsize: 100 }), N items (default
// 1,000,000), 4 consumers; and an uncontended Lock acquire/release pair.
// Prints {"seconds": x, ...} as JSON. Needs `pnpm build` (imports packages/*/dist).
//   node bench/workloads/queue-pipeline.mjs [items] [--style=async|generator] [--lock]
const args = process.argv.slice(2);
const n = Number(args.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
const style = (args.find((a) => a.startsWith("--style=")) ?? "--style=async").slice(8);
const lockOnly = args.includes("--lock");

const { Queue, Lock } = await import(new URL("../../packages/sync/dist/index.js", import.meta.url).href);
const { run, createTask } = await import(new URL("../../packages/tasks/dist/index.js", import.meta.url).href);

const CONSUMERS = 4;

async function pipelineAsync() {
  const queue = new Queue({ maxsize: 100 });
  let sum = 0;
  const consumer = async () => {
    for (;;) {
      const item = await queue.get();
      if (item < 0) return;
      sum += item;
      queue.taskDone();
    }
  };
  const start = performance.now();
  const consumers = Array.from({ length: CONSUMERS }, () => createTask(consumer));
  for (let i = 0; i < n; i++) await queue.put(i);
  await queue.join();
  for (let i = 0; i < CONSUMERS; i++) await queue.put(-1);
  for (const c of consumers) await c;
  const seconds = (performance.now() - start) / 1000;
  if (sum !== (n * (n - 1)) / 2) throw new Error(`lost items: ${sum}`);
  return seconds;
}

function* pipelineGenerator() {
  const queue = new Queue({ maxsize: 100 });
  let sum = 0;
  function* consumer() {
    for (;;) {
      const item = yield* queue.get();
      if (item < 0) return;
      sum += item;
      queue.taskDone();
    }
  }
  const start = performance.now();
  const consumers = Array.from({ length: CONSUMERS }, () => createTask(consumer()));
  for (let i = 0; i < n; i++) yield* queue.put(i);
  yield* queue.join();
  for (let i = 0; i < CONSUMERS; i++) yield* queue.put(-1);
  for (const c of consumers) yield* c;
  const seconds = (performance.now() - start) / 1000;
  if (sum !== (n * (n - 1)) / 2) throw new Error(`lost items: ${sum}`);
  return seconds;
}

async function lockPairs() {
  const lock = new Lock();
  const pairs = n;
  const time = async (body) => {
    const start = performance.now();
    await body();
    return ((performance.now() - start) * 1e6) / pairs;
  };
  const asyncNs = await time(async () => {
    for (let i = 0; i < pairs; i++) {
      await lock.acquire();
      lock.release();
    }
  });
  const genTask = createTask(function* () {
    const start = performance.now();
    for (let i = 0; i < pairs; i++) {
      yield* lock.acquire();
      lock.release();
    }
    return ((performance.now() - start) * 1e6) / pairs;
  }());
  const generatorNs = await genTask;
  return { asyncNs, generatorNs };
}

if (lockOnly) {
  const { asyncNs, generatorNs } = await run(lockPairs);
  console.log(JSON.stringify({ seconds: (asyncNs * n) / 1e9, nsPerPairAsync: asyncNs, nsPerPairGenerator: generatorNs, pairs: n }));
} else {
  const seconds = style === "generator" ? await run(pipelineGenerator()) : await run(pipelineAsync);
  console.log(JSON.stringify({ seconds, items: n, consumers: CONSUMERS, style }));
}
