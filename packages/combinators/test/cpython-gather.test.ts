// gather behaviours of CPython 3.12 (test_tasks.py GatherTests) not covered by
// gather.test.ts. Expected traces were printed by ~/.pyenv/versions/3.12.1/bin/python3
// running the quoted snippets.
import { describe, expect, it } from "vitest";
import { CancelledError, createTask, ensureFuture, EventLoop, getRunningLoop, sleep, VirtualClock, type Future, type Task } from "./imports.js";
import { gather } from "@asyncio-ts/combinators";
import { en, KINDS, runVirtual } from "./helpers.js";

function futures<T = unknown>(n: number): Future<T>[] {
  const loop = getRunningLoop();
  return Array.from({ length: n }, () => loop.createFuture<T>() as Future<T>);
}

describe("gather of plain futures", () => {
  // a, b, c, d, e = futures; fut = gather(a, b, c, d, e); fut.add_done_callback(cb)
  // a.set_result(1); b.cancel("b msg"); run -> True 1 False CancelledError('b msg')
  // c.set_result(3); d.cancel(); e.set_exception(RuntimeError()) -> nothing more (cb still called once)
  it("one cancelled child: the gather fails with that child's CancelledError but is not cancelled(); later outcomes are ignored", async () => {
    const lines: string[] = [];
    const P = (...a: unknown[]) => void lines.push(a.map(String).join(" "));
    await runVirtual(async () => {
      const [a, b, c, d, e] = futures<number>(5);
      const fut = gather(a, b, c, d, e);
      const calls: unknown[] = [];
      fut.addDoneCallback((f) => void calls.push(f));
      a.setResult(1);
      b.cancel("b msg");
      await sleep(0);
      await sleep(0);
      P(fut.done(), calls.length, fut.cancelled(), en(fut.exception()));
      c.setResult(3);
      d.cancel();
      e.setException(new RangeError());
      e.exception();
      await sleep(0);
      P(calls.length, calls[0] === fut);
    });
    expect(lines).toEqual(["true 1 false CancelledError('b msg')", "1 true"]);
  });

  // gather(a, b, c, d, e, f, return_exceptions=True): a=1, b=ZeroDivisionError, c.cancel("c msg"); run -> not done
  // d=3, e.cancel(), f=RuntimeError -> [1, ZeroDivisionError(), CancelledError('c msg'), 3, CancelledError(''), RuntimeError()]
  // the very exception objects; done callback called once
  it("returnExceptions: errors and CancelledErrors (with their messages) in order, the same error objects", async () => {
    const lines: string[] = [];
    const P = (...a: unknown[]) => void lines.push(a.map(String).join(" "));
    await runVirtual(async () => {
      const [a, b, c, d, e, f] = futures<number>(6);
      const fut = gather([a, b, c, d, e, f], { returnExceptions: true });
      const calls: unknown[] = [];
      fut.addDoneCallback((x) => void calls.push(x));
      a.setResult(1);
      const zde = new RangeError();
      zde.name = "ZeroDivisionError";
      b.setException(zde);
      c.cancel("c msg");
      await sleep(0);
      await sleep(0);
      P(fut.done());
      d.setResult(3);
      e.cancel();
      const rte = new Error();
      rte.name = "RuntimeError";
      f.setException(rte);
      const res = await fut;
      P(JSON.stringify(res.map((x) => (x instanceof Error ? en(x) : x))), res[1] === zde, res[5] === rte, res[2] instanceof CancelledError, calls.length);
    });
    expect(lines).toEqual([
      "false",
      `[1,"ZeroDivisionError()","CancelledError('c msg')",3,"CancelledError()","RuntimeError()"] true true true 1`,
    ]);
  });

  // 3.12 gather runs the done callbacks of children already done at once ("complete the gather eagerly"):
  // a, b done: gather(a, b, a) -> done() True, [1, 2, 1]; with c failed: done() True, KeyError('k')
  // with d cancelled('dm') and return_exceptions: done() True, [1, CancelledError('dm')]
  // with e pending: done() False; e.set_result(9) -> still False until the next iteration, then [1, 9]
  it("children that are all done already complete the gather synchronously; otherwise it completes one iteration after the last", async () => {
    await runVirtual(async () => {
      const [a, b, c, d, e] = futures<number>(5);
      a.setResult(1);
      b.setResult(2);
      const g = gather(a, b, a);
      expect([g.done(), g.done() && g.result()]).toEqual([true, [1, 2, 1]]);
      const k = new Error("k");
      k.name = "KeyError";
      c.setException(k);
      const g2 = gather(a, c);
      expect([g2.done(), en(g2.done() && g2.exception())]).toEqual([true, "KeyError('k')"]);
      d.cancel("dm");
      const g3 = gather([a, d], { returnExceptions: true });
      expect([g3.done(), g3.done() && g3.result().map((x) => (x instanceof Error ? en(x) : x))]).toEqual([true, [1, "CancelledError('dm')"]]);
      const g4 = gather(a, e);
      expect(g4.done()).toBe(false);
      e.setResult(9);
      expect(g4.done()).toBe(false);
      await sleep(0);
      expect([g4.done(), g4.result()]).toEqual([true, [1, 9]]);
    });
  });

  // test_constructor_heterogenous_futures: gather(fut1, fut2) with futures of two loops -> ValueError (RangeError here)
  it("futures of two different loops are refused", () => {
    const one = new EventLoop({ clock: new VirtualClock() });
    const other = new EventLoop({ clock: new VirtualClock() });
    expect(() => gather(one.createFuture(), other.createFuture())).toThrow(RangeError);
    one.close();
    other.close();
  });
});

describe("cancelling a gather", () => {
  // test_cancel_gather_1: fut = create_future(); gather_future = gather(child_coro()) (child awaits fut)
  // gather_task = ensure_future(gather_future) (the same object); fut's done callback calls gather_task.cancel()
  // fut.set_result(42) -> cancel_result False, gather not cancelled, result [42]
  it("cancel() returns false once every child is done, even before the gather's own callback ran (bpo-26923)", async () => {
    await runVirtual(async () => {
      const fut = getRunningLoop().createFuture<number>() as Future<number>;
      const gatherFuture = gather(async () => await fut);
      const gatherTask = ensureFuture(gatherFuture);
      expect(gatherTask).toBe(gatherFuture);
      await sleep(0);
      let cancelResult: boolean | null = null;
      fut.addDoneCallback(() => (cancelResult = gatherTask.cancel()));
      fut.setResult(42);
      const r = await gatherTask;
      expect([cancelResult, gatherTask.cancelled(), r]).toEqual([false, false, [42]]);
    });
  });

  // async def child(n): try: await sleep(10) except CancelledError as e: P("child", n, en(e)); raise
  // g = gather(child(1), child(2), return_exceptions=True); await sleep(0); g.cancel("stop"); await g
  // -> child 1 CancelledError('stop') / child 2 CancelledError('stop') / gather CancelledError('stop')
  it.each(KINDS)("the message reaches every child and the gather's error, even with returnExceptions (%s)", async (kind) => {
    const lines: string[] = [];
    const P = (...a: unknown[]) => void lines.push(a.map(String).join(" "));
    await runVirtual(async () => {
      const child = (n: number) =>
        kind === "async"
          ? async () => {
              try {
                await sleep(10);
              } catch (e) {
                P("child", n, en(e));
                throw e;
              }
            }
          : (function* () {
              try {
                yield* sleep(10);
              } catch (e) {
                P("child", n, en(e));
                throw e;
              }
            })();
      const g = gather([child(1), child(2)], { returnExceptions: true });
      await sleep(0);
      g.cancel("stop");
      try {
        await g;
      } catch (e) {
        P("gather", en(e));
      }
    });
    expect(lines).toEqual(["child 1 CancelledError('stop')", "child 2 CancelledError('stop')", "gather CancelledError('stop')"]);
  });

  // test_cancel_gather_2: test() loops `await gather(sleep(0.05), return_exceptions=True)`;
  // qwe = create_task(test()); await sleep(0.2); qwe.cancel(*args); await qwe
  // -> propagated CancelledError() True / propagated CancelledError('my message') True
  it.each(KINDS)("cancelling a task waiting on a returnExceptions gather propagates (with the message) (%s)", async (kind) => {
    const lines: string[] = [];
    const P = (...a: unknown[]) => void lines.push(a.map(String).join(" "));
    await runVirtual(async () => {
      for (const msg of [undefined, "my message"]) {
        const qwe: Task<void> =
          kind === "async"
            ? createTask(async () => {
                let time = 0;
                for (;;) {
                  time += 0.05;
                  await gather([sleep(0.05)], { returnExceptions: true });
                  if (time > 1) return;
                }
              })
            : createTask(
                (function* () {
                  let time = 0;
                  for (;;) {
                    time += 0.05;
                    yield* gather([sleep(0.05)], { returnExceptions: true });
                    if (time > 1) return;
                  }
                })(),
              );
        await sleep(0.2);
        qwe.cancel(msg);
        try {
          await qwe;
          P("not propagated");
        } catch (e) {
          P("propagated", en(e), qwe.cancelled());
        }
      }
    });
    expect(lines).toEqual(["propagated CancelledError() true", "propagated CancelledError('my message') true"]);
  });

  // test_cancellation_broadcast: child1, child2 = ensure_future(inner()) (await waiter; proof += 1)
  // outer(): gatherer = gather(child1, child2); await gatherer; proof += 100
  // f = ensure_future(outer()); run briefly; f.cancel() -> True; await f -> CancelledError
  // -> gatherer.cancel() False, waiter/child1/child2 cancelled; proof 0
  it.each(KINDS)("cancelling the awaiting task cancels both children (and what they await); nothing runs on (%s)", async (kind) => {
    const lines: string[] = [];
    const P = (...a: unknown[]) => void lines.push(a.map(String).join(" "));
    await runVirtual(async () => {
      let proof = 0;
      const waiter = getRunningLoop().createFuture() as Future<void>;
      const inner = () =>
        kind === "async"
          ? async () => {
              await waiter;
              proof += 1;
            }
          : (function* () {
              yield* waiter;
              proof += 1;
            })();
      const child1 = ensureFuture(inner());
      const child2 = ensureFuture(inner());
      let gatherer!: Future<unknown[]>;
      const f =
        kind === "async"
          ? ensureFuture(async () => {
              gatherer = gather(child1, child2);
              await gatherer;
              proof += 100;
            })
          : ensureFuture(
              (function* () {
                gatherer = gather(child1, child2);
                yield* gatherer;
                proof += 100;
              })(),
            );
      await sleep(0);
      P(f.cancel());
      try {
        await f;
      } catch (e) {
        P(en(e));
      }
      P(gatherer.cancel(), waiter.cancelled(), child1.cancelled(), child2.cancelled());
      await sleep(0);
      P(proof);
    });
    expect(lines).toEqual(["true", "CancelledError()", "false true true true", "0"]);
  });
});

describe("errors of children", () => {
  // test_exception_marking: inner(f): await f; raise RuntimeError('should not be ignored')
  // outer(): await gather(inner(a), inner(b)); a, then b completed one iteration apart
  // -> f.exception() is RuntimeError('should not be ignored'); the second child's error is retrieved (no report)
  it.each(KINDS)("the first child error fails the gather; the second is marked retrieved (%s)", async (kind) => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const a = loop.createFuture() as Future<void>;
      const b = loop.createFuture() as Future<void>;
      const inner = (x: Future<void>) =>
        kind === "async"
          ? async () => {
              await x;
              throw new Error("should not be ignored");
            }
          : (function* (): Generator<unknown, void, unknown> {
              yield* x;
              throw new Error("should not be ignored");
            })();
      const f = ensureFuture(async () => {
        await gather(inner(a), inner(b));
      });
      await sleep(0);
      a.setResult();
      await sleep(0);
      b.setResult();
      await sleep(0);
      await sleep(0);
      expect(en(f.exception())).toBe("Error('should not be ignored')");
    });
  });
});
