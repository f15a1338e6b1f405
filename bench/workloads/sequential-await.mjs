// Workload 2: N sequential awaits of a trivial coroutine inside one task.
// Times only the await loop (inside main), not loop start-up.
// Libraries are imported lazily so a baseline never loads asyncio-ts.
import { check, runWorkload } from "../lib/child.mjs";

async function trivialAsync() {
  return 1;
}
function* trivialGen() {
  return 1;
}

/** Runs `loop()` (which returns the sum of the awaited values) and times it. */
async function timeLoop(n, loop) {
  const start = performance.now();
  const sum = await loop();
  const seconds = (performance.now() - start) / 1000;
  check("sum of awaited values", sum, n);
  return { seconds };
}

await runWorkload({
  /** asyncio-ts task, async style: `await trivial()` of a plain async function. */
  async async(n) {
    const { run } = await import("asyncio-ts");
    return run(() =>
      timeLoop(n, async () => {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += await trivialAsync();
        return sum;
      }),
    );
  },

  /** asyncio-ts task, async style: `await fut` of an already-done Future. */
  async "async-future"(n) {
    const { run, Future } = await import("asyncio-ts");
    return run(async () => {
      const fut = new Future();
      fut.setResult(1);
      return timeLoop(n, async () => {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += await fut;
        return sum;
      });
    });
  },

  /** asyncio-ts task, generator style: `yield* trivial()` of a function* that returns a value. */
  async gen(n) {
    const { run } = await import("asyncio-ts");
    let result;
    await run(
      (function* main() {
        const start = performance.now();
        let sum = 0;
        for (let i = 0; i < n; i++) sum += yield* trivialGen();
        result = { seconds: (performance.now() - start) / 1000 };
        check("sum of awaited values", sum, n);
      })(),
    );
    return result;
  },

  /** asyncio-ts task, generator style: `yield* fut` of an already-done Future. */
  async "gen-future"(n) {
    const { run, Future } = await import("asyncio-ts");
    let result;
    await run(
      (function* main() {
        const fut = new Future();
        fut.setResult(1);
        const start = performance.now();
        let sum = 0;
        for (let i = 0; i < n; i++) sum += yield* fut;
        result = { seconds: (performance.now() - start) / 1000 };
        check("sum of awaited values", sum, n);
      })(),
    );
    return result;
  },

  /** Baseline: plain Node, `await trivial()` in an async function, no library loaded. */
  async plain(n) {
    return timeLoop(n, async () => {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += await trivialAsync();
      return sum;
    });
  },

  /** Baseline: plain Node, `await p` of an already-resolved Promise. */
  async "plain-resolved"(n) {
    const p = Promise.resolve(1);
    return timeLoop(n, async () => {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += await p;
      return sum;
    });
  },

  /** effection 4: `yield* trivial()` inside effection's run(). */
  async effection(n) {
    const { run } = await import("effection");
    let result;
    await run(function* main() {
      const start = performance.now();
      let sum = 0;
      for (let i = 0; i < n; i++) sum += yield* trivialGen();
      result = { seconds: (performance.now() - start) / 1000 };
      check("sum of awaited values", sum, n);
    });
    return result;
  },
});
