// Issue 4, uncontended Lock: N acquire/release pairs in a row on a Lock no one
// else wants, inside one task. Times only the loop: per op = one pair.
// Twin: python/lock_pair.py. Libraries are imported lazily.
import { check, runWorkload } from "../lib/child.mjs";

await runWorkload({
  /** asyncio-ts, async style: `await lock.acquire(); lock.release()`. */
  async async(n) {
    const { run, Lock } = await import("asyncio-ts");
    return run(async () => {
      const lock = new Lock();
      let pairs = 0;
      const start = performance.now();
      for (let i = 0; i < n; i++) {
        await lock.acquire();
        pairs++;
        lock.release();
      }
      const seconds = (performance.now() - start) / 1000;
      check("pairs", pairs, n);
      check("lock free at the end", lock.locked(), false);
      return { seconds };
    });
  },

  /** asyncio-ts, generator style: `yield* lock.acquire(); lock.release()`. */
  async gen(n) {
    const { run, Lock } = await import("asyncio-ts");
    return run(
      (function* () {
        const lock = new Lock();
        let pairs = 0;
        const start = performance.now();
        for (let i = 0; i < n; i++) {
          yield* lock.acquire();
          pairs++;
          lock.release();
        }
        const seconds = (performance.now() - start) / 1000;
        check("pairs", pairs, n);
        check("lock free at the end", lock.locked(), false);
        return { seconds };
      })(),
    );
  },
});
