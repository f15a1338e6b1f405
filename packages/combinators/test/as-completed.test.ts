import { describe, expect, expectTypeOf, it } from "vitest";
import { CancelledError, createTask, Future, sleep, getRunningLoopFuture } from "./imports.js";
import { asCompleted, TimeoutError } from "@asyncio-ts/combinators";
import { cpython, runVirtual, Trace } from "./helpers.js";

describe("asCompleted: CPython trace", () => {
  it("plain iteration gives results in completion order; the timeout raises", async () => {
    const tr = new Trace();
    await runVirtual(async () => {
      tr.start("ascompleted");
      const c = (d: number) => async () => {
        await sleep(d);
        return d;
      };
      for (const f of asCompleted([c(3), c(1), c(2)])) tr.P("plain", await f, tr.T());
      try {
        for (const f of asCompleted([c(1), c(5)], { timeout: 2 })) tr.P("to", await f, tr.T());
      } catch (e) {
        if (!(e instanceof TimeoutError)) throw e;
        tr.P("as timeout", tr.T());
      }
    });
    expect(tr.toString()).toBe(cpython("ascompleted"));
  });

  it("the same with generator coroutines", async () => {
    const tr = new Trace();
    await runVirtual(function* () {
      tr.start("ascompleted");
      function* c(d: number): Generator<unknown, number, unknown> {
        yield* sleep(d);
        return d;
      }
      for (const f of asCompleted([c(3), c(1), c(2)])) tr.P("plain", yield* f, tr.T());
      try {
        for (const f of asCompleted([c(1), c(5)], { timeout: 2 })) tr.P("to", yield* f, tr.T());
      } catch (e) {
        if (!(e instanceof TimeoutError)) throw e;
        tr.P("as timeout", tr.T());
      }
    });
    expect(tr.toString()).toBe(cpython("ascompleted"));
  });
});

describe("asCompleted: more cases", () => {
  it("for await gives the original tasks and futures as they finish (3.13)", async () => {
    await runVirtual(async () => {
      const a = createTask(() => sleep(2, "a"));
      const b = createTask(() => sleep(1, "b"));
      const f = getRunningLoopFuture<string>();
      f.getLoop().callLater(3, () => f.setResult("f"));
      const seen: unknown[] = [];
      for await (const done of asCompleted([a, b, f])) {
        expectTypeOf(done).toEqualTypeOf<Future<string>>();
        seen.push(done);
      }
      expect(seen.length).toBe(3);
      expect(seen[0]).toBe(b);
      expect(seen[1]).toBe(a);
      expect(seen[2]).toBe(f);
    });
  });

  it("for await over coroutines gives the tasks made for them; the timeout raises there", async () => {
    await runVirtual(async () => {
      const out: string[] = [];
      try {
        for await (const t of asCompleted([() => sleep(1, "x"), () => sleep(9, "y")], { timeout: 2 })) out.push(await t);
      } catch (e) {
        out.push((e as Error).name);
      }
      expect(out).toEqual(["x", "TimeoutError"]);
    });
  });

  it("errors come out of the awaitable of the input that failed; the others still arrive", async () => {
    await runVirtual(async () => {
      const out: string[] = [];
      for (const f of asCompleted([
        async () => {
          await sleep(1);
          throw new Error("one");
        },
        () => sleep(2, "two"),
      ])) {
        try {
          out.push(await f);
        } catch (e) {
          out.push(`error ${(e as Error).message}`);
        }
      }
      expect(out).toEqual(["error one", "two"]);
    });
  });

  it("duplicates are one input; empty input iterates nothing", async () => {
    await runVirtual(async () => {
      const t = createTask(() => sleep(1, 1));
      expect([...asCompleted([t, t])].length).toBe(1);
      expect([...asCompleted([])].length).toBe(0);
      await t;
    });
  });

  it("cancelling a wait for the next item leaves the inputs running and passes the item on", async () => {
    await runVirtual(async () => {
      const t = createTask(() => sleep(2, "t"));
      const it = asCompleted([t])[Symbol.iterator]();
      const first = it.next().value as Future<string>;
      const waiter = createTask(async () => await first);
      await sleep(1);
      waiter.cancel();
      await expect(waiter).rejects.toBeInstanceOf(CancelledError);
      expect(t.cancelled()).toBe(false);
      expect(await t).toBe("t");
    });
  });

  it("rejects a single awaitable", async () => {
    await runVirtual(async () => {
      const t = createTask(() => sleep(0));
      expect(() => asCompleted(t as never)).toThrow(TypeError);
      expect(() => asCompleted([t], { timeout: Number.NaN })).toThrow(RangeError);
      await t;
    });
  });
});
