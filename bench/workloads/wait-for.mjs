// Issue 3, waitFor: N quick awaits in a row inside one task, each wrapped in
// waitFor(..., 60) whose timeout never fires, against the same N awaits
// bare. The awaited coroutine suspends once (sleep(0)) and returns 1, so each
// waitFor really arms its timeout, waits, and disarms it. Times only the
// loop; the suite derives waitFor's overhead per call as (with - bare) / N.
// Libraries are imported lazily.
import { check, runWorkload } from "../lib/child.mjs";

const TIMEOUT = 60; // seconds: never reached

async function timeLoop(n, loop) {
  const start = performance.now();
  const sum = await loop();
  const seconds = (performance.now() - start) / 1000;
  check("sum of awaited values", sum, n);
  return { seconds };
}

function* timeLoopGen(n, loop) {
  const start = performance.now();
  const sum = yield* loop();
  const seconds = (performance.now() - start) / 1000;
  check("sum of awaited values", sum, n);
  return { seconds };
}

await runWorkload({
  /** asyncio-ts, async style: `await quick()`. */
  async "async-bare"(n) {
    const { run, sleep } = await import("asyncio-ts");
    const quick = async () => {
      await sleep(0);
      return 1;
    };
    return run(() =>
      timeLoop(n, async () => {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += await quick();
        return sum;
      }),
    );
  },

  /** asyncio-ts, async style: `await waitFor(quick, 60)` (the coroutine runs in the caller's task). */
  async "async-waitfor"(n) {
    const { run, sleep, waitFor } = await import("asyncio-ts");
    const quick = async () => {
      await sleep(0);
      return 1;
    };
    return run(() =>
      timeLoop(n, async () => {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += await waitFor(quick, TIMEOUT);
        return sum;
      }),
    );
  },

  /** asyncio-ts, generator style: `yield* quick()`. */
  async "gen-bare"(n) {
    const { run, sleep } = await import("asyncio-ts");
    function* quick() {
      yield* sleep(0);
      return 1;
    }
    return run(
      timeLoopGen(n, function* () {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += yield* quick();
        return sum;
      }),
    );
  },

  /** asyncio-ts, generator style: `yield* waitFor(quick(), 60)`. */
  async "gen-waitfor"(n) {
    const { run, sleep, waitFor } = await import("asyncio-ts");
    function* quick() {
      yield* sleep(0);
      return 1;
    }
    return run(
      timeLoopGen(n, function* () {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += yield* waitFor(quick(), TIMEOUT);
        return sum;
      }),
    );
  },
});
