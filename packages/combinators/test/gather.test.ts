import { describe, expect, expectTypeOf, it } from "vitest";
import { CancelledError, createTask, Future, sleep, Task, currentTask, getRunningLoopFuture } from "./imports.js";
import { asCompleted, gather, shield, waitFor } from "@asyncio-ts/combinators";
import { cpython, en, KeyError, runVirtual, Trace, ValueError, py } from "./helpers.js";

describe("gather: CPython traces", () => {
  it("the first exception propagates at once; the others keep running (async)", async () => {
    const tr = new Trace();
    await runVirtual(async () => {
      tr.start("gather_first_exc");
      const ok = async (d: number, v: string): Promise<string> => {
        await sleep(d);
        tr.P("ok", v, tr.T());
        return v;
      };
      const bad = async (d: number): Promise<never> => {
        await sleep(d);
        tr.P("bad", tr.T());
        throw new ValueError("boom");
      };
      const t = createTask(() => ok(3, "slow"));
      try {
        await gather(() => ok(1, "a"), () => bad(2), t);
      } catch (e) {
        tr.P("caught", en(e), tr.T(), "t.done", t.done());
      }
      await t;
      tr.P("t", t.result(), tr.T());
    });
    expect(tr.toString()).toBe(cpython("gather_first_exc"));
  });

  it("the first exception propagates at once (generators)", async () => {
    const tr = new Trace();
    await runVirtual(function* () {
      tr.start("gather_first_exc");
      function* ok(d: number, v: string): Generator<unknown, string, unknown> {
        yield* sleep(d);
        tr.P("ok", v, tr.T());
        return v;
      }
      function* bad(d: number): Generator<unknown, never, unknown> {
        yield* sleep(d);
        tr.P("bad", tr.T());
        throw new ValueError("boom");
      }
      const t = createTask(ok(3, "slow"));
      try {
        yield* gather(ok(1, "a"), bad(2), t);
      } catch (e) {
        tr.P("caught", en(e), tr.T(), "t.done", t.done());
      }
      yield* t;
      tr.P("t", t.result(), tr.T());
    });
    expect(tr.toString()).toBe(cpython("gather_first_exc"));
  });

  for (const kind of ["async", "generator"] as const) {
    it(`cancelling the gather cancels the children; it raises CancelledError but is not cancelled() (${kind})`, async () => {
      const tr = new Trace();
      await runVirtual(async () => {
        tr.start("gather_cancel_outer");
        const child =
          kind === "async"
            ? (n: number) => async () => {
                try {
                  await sleep(10);
                } catch (e) {
                  tr.P("child", n, "cancelled", tr.T());
                  throw e;
                }
              }
            : (n: number) =>
                (function* () {
                  try {
                    yield* sleep(10);
                  } catch (e) {
                    tr.P("child", n, "cancelled", tr.T());
                    throw e;
                  }
                })();
        const g = gather(child(1), child(2));
        await sleep(1);
        tr.P("cancel ->", g.cancel("stop"));
        try {
          await g;
        } catch (e) {
          tr.P("gather raised", en(e), tr.T(), "cancelled()", g.cancelled());
        }
        tr.P("cancel again", g.cancel());
      });
      expect(tr.toString()).toBe(cpython("gather_cancel_outer"));
    });

    it(`cancelling the caller cancels the children and waits for their cleanup (${kind})`, async () => {
      const tr = new Trace();
      await runVirtual(async () => {
        tr.start("gather_caller_cancelled");
        let p: Task<unknown>;
        if (kind === "async") {
          const child = (n: number) => async () => {
            try {
              await sleep(10);
            } catch (e) {
              tr.P("child", n, "cancelled", tr.T());
              await sleep(1);
              tr.P("child", n, "cleanup done", tr.T());
              throw e;
            }
          };
          p = createTask(async () => {
            try {
              return await gather(child(1), child(2));
            } catch (e) {
              tr.P("parent got cancel", tr.T());
              throw e;
            }
          });
        } else {
          function* child(n: number): Generator<unknown, void, unknown> {
            try {
              yield* sleep(10);
            } catch (e) {
              tr.P("child", n, "cancelled", tr.T());
              yield* sleep(1);
              tr.P("child", n, "cleanup done", tr.T());
              throw e;
            }
          }
          p = createTask(
            (function* () {
              try {
                return yield* gather(child(1), child(2));
              } catch (e) {
                tr.P("parent got cancel", tr.T());
                throw e;
              }
            })(),
          );
        }
        await sleep(1);
        p.cancel();
        try {
          await p;
        } catch {
          tr.P("parent cancelled", tr.T(), p.cancelled());
        }
      });
      expect(tr.toString()).toBe(cpython("gather_caller_cancelled"));
    });
  }

  it("a cancelled child is a CancelledError in the results, or propagates without cancelling the others", async () => {
    const tr = new Trace();
    await runVirtual(async () => {
      tr.start("gather_child_cancelled");
      const child = (d: number) => async () => {
        await sleep(d);
        return d;
      };
      const t1 = createTask(child(1));
      const t2 = createTask(child(5));
      const t3 = createTask(child(2));
      const g = gather([t1, t2, t3], { returnExceptions: true });
      await sleep(0.5);
      t2.cancel();
      const r = await g;
      tr.P("results", py(r.map((x) => (x instanceof Error ? en(x) : x))), tr.T());
      const t4 = createTask(child(1));
      const t5 = createTask(child(3));
      const g2 = gather(t4, t5);
      await sleep(0.5);
      t4.cancel();
      try {
        await g2;
      } catch (e) {
        tr.P("g2 raised", en(e), tr.T(), "t5 done", t5.done(), "g2.cancelled", g2.cancelled());
      }
      await t5;
      tr.P("t5", t5.result(), tr.T());
    });
    expect(tr.toString()).toBe(cpython("gather_child_cancelled"));
  });

  it("returnExceptions does not swallow a cancel of the gather itself (bpo-32684)", async () => {
    const tr = new Trace();
    await runVirtual(async () => {
      tr.start("gather_return_exc_cancel");
      const child = async (): Promise<void> => {
        await sleep(10);
      };
      const g = gather([child, async () => child()], { returnExceptions: true });
      await sleep(0);
      g.cancel();
      try {
        tr.P("result", await g);
      } catch (e) {
        tr.P("raised", en(e));
      }
    });
    expect(tr.toString()).toBe(cpython("gather_return_exc_cancel"));
  });

  it("duplicates, already-done futures and gather() of nothing", async () => {
    const tr = new Trace();
    await runVirtual(async () => {
      tr.start("gather_dups_done");
      const f = new Future<number>();
      f.setResult(7);
      const c = async (): Promise<string> => {
        await sleep(1);
        return "c";
      };
      const cc = createTask(c);
      tr.P("dups", py(await gather(f, cc, f, cc)), tr.T());
      const e = new Future<never>();
      e.setException(new KeyError("'k'"));
      try {
        await gather(e, c);
      } catch (x) {
        tr.P("done exc", `KeyError("${(x as Error).message}")`, tr.T());
      }
      tr.P("empty", py(await gather()));
    });
    expect(tr.toString()).toBe(cpython("gather_dups_done"));
  });

  it("children start in argument order", async () => {
    const tr = new Trace();
    await runVirtual(async () => {
      tr.start("order");
      const c = (n: number, d: number) => async () => {
        tr.P("start", n);
        await sleep(d);
        tr.P("end", n);
        return n;
      };
      tr.P("r", py(await gather(c(1, 0), c(2, 0), c(3, 0))));
    });
    expect(tr.toString()).toBe(cpython("order"));
  });
});

describe("gather: more cases", () => {
  // CPython: repr(child) == "<Future pending cb=[gather.<locals>._done_callback() at .../tasks.py:767]>"
  it("a child's repr names gather's done callback", async () => {
    await runVirtual(async () => {
      const f = new Future<number>();
      const g = gather(f);
      expect(String(f)).toBe("<Future pending cb=[gather.<locals>._done_callback()]>");
      f.setResult(1);
      expect(await g).toEqual([1]);
    });
  });

  it("types: a tuple for separate arguments, an array for the array form", async () => {
    await runVirtual(async () => {
      const g = gather(sleep(1, 5), createTask(async () => "x"));
      expectTypeOf(g).toEqualTypeOf<Future<[number, string]>>();
      expect(await g).toEqual([5, "x"]);
      const h = gather([sleep(1, 5), sleep(1, 6)]);
      expectTypeOf(h).toEqualTypeOf<Future<number[]>>();
      expect(await h).toEqual([5, 6]);
      function* gen(): Generator<unknown, boolean, unknown> {
        yield* sleep(0);
        return true;
      }
      const k = gather(gen(), async () => 1n, Promise.resolve("p"));
      expectTypeOf(k).toEqualTypeOf<Future<[boolean, bigint, string]>>();
      expect(await k).toEqual([true, 1n, "p"]);
    });
  });

  it("the same function twice is one task, its result repeated", async () => {
    await runVirtual(async () => {
      let calls = 0;
      const fn = async (): Promise<number> => {
        calls++;
        await sleep(1);
        return calls;
      };
      expect(await gather(fn, fn)).toEqual([1, 1]);
      expect(calls).toBe(1);
    });
  });

  it("a single array argument is the array form; a single non-array is one awaitable", async () => {
    await runVirtual(async () => {
      expect(await gather(sleep(0, [1, 2]))).toEqual([[1, 2]]);
      expect(await gather([sleep(0, 1), sleep(0, 2)])).toEqual([1, 2]);
      expect(await gather([])).toEqual([]);
    });
  });

  it("rejects what is not awaitable, synchronously", async () => {
    await runVirtual(async () => {
      expect(() => gather(42 as never)).toThrow(TypeError);
      expect(() => gather(sleep(0), "x" as never)).toThrow(/gather\(\) takes awaitables \(futures, coroutines, promises\); argument 2 is "x"/);
      expect(() => gather([sleep(0)], 3 as never)).toThrow(TypeError);
      expect(() => shield(42 as never)).toThrow(/shield\(\) takes an awaitable \(a future, a coroutine or a promise\), got 42/);
      expect(() => asCompleted([sleep(0), 42 as never])).toThrow(/asCompleted\(\) takes awaitables \(futures, coroutines, promises\); item 2 is 42/);
      expect(() => waitFor(42 as never, 0)).toThrow(/waitFor\(\) takes an awaitable \(a future, a coroutine or a promise\), got 42/);
    });
  });

  it("a rejected promise child propagates; with returnExceptions it is in the results", async () => {
    await runVirtual(async () => {
      const err = new ValueError("p");
      await expect(gather(Promise.reject(err), sleep(1))).rejects.toBe(err);
      const r = await gather([Promise.reject<number>(err), sleep(1, 2)], { returnExceptions: true });
      expect(r).toEqual([err, 2]);
      expectTypeOf(r).toEqualTypeOf<(number | Error)[]>();
    });
  });

  it("cancelling after it has failed cancels nothing", async () => {
    await runVirtual(async () => {
      const slow = createTask(() => sleep(5, "s"));
      const g = gather(slow, Promise.reject(new ValueError("x")));
      await expect(g).rejects.toThrow("x");
      expect(g.cancel()).toBe(false);
      expect(await slow).toBe("s");
    });
  });

  it("cancel() returns false when every child is already done, and the gather still completes", async () => {
    await runVirtual(async () => {
      const a = createTask(() => sleep(1, 1));
      await a;
      const f = new Future<number>();
      const g = gather(a, f);
      f.setResult(2);
      expect(g.cancel()).toBe(false);
      expect(await g).toEqual([1, 2]);
    });
  });

  it("the cancel message reaches the gather's error", async () => {
    await runVirtual(async () => {
      const g = gather(() => sleep(5));
      await sleep(0);
      g.cancel("why");
      const e = await g.then(
        () => null,
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(CancelledError);
      expect((e as Error).message).toBe("why");
    });
  });

  it("runs in the current task's loop without a task (plain future)", async () => {
    await runVirtual(async () => {
      const me = currentTask();
      expect(me).not.toBeNull();
      const loopFuture = getRunningLoopFuture();
      loopFuture.setResult(1);
      expect(await gather(loopFuture)).toEqual([1]);
    });
  });
});
