// Workload 1: spawn N tasks that each sleep(0) once, then await each one in
// turn, all inside one run(main). Times the whole run() call.
// Libraries are imported lazily so a baseline never loads asyncio-ts.
import { check, runWorkload, timed } from "../lib/child.mjs";

await runWorkload({
  /** asyncio-ts, generator coroutines: createTask(child()) with `yield* sleep(0)`. */
  async gen(n) {
    const { run, createTask, sleep } = await import("asyncio-ts");
    let woke = 0;
    function* child() {
      yield* sleep(0);
      woke++;
    }
    function* main() {
      const tasks = [];
      for (let i = 0; i < n; i++) tasks.push(createTask(child()));
      for (const t of tasks) yield* t;
    }
    const r = await timed(() => run(main()));
    check("tasks woken", woke, n);
    return r;
  },

  /** asyncio-ts, async coroutines: createTask(child) with `await sleep(0)`. */
  async async(n) {
    const { run, createTask, sleep } = await import("asyncio-ts");
    let woke = 0;
    async function child() {
      await sleep(0);
      woke++;
    }
    async function main() {
      const tasks = [];
      for (let i = 0; i < n; i++) tasks.push(createTask(child));
      for (const t of tasks) await t;
    }
    const r = await timed(() => run(main));
    check("tasks woken", woke, n);
    return r;
  },

  /** Baseline: N plain async functions that `await null`, awaited one by one. */
  async promise(n) {
    let woke = 0;
    async function child() {
      await null;
      woke++;
    }
    async function main() {
      const promises = [];
      for (let i = 0; i < n; i++) promises.push(child());
      for (const p of promises) await p;
    }
    const r = await timed(main);
    check("promises settled", woke, n);
    return r;
  },

  /** effection 4: spawn(child) with effection's `yield* sleep(0)` (a setTimeout). */
  async effection(n) {
    const { run, spawn, sleep } = await import("effection");
    let woke = 0;
    function* child() {
      yield* sleep(0);
      woke++;
    }
    const r = await timed(() =>
      run(function* main() {
        const tasks = [];
        for (let i = 0; i < n; i++) tasks.push(yield* spawn(child));
        for (const t of tasks) yield* t;
      }),
    );
    check("tasks woken", woke, n);
    return r;
  },
});
