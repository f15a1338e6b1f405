import { describe, expect, expectTypeOf, it } from "vitest";
import { createTask, Future, sleep, Task, getRunningLoopFuture } from "./imports.js";
import { wait, FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED } from "@asyncio-ts/combinators";
import { cpython, en, runVirtual, Trace, ValueError } from "./helpers.js";

describe("wait: CPython trace", () => {
  for (const kind of ["async", "generator"] as const) {
    it(`returnWhen, timeout, errors, and a cancelled caller (${kind})`, async () => {
      const tr = new Trace();
      await runVirtual(async () => {
        tr.start("wait");
        const c = (d: number, fail = false) => async () => {
          await sleep(d);
          if (fail) throw new ValueError(String(d));
          return d;
        };
        const ts = [createTask(c(1)), createTask(c(2, true)), createTask(c(3))];
        let [d, p] = await wait(ts, { returnWhen: FIRST_COMPLETED });
        tr.P("FC", d.size, p.size, tr.T());
        [d, p] = await wait(ts, { returnWhen: FIRST_EXCEPTION });
        tr.P("FE", d.size, p.size, tr.T());
        [d, p] = await wait(ts, { timeout: 0.5 });
        tr.P("TO", d.size, p.size, tr.T(), ts.map((t) => t.cancelled()));
        [d, p] = await wait(ts);
        tr.P("AC", d.size, p.size, tr.T());
        ts[1].exception();
        try {
          await wait([]);
        } catch (e) {
          tr.P("empty", `ValueError('${(e as Error).message}')`);
        }
        try {
          await wait([c(1) as never]);
        } catch (e) {
          tr.P("coro", `TypeError('${(e as Error).message.split(" (")[0]}')`);
        }
        const t = createTask(c(5));
        let w: Task<unknown>;
        if (kind === "async") {
          w = createTask(async () => {
            await wait([t]);
          });
        } else {
          w = createTask(
            (function* () {
              yield* wait([t]);
            })(),
          );
        }
        await sleep(1);
        w.cancel();
        try {
          await w;
        } catch {
          tr.P("waiter cancelled", tr.T(), "t.cancelled", t.cancelled());
        }
        await t;
        tr.P("t done", tr.T());
      });
      expect(tr.toString()).toBe(cpython("wait"));
    });
  }
});

describe("wait: more cases", () => {
  it("returns the same objects, typed", async () => {
    await runVirtual(async () => {
      const a = createTask(async () => 1);
      const f = getRunningLoopFuture<string>();
      const result = wait([a, f], { timeout: 1 });
      expectTypeOf(result).toEqualTypeOf<Future<[done: Set<Task<number> | Future<string>>, pending: Set<Task<number> | Future<string>>]>>();
      const [done, pending] = await result;
      expect(done.size === 1 && done.has(a)).toBe(true);
      expect(pending.size === 1 && pending.has(f)).toBe(true);
      f.cancel();
    });
  });

  it("FIRST_EXCEPTION with no exception waits for all", async () => {
    await runVirtual(async () => {
      const ts = [createTask(() => sleep(1)), createTask(() => sleep(2))];
      const [done, pending] = await wait(ts, { returnWhen: FIRST_EXCEPTION });
      expect(done.size).toBe(2);
      expect(pending.size).toBe(0);
    });
  });

  it("FIRST_EXCEPTION counts a cancelled future as completion only at the end", async () => {
    await runVirtual(async () => {
      const a = createTask(() => sleep(1));
      const b = createTask(() => sleep(3));
      a.cancel();
      const [done, pending] = await wait([a, b], { returnWhen: FIRST_EXCEPTION });
      expect(done.size).toBe(2);
      expect(pending.size).toBe(0);
    });
  });

  it("already-done futures return at once (FIRST_COMPLETED) after one loop turn", async () => {
    await runVirtual(async () => {
      const f = getRunningLoopFuture<number>();
      f.setResult(1);
      const g = getRunningLoopFuture<number>();
      const [done, pending] = await wait([f, g], { returnWhen: FIRST_COMPLETED });
      expect(done.has(f) && pending.has(g)).toBe(true);
      g.cancel();
    });
  });

  it("duplicates count once", async () => {
    await runVirtual(async () => {
      const t = createTask(() => sleep(1));
      const [done] = await wait([t, t, t]);
      expect(done.size).toBe(1);
    });
  });

  it("misuse throws synchronously with a clear message", async () => {
    await runVirtual(async () => {
      const t = createTask(() => sleep(0));
      expect(() => wait(t as never)).toThrow(/iterable of futures/);
      expect(() => wait((async () => 1) as never)).toThrow(TypeError);
      expect(() => wait([])).toThrow(RangeError);
      expect(() => wait([t], { returnWhen: "SOMETIMES" as never })).toThrow(RangeError);
      expect(() => wait([(function* () {})() as never])).toThrow(/use tasks explicitly/);
      expect(() => wait([t], { timeout: Number.NaN })).toThrow(RangeError);
      await t;
      expect(ALL_COMPLETED).toBe("ALL_COMPLETED");
    });
  });

  it("the timeout timer is cancelled when the wait ends early", async () => {
    await runVirtual(async () => {
      const t = createTask(() => sleep(1));
      await wait([t], { timeout: 100 });
      const loop = t.getLoop();
      // Nothing is left armed: the next sleep(0) is one turn and time did not jump.
      await sleep(0);
      expect(loop.time()).toBe(1);
    });
  });

  it("works on generator and async caller alike with a foreign FutureLike", async () => {
    await runVirtual(function* () {
      const t = createTask(() => sleep(1, "x"));
      const [done] = yield* wait([t]);
      expect([...done][0].result()).toBe("x");
      void en;
    });
  });
});
