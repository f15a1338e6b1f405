// Workload 4: memory per pending task. Creates N tasks that sleep an hour,
// lets each reach its sleep, and reports (RSS after - RSS before) / N, with a
// full GC before each reading (needs `node --expose-gc`). heapBytes is the
// same delta of V8's heapUsed: exact object sizes, without allocator slack.
// bench/run.mjs adds --max-semi-space-size=1: with the default young
// generation, its growth and shrinking moved RSS by ~25 MB between runs
// (±250 B per task at N = 100,000); with 1 MB, RSS tracks heapUsed.
// "bare-*" hold N suspended coroutines of the same shape with no library at
// all: the coroutine's own cost, to subtract from the task figures.
import { runWorkload } from "../lib/child.mjs";

const HOUR = 3600;

if (typeof globalThis.gc !== "function") {
  console.error("memory-pending.mjs needs node --expose-gc");
  process.exit(2);
}

function snapshot() {
  globalThis.gc();
  globalThis.gc();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
}

function perItem(before, after, n, held) {
  if (held.length !== n) throw new Error(`sanity check failed: held ${held.length} items, expected ${n}`);
  return { bytes: (after.rss - before.rss) / n, heapBytes: (after.heapUsed - before.heapUsed) / n };
}

/** Writes the result and exits at once: the hour-long sleepers would otherwise keep the process alive. */
async function reportAndExit(result) {
  const { impl, n } = { impl: process.argv[2], n: Number(process.argv[3]) };
  process.stdout.write(JSON.stringify({ impl, n, ...result }) + "\n", () => process.exit(0));
  await new Promise(() => {});
}

// A suspended generator of the same shape as a task's `function* () { yield* sleep(HOUR) }`,
// parked in a `yield*` of a shared iterator, so that nothing but the generator is allocated.
const PENDING = Object.freeze({ value: undefined, done: false });
const PARKED_ITERATOR = { next: () => PENDING, [Symbol.iterator]() { return this; } };
function* bareSleeper() {
  yield* PARKED_ITERATOR;
}
// An async function of the same shape as `async () => { await sleep(HOUR) }`, parked on a
// promise that never settles (each await adds one reaction to it).
const NEVER = new Promise(() => {});
async function bareAsyncSleeper() {
  await NEVER;
}

await runWorkload({
  /** asyncio-ts generator tasks, each parked in `yield* sleep(3600)`. */
  async gen(n) {
    const { run, createTask, sleep } = await import("asyncio-ts");
    function* sleeper() {
      yield* sleep(HOUR);
    }
    return reportAndExit(
      await run(
        (function* main() {
          const before = snapshot();
          const tasks = new Array(n);
          for (let i = 0; i < n; i++) tasks[i] = createTask(sleeper());
          yield* sleep(0); // every task reaches its sleep
          return perItem(before, snapshot(), n, tasks);
        })(),
      ),
    );
  },

  /** asyncio-ts async tasks, each parked in `await sleep(3600)`. */
  async async(n) {
    const { run, createTask, sleep } = await import("asyncio-ts");
    async function sleeper() {
      await sleep(HOUR);
    }
    return reportAndExit(
      await run(async () => {
        const before = snapshot();
        const tasks = new Array(n);
        for (let i = 0; i < n; i++) tasks[i] = createTask(sleeper);
        await sleep(0); // every task reaches its sleep
        return perItem(before, snapshot(), n, tasks);
      }),
    );
  },

  /** No library: N generator objects suspended in a `yield*`. */
  async "bare-gen"(n) {
    const before = snapshot();
    const gens = new Array(n);
    for (let i = 0; i < n; i++) {
      gens[i] = bareSleeper();
      gens[i].next();
    }
    return reportAndExit(perItem(before, snapshot(), n, gens));
  },

  /** No library: N async function calls suspended in an `await`. */
  async "bare-async"(n) {
    const before = snapshot();
    const promises = new Array(n);
    for (let i = 0; i < n; i++) promises[i] = bareAsyncSleeper();
    return reportAndExit(perItem(before, snapshot(), n, promises));
  },
});
