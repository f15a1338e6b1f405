// Workload 3: create N tasks that sleep an hour, let them all start, cancel
// them all, and wait for all of them to finish. Times the whole run() call.
// Libraries are imported lazily so a baseline never loads asyncio-ts.
import { check, runWorkload, timed } from "../lib/child.mjs";

const HOUR = 3600;

await runWorkload({
  /** asyncio-ts, generator coroutines. */
  async gen(n) {
    const { run, createTask, sleep, CancelledError } = await import("asyncio-ts");
    let cancelled = 0;
    function* sleeper() {
      yield* sleep(HOUR);
    }
    function* main() {
      const tasks = [];
      for (let i = 0; i < n; i++) tasks.push(createTask(sleeper()));
      yield* sleep(0); // every task reaches its sleep
      for (const t of tasks) t.cancel();
      for (const t of tasks) {
        try {
          yield* t;
        } catch (e) {
          if (!(e instanceof CancelledError)) throw e;
          cancelled++;
        }
      }
    }
    const r = await timed(() => run(main()));
    check("tasks cancelled", cancelled, n);
    return r;
  },

  /** asyncio-ts, async coroutines. */
  async async(n) {
    const { run, createTask, sleep, CancelledError } = await import("asyncio-ts");
    let cancelled = 0;
    async function sleeper() {
      await sleep(HOUR);
    }
    async function main() {
      const tasks = [];
      for (let i = 0; i < n; i++) tasks.push(createTask(sleeper));
      await sleep(0); // every task reaches its sleep
      for (const t of tasks) t.cancel();
      for (const t of tasks) {
        try {
          await t;
        } catch (e) {
          if (!(e instanceof CancelledError)) throw e;
          cancelled++;
        }
      }
    }
    const r = await timed(() => run(main));
    check("tasks cancelled", cancelled, n);
    return r;
  },

  /** Baseline: N promises, each a setTimeout(1 h) stopped by its own AbortController. */
  async abort(n) {
    let cancelled = 0;
    function abortableSleep(ms, signal) {
      return new Promise((resolve, reject) => {
        const id = setTimeout(resolve, ms);
        signal.addEventListener(
          "abort",
          () => {
            clearTimeout(id);
            reject(signal.reason);
          },
          { once: true },
        );
      });
    }
    async function main() {
      const controllers = [];
      const promises = [];
      for (let i = 0; i < n; i++) {
        const ac = new AbortController();
        controllers.push(ac);
        promises.push(abortableSleep(HOUR * 1000, ac.signal));
      }
      for (const ac of controllers) ac.abort();
      for (const p of promises) {
        try {
          await p;
        } catch (e) {
          if (e?.name !== "AbortError") throw e;
          cancelled++;
        }
      }
    }
    const r = await timed(main);
    check("promises aborted", cancelled, n);
    return r;
  },
});
