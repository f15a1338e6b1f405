// Issue 3, gather: N children that each sleep a pseudo-random 0-10 ms (the
// same delays in every implementation, and in python/gather_sleep.py), all
// awaited together. Times the whole run; each child also measures how late
// it woke (time actually slept minus the delay asked for), and the child
// reports the mean as `latenessMs`.
// Libraries are imported lazily so a baseline never loads asyncio-ts.
import { check, runWorkload, timed } from "../lib/child.mjs";

/** Delay of child i in ms: a multiplicative hash of i spread over [0, 10). */
export function delayMs(i) {
  return ((Math.imul(i, 2654435761 | 0) >>> 0) / 2 ** 32) * 10;
}

/** Sum of 0..n-1: what the children's results must add up to. */
const triangle = (n) => (n * (n - 1)) / 2;

function finish(r, n, woke, lateMs, sum) {
  check("children woken", woke, n);
  check("sum of gathered results", sum, triangle(n));
  return { ...r, latenessMs: lateMs / n };
}

await runWorkload({
  /** asyncio-ts: gather() of N generator coroutines that `yield* sleep(d)`. */
  async gen(n) {
    const { run, gather, sleep } = await import("asyncio-ts");
    let woke = 0;
    let late = 0;
    let sum = 0;
    function* child(i) {
      const d = delayMs(i);
      const t0 = performance.now();
      yield* sleep(d / 1000);
      late += performance.now() - t0 - d;
      woke++;
      return i;
    }
    function* main() {
      const children = new Array(n);
      for (let i = 0; i < n; i++) children[i] = child(i);
      const results = yield* gather(children);
      for (const x of results) sum += x;
    }
    return finish(await timed(() => run(main())), n, woke, late, sum);
  },

  /** asyncio-ts: gather() of N async functions (passed uncalled) that `await sleep(d)`. */
  async async(n) {
    const { run, gather, sleep } = await import("asyncio-ts");
    let woke = 0;
    let late = 0;
    let sum = 0;
    async function child(i) {
      const d = delayMs(i);
      const t0 = performance.now();
      await sleep(d / 1000);
      late += performance.now() - t0 - d;
      woke++;
      return i;
    }
    async function main() {
      const children = new Array(n);
      for (let i = 0; i < n; i++) children[i] = () => child(i);
      const results = await gather(children);
      for (const x of results) sum += x;
    }
    return finish(await timed(() => run(main)), n, woke, late, sum);
  },

  /** Baseline: Promise.all of N async functions, each awaiting its own setTimeout promise. */
  async promise(n) {
    let woke = 0;
    let late = 0;
    let sum = 0;
    async function child(i) {
      const d = delayMs(i);
      const t0 = performance.now();
      await new Promise((resolve) => setTimeout(resolve, d));
      late += performance.now() - t0 - d;
      woke++;
      return i;
    }
    async function main() {
      const children = new Array(n);
      for (let i = 0; i < n; i++) children[i] = child(i);
      for (const x of await Promise.all(children)) sum += x;
    }
    return finish(await timed(main), n, woke, late, sum);
  },

  /** Floor: N raw setTimeout callbacks and a counter; no promise per child. */
  async callbacks(n) {
    let woke = 0;
    let late = 0;
    let sum = 0;
    const r = await timed(
      () =>
        new Promise((resolve) => {
          for (let i = 0; i < n; i++) {
            const d = delayMs(i);
            const t0 = performance.now();
            setTimeout(() => {
              late += performance.now() - t0 - d;
              sum += i;
              if (++woke === n) resolve();
            }, d);
          }
        }),
    );
    return finish(r, n, woke, late, sum);
  },
});
