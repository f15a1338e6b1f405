// Issue 7, thread bridge (@asyncio-ts/threads): CPU-bound tasks moved off the loop.
//   node workloads/threads-cpu.mjs <impl> <n>       one JSON line on stdout
// impl: sequential   n CPU tasks one after the other on the main thread
//       ours         n CPU tasks with toThread() on the default executor
//                    (os.availableParallelism() workers), all submitted at once
//       noop         n no-op toThread() calls submitted at once: per-call overhead
//       noop-serial  n no-op toThread() calls awaited one by one: round-trip latency
//       piscina      n CPU tasks with Piscina 5.3.2 (same worker file, same task,
//                    maxThreads = os.availableParallelism()), all submitted at once
//       piscina-noop n no-op Piscina calls (the same module's noop) submitted at once
// Imports the built packages (packages/*/dist): build first.
import { availableParallelism } from "node:os";
import { check, runWorkload, timed } from "../lib/child.mjs";

const TASK = new URL("./threads-cpu-task.mjs", import.meta.url);
const tasksDist = new URL("../../packages/tasks/dist/index.js", import.meta.url).href;
const threadsDist = new URL("../../packages/threads/dist/index.js", import.meta.url).href;

/**
 * A Piscina pool on the same worker file as `ours`, one thread per core (all
 * started up front: Piscina starts minThreads eagerly, and would otherwise
 * start only half of them). Its construction and destroy() are inside the
 * timing, as our pool's start and shutdown (in run()) are.
 */
async function piscinaPool() {
  const { Piscina } = await import("piscina");
  const threads = availableParallelism();
  return { threads, make: () => new Piscina({ filename: TASK.href, minThreads: threads, maxThreads: threads }) };
}

async function libraries() {
  const tasks = await import(tasksDist);
  const threads = await import(threadsDist);
  return { ...tasks, ...threads };
}

function perCall(result, n) {
  return { ...result, microsecondsPerCall: (result.seconds * 1e6) / n, workers: availableParallelism() };
}

await runWorkload({
  async sequential(n) {
    const { hash } = await import(TASK.href);
    let sum = 0;
    const r = await timed(() => {
      for (let i = 0; i < n; i++) sum += hash(i);
    });
    check("sum is a number", Number.isInteger(sum), true);
    return { ...r, tasksPerSecond: n / r.seconds };
  },

  async ours(n) {
    const { run, toThread, moduleFunction } = await libraries();
    const hash = moduleFunction(TASK, "hash");
    // The timing includes starting the pool's workers (they start lazily), as
    // CPython's to_thread timing includes starting its threads.
    let done = 0;
    let sum = 0;
    const r = await timed(() =>
      run(async () => {
        const futures = [];
        for (let i = 0; i < n; i++) futures.push(toThread(hash, i));
        for (const f of futures) {
          sum += await f;
          done++;
        }
      }),
    );
    check("tasks done", done, n);
    check("every result a digest byte", Number.isInteger(sum) && sum >= 0 && sum <= 255 * n, true);
    return { ...r, tasksPerSecond: n / r.seconds, workers: availableParallelism() };
  },

  async piscina(n) {
    const { threads, make } = await piscinaPool();
    let done = 0;
    let sum = 0;
    let maxThreads = 0;
    const r = await timed(async () => {
      const pool = make();
      maxThreads = pool.options.maxThreads;
      const promises = [];
      for (let i = 0; i < n; i++) promises.push(pool.run(i, { name: "hash" }));
      for (const p of promises) {
        sum += await p;
        done++;
      }
      await pool.destroy();
    });
    check("tasks done", done, n);
    check("every result a digest byte", Number.isInteger(sum) && sum >= 0 && sum <= 255 * n, true);
    return { ...r, tasksPerSecond: n / r.seconds, workers: threads, maxThreads };
  },

  async "piscina-noop"(n) {
    const { threads, make } = await piscinaPool();
    let done = 0;
    let maxThreads = 0;
    const r = await timed(async () => {
      const pool = make();
      maxThreads = pool.options.maxThreads;
      const promises = [];
      for (let i = 0; i < n; i++) promises.push(pool.run(null, { name: "noop" }));
      for (const p of promises) {
        await p;
        done++;
      }
      await pool.destroy();
    });
    check("calls done", done, n);
    return { ...perCall(r, n), workers: threads, maxThreads };
  },

  async noop(n) {
    const { run, toThread } = await libraries();
    let done = 0;
    const r = await timed(() =>
      run(async () => {
        const futures = [];
        for (let i = 0; i < n; i++) futures.push(toThread(() => undefined));
        for (const f of futures) {
          await f;
          done++;
        }
      }),
    );
    check("calls done", done, n);
    return perCall(r, n);
  },

  async "noop-serial"(n) {
    const { run, toThread } = await libraries();
    let done = 0;
    const r = await timed(() =>
      run(async () => {
        for (let i = 0; i < n; i++) {
          await toThread(() => undefined);
          done++;
        }
      }),
    );
    check("calls done", done, n);
    return perCall(r, n);
  },
});
