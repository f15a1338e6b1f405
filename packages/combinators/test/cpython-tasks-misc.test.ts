// shield / asCompleted / wait / gather cases of CPython 3.12's test_tasks.py not
// covered elsewhere. Expected values were printed by
// ~/.pyenv/versions/3.12.1/bin/python3 running the Python quoted above each case.
import { describe, expect, it } from "vitest";
import { asCompleted, FIRST_COMPLETED, FIRST_EXCEPTION, gather, shield, taskGroup, timeout, wait, waitFor } from "@asyncio-ts/combinators";
import { CancelledError, createTask, ensureFuture, Future, getRunningLoop, sleep } from "./imports.js";
import { en, KINDS, otherTasks, runVirtual, since } from "./helpers.js";

describe("awaitables of asCompleted() handed to other combinators", () => {
  // test_as_completed_concurrent:
  //   futs = list(as_completed({sleep(0.05, 'a'), sleep(0.05, 'b')}))
  //   done, pending = await wait([ensure_future(f) for f in futs]) -> {'a', 'b'}, no pending
  //   await gather(*as_completed([sleep(0.05, 'a'), sleep(0.01, 'b')])) -> ['b', 'a']
  // Before the fix, ours: both hung. The items are futures that start their work on first
  // use (OperationFuture overrides addDoneCallback for that), but wait() and gather()
  // register through the internal Future._onDone, which bypassed the override.
  it("wait() and gather() of them start them", async () => {
    await runVirtual(async () => {
      const futs = [...asCompleted([sleep(0.05, "a"), sleep(0.05, "b")])];
      expect(futs).toHaveLength(2);
      const [done, pending] = await wait(futs.map((f) => ensureFuture(f)));
      expect([...done].map((f) => f.result()).sort()).toEqual(["a", "b"]);
      expect(pending.size).toBe(0);
      expect(await gather(...asCompleted([sleep(0.05, "a"), sleep(0.01, "b")]))).toEqual(["b", "a"]);
    });
  });
});

describe("a Future subclass that overrides addDoneCallback / removeDoneCallback", () => {
  // class Fut(asyncio.Future) recording add/remove_done_callback:
  //   a, b = Fut(), Fut(); call_soon(a.set_result, 1); await wait([a, b], return_when=FIRST_COMPLETED)
  //   -> 1 1; a and b each got '_wait.<locals>._on_completion' added; removed from a -> 0, from b -> 1
  //   gather(c) -> c.added == ['gather.<locals>._done_callback'], then [5]
  // Before the fix, ours: wait() and gather() never called the overrides.
  it("sees wait()'s and gather()'s registrations and wait()'s removals", async () => {
    class Fut<T> extends Future<T> {
      readonly added: string[] = [];
      readonly removed: [string, number][] = [];
      override addDoneCallback(callback: (future: this) => void): void {
        this.added.push(callback.name);
        super.addDoneCallback(callback);
      }
      override removeDoneCallback(callback: (future: this) => void): number {
        const n = super.removeDoneCallback(callback);
        this.removed.push([callback.name, n]);
        return n;
      }
    }
    await runVirtual(async () => {
      const a = new Fut<number>();
      const b = new Fut<number>();
      getRunningLoop().callSoon(() => a.setResult(1));
      const [done, pending] = await wait([a, b], { returnWhen: FIRST_COMPLETED });
      expect([done.size, pending.size]).toEqual([1, 1]);
      expect([a.added, a.removed, b.added, b.removed]).toEqual([
        ["_wait.<locals>._on_completion"],
        [["_wait.<locals>._on_completion", 0]],
        ["_wait.<locals>._on_completion"],
        [["_wait.<locals>._on_completion", 1]],
      ]);
      const c = new Fut<number>();
      const g = gather(c);
      expect(c.added).toEqual(["gather.<locals>._done_callback"]);
      c.setResult(5);
      expect(await g).toEqual([5]);
      b.cancel();
    });
  });
});

describe("gather()'s future in reprs", () => {
  // f = create_future(); g = gather(f) -> '<_GatheringFuture pending>'; f.set_result(5); await g
  // -> '<_GatheringFuture finished result=[5]>'
  it("is a _GatheringFuture, as in asyncio", async () => {
    await runVirtual(async () => {
      const f = getRunningLoop().createFuture() as Future<number>;
      const g = gather(f);
      expect(String(g)).toBe("<_GatheringFuture pending>");
      f.setResult(5);
      await g;
      expect(String(g)).toBe("<_GatheringFuture finished result=[5]>");
    });
  });
});

describe("shield (test_tasks.py test_shield_*)", () => {
  // inner = create_future(); outer = shield(inner); sleep(0); outer.cancel(); sleep(0)
  //   -> outer.cancelled() True; outer._callbacks None, inner._callbacks None (test_shield_cancel_outer)
  // inner.set_exception(exc) -> outer.exception() is exc; inner.cancel("im") -> outer cancelled, CancelledError()
  // shield(done future) is that future, also a cancelled one (test_shield_shortcut)
  // outer = shield(gather(c1, c2)); outer.cancel() -> outer cancelled, gather not done;
  //   c1, c2 set -> gather's result [1, 2] (test_shield_gather)
  it("outer cancel leaves no callbacks; inner errors and cancels pass; done futures are returned as is; a shielded gather lives on", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const fut = <T>() => loop.createFuture() as Future<T>;
      let inner = fut<number>();
      let outer = shield(inner);
      await sleep(0);
      outer.cancel();
      await sleep(0);
      expect(outer.cancelled()).toBe(true);
      expect([outer._callbacks, inner._callbacks]).toEqual([null, null]);
      inner.setResult(1);

      inner = fut<number>();
      outer = shield(inner);
      await sleep(0);
      const exc = new Error("expected");
      inner.setException(exc);
      await sleep(0);
      expect(outer.exception()).toBe(exc);

      inner = fut<number>();
      outer = shield(inner);
      await sleep(0);
      inner.cancel("im");
      await sleep(0);
      expect(outer.cancelled()).toBe(true);
      expect(() => outer.result()).toThrow(new CancelledError(""));

      const done = fut<number>();
      done.setResult(42);
      expect(shield(done)).toBe(done);
      const cancelled = fut<number>();
      cancelled.cancel();
      expect(shield(cancelled)).toBe(cancelled);

      const c1 = fut<number>();
      const c2 = fut<number>();
      const parent = gather(c1, c2);
      const shielded = shield(parent);
      await sleep(0);
      shielded.cancel();
      await sleep(0);
      expect([shielded.cancelled(), parent.done()]).toEqual([true, false]);
      c1.setResult(1);
      c2.setResult(2);
      await sleep(0);
      expect(parent.result()).toEqual([1, 2]);
    });
  });
});

describe("gather() with a bad argument after a coroutine (bpo-46672)", () => {
  // async def coro(s): return s
  // gather(coro('abc'), {}) -> TypeError; the task made for the coroutine runs to its end;
  // call_exception_handler is never called ("NameError should not happen")
  it.each(KINDS)("throws TypeError and leaves nothing to report (%s)", async (kind) => {
    // runVirtual fails on any report through the loop's exception handler.
    await runVirtual(async () => {
      const c =
        kind === "async"
          ? async () => "abc"
          : (function* () {
              return "abc";
            })();
      expect(() => gather(c, {} as never)).toThrow(TypeError);
      for (let i = 0; i < 3; i++) await sleep(0);
      expect(otherTasks()).toBe(0);
    });
  });
});

describe("asCompleted orderings (test_as_completed_*)", () => {
  // test_as_completed_reverse_wait: futs = list(as_completed({sleep(0.05, 'a'), sleep(0.10, 'b')}))
  //   await futs[1] -> 'a' at 0.05; await futs[0] -> 'b' at 0.10
  // as_completed([done future (1), sleep(1, 'x') task], timeout=0): 1, then TimeoutError
  it("the second awaitable awaited first still gives the first result; a zero timeout lets done inputs through", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const t0 = loop.time();
      const futs = [...asCompleted([sleep(0.05, "a"), sleep(0.1, "b")])];
      expect(futs).toHaveLength(2);
      expect([await futs[1], since(t0)]).toEqual(["a", 0.05]);
      expect([await futs[0], since(t0)]).toEqual(["b", 0.1]);
      const f = loop.createFuture() as Future<number>;
      f.setResult(1);
      const t = createTask(() => sleep(1, "x"));
      const got: unknown[] = [];
      for (const g of asCompleted([f, t], { timeout: 0 })) {
        try {
          got.push(await g);
        } catch (e) {
          got.push((e as Error).name);
        }
      }
      expect(got).toEqual([1, "TimeoutError"]);
      t.cancel();
    });
  });
});

describe("iterations spent by wait() and waitFor() on trivial cases", () => {
  // n counts loop iterations (a callback re-queuing itself):
  //   await wait([pending task, done future], timeout=0) -> 1 done, 1 pending, n == 2
  //   await wait([pending task], timeout=0) -> 0, 1, n == 4; timeout=-1 -> 0, 1, n == 6
  //   await wait_for(done future, None / 0 / 1) -> its result, n == 0 each (no suspension)
  it("a zero or negative timeout costs two iterations; waitFor of a done future none", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      let n = 0;
      const tick = (): void => {
        n++;
        if (n < 20) loop.callSoon(tick);
      };
      const t = createTask(() => sleep(1));
      const f = loop.createFuture() as Future<number>;
      f.setResult(1);
      loop.callSoon(tick);
      let [done, pending] = await wait([t, f], { timeout: 0 });
      expect([done.size, pending.size, n]).toEqual([1, 1, 2]);
      [done, pending] = await wait([t], { timeout: 0 });
      expect([done.size, pending.size, n]).toEqual([0, 1, 4]);
      [done, pending] = await wait([t], { timeout: -1 });
      expect([done.size, pending.size, n]).toEqual([0, 1, 6]);
      t.cancel();
      n = 0;
      loop.callSoon(tick);
      expect([await waitFor(f, null), n]).toEqual([1, 0]);
      expect([await waitFor(f, 0), n]).toEqual([1, 0]);
      expect([await waitFor(f, 1), n]).toEqual([1, 0]);
    });
  });
});

describe.each(KINDS)("loop iterations each combinator takes (%s coroutines)", (kind) => {
  // n counts loop iterations from the call (a fresh callback chain re-queuing itself), CPython 3.12:
  //   wait([b, a]) of done tasks -> 2 0 2; FIRST_COMPLETED -> 2 0 2; wait(10 new tasks) -> 10 0 3
  //   gather(a, b) of done tasks -> n 0; wait([failed, pending], FIRST_EXCEPTION) -> 1 1 2
  //   as_completed([a, b]) of done tasks, all awaited -> 2 (3.13 too)
  //   h set by call_soon: shield(h) 2, gather(h) 2, wait_for(h, 1) 1, wait_for(h, None) 1, wait([h]) 2,
  //   as_completed([h]) 2; a coroutine doing sleep(0): wait_for 1, gather 4, shield 4
  it("matches CPython's counts", async () => {
    const lines: string[] = [];
    const log = (...a: unknown[]): void => void lines.push(a.map(String).join(" "));
    await runVirtual(async () => {
      const loop = getRunningLoop();
      let n = 0;
      let chain = 0;
      const start = (): void => {
        n = 0;
        const mine = ++chain;
        const tick = (): void => {
          if (chain !== mine) return;
          n++;
          if (n < 30) loop.callSoon(tick);
        };
        loop.callSoon(tick);
      };
      const a = createTask(() => sleep(0.1));
      const b = createTask(() => sleep(0.15));
      await wait([a, b]);
      const soon = (): Future<number> => {
        const h = loop.createFuture() as Future<number>;
        loop.callSoon(() => h.setResult(3));
        return h;
      };
      // One scenario list, run by an async function with `await` or a generator with `yield*`.
      const steps = function* (aw: <T>(f: Future<T>) => Generator<unknown, T, unknown>): Generator<unknown, void, unknown> {
        start();
        let [d, p] = yield* aw(wait([b, a]));
        log("wait done", d.size, p.size, n);
        start();
        [d, p] = yield* aw(wait([b, a], { returnWhen: FIRST_COMPLETED }));
        log("wait done first", d.size, p.size, n);
        start();
        const made = [];
        for (let i = 0; i < 10; i++) made.push(kind === "async" ? createTask(async () => i) : createTask((function* () { return i; })()));
        const [d2, p2] = yield* aw(wait(made));
        log("wait new", d2.size, p2.size, n);
        start();
        yield* aw(gather(a, b));
        log("gather done", n);
        const failed = loop.createFuture() as Future<void>;
        failed.setException(new Error("x"));
        const pending = loop.createFuture() as Future<void>;
        start();
        const [d3, p3] = yield* aw(wait([failed, pending], { returnWhen: FIRST_EXCEPTION }));
        log("wait first exception", d3.size, p3.size, n);
        pending.cancel();
        start();
        for (const x of asCompleted([a, b])) yield* aw(x);
        log("asCompleted done", n);
        let h = soon();
        start();
        log("shield", yield* aw(shield(h)), n);
        h = soon();
        start();
        log("gather", yield* aw(gather(h)), n);
        h = soon();
        start();
        log("waitFor 1", yield* aw(waitFor(h, 1)), n);
        h = soon();
        start();
        log("waitFor null", yield* aw(waitFor(h, null)), n);
        h = soon();
        start();
        yield* aw(wait([h]));
        log("wait", n);
        h = soon();
        start();
        for (const x of asCompleted([h])) log("asCompleted", yield* aw(x), n);
        const co = () =>
          kind === "async"
            ? async () => {
                await sleep(0);
                return 5;
              }
            : (function* () {
                yield* sleep(0);
                return 5;
              })();
        start();
        log("waitFor coroutine", yield* aw(waitFor(co(), 1)), n);
        start();
        log("gather coroutine", yield* aw(gather(co())), n);
        start();
        log("shield coroutine", yield* aw(shield(co())), n);
      };
      if (kind === "generator") {
        await createTask(steps((f) => f[Symbol.iterator]() as Generator<unknown, never, unknown>));
      } else {
        // Drive the same steps with real awaits, in this async task.
        const gen = steps(function* <T>(f: Future<T>) {
          return (yield f) as T;
        });
        let step = gen.next();
        while (!step.done) step = gen.next(await (step.value as Future<unknown>));
      }
    });
    expect(lines).toEqual([
      "wait done 2 0 2",
      "wait done first 2 0 2",
      "wait new 10 0 3",
      "gather done 0",
      "wait first exception 1 1 2",
      "asCompleted done 2",
      "shield 3 2",
      "gather 3 2",
      "waitFor 1 3 1",
      "waitFor null 3 1",
      "wait 2",
      "asCompleted 3 2",
      "waitFor coroutine 5 1",
      "gather coroutine 5 4",
      "shield coroutine 5 4",
    ]);
  });
});

describe.each(KINDS)("a cancel message through each combinator (%s coroutines)", (kind) => {
  // A task awaits X; two iterations later t.cancel("m"); the body and main log what they get.
  // CPython 3.12, for X = shield(f), gather(c1), wait_for(f, 10), wait_for(f, None), wait([f]),
  // an as_completed item, timeout(10) around sleep(20), a TaskGroup with a sleeping child:
  //   "<X> body got CancelledError('m')" / "<X> main got CancelledError('m') 1"
  //   (shield's f not done; gather's c1 and wait_for's f cancelled; wait's and as_completed's f not)
  // and for X = a task that turns its cancel into CancelledError("other"): 'other' both times.
  it("reaches the awaiting coroutine and the task's error", async () => {
    const lines: string[] = [];
    const log = (...a: unknown[]): void => void lines.push(a.map(String).join(" "));
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const fut = (): Future<void> => loop.createFuture() as Future<void>;
      const run = async (label: string, make: () => Future<unknown>): Promise<void> => {
        const t =
          kind === "async"
            ? createTask(async () => {
                try {
                  await make();
                } catch (e) {
                  log(label, "body got", en(e));
                  throw e;
                }
              })
            : createTask(
                (function* () {
                  try {
                    yield* make();
                  } catch (e) {
                    log(label, "body got", en(e));
                    throw e;
                  }
                })(),
              );
        await sleep(0);
        await sleep(0);
        t.cancel("m");
        try {
          await t;
        } catch (e) {
          log(label, "main got", en(e), t.cancelling());
        }
      };
      const sleepy = (d: number) =>
        kind === "async"
          ? async () => {
              await sleep(d);
            }
          : (function* () {
              yield* sleep(d);
            })();
      const inner = fut();
      await run("shield", () => shield(inner));
      const c1 = fut();
      await run("gather", () => gather(c1));
      const f1 = fut();
      await run("waitFor", () => waitFor(f1, 10));
      await run("waitFor null", () => waitFor(fut(), null));
      const f3 = fut();
      await run("wait", () => wait([f3]));
      const f4 = fut();
      await run("asCompleted", () => [...asCompleted([f4])][0]);
      await run("task", () =>
        createTask(
          kind === "async"
            ? async () => {
                try {
                  await sleep(10);
                } catch {
                  throw new CancelledError("other");
                }
              }
            : (function* () {
                try {
                  yield* sleep(10);
                } catch {
                  throw new CancelledError("other");
                }
              })(),
        ),
      );
      await run("timeout", () => timeout(10, () => sleepy(20)));
      await run("taskGroup", () =>
        taskGroup((g) =>
          kind === "async"
            ? async () => void g.createTask(sleepy(10))
            : (function* () {
                g.createTask(sleepy(10));
              })(),
        ),
      );
      log("done?", inner.done(), c1.cancelled(), f1.cancelled(), f3.cancelled(), f4.cancelled());
    });
    const expected = ["shield", "gather", "waitFor", "waitFor null", "wait", "asCompleted", "task", "timeout", "taskGroup"].flatMap((x) => {
      const m = x === "task" ? "other" : "m";
      return [`${x} body got CancelledError('${m}')`, `${x} main got CancelledError('${m}') 1`];
    });
    expect(lines).toEqual([...expected, "done? false true true false false"]);
  });
});

describe("gather()'s returnExceptions is read for its truthiness", () => {
  // f.set_exception(ValueError('v')); await gather(f, sleep(0, 2), return_exceptions=1) -> [ValueError('v'), 2]
  // return_exceptions=0 -> raises ValueError('w')
  // Before the fix, ours: only `true` counted, so { returnExceptions: 1 } raised.
  it("as asyncio's `if not return_exceptions`", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const f = loop.createFuture() as Future<number>;
      const v = new Error("v");
      f.setException(v);
      expect(await gather([f, sleep(0, 2)], { returnExceptions: 1 as never })).toEqual([v, 2]);
      const g = loop.createFuture() as Future<number>;
      g.setException(new Error("w"));
      await expect(gather([g], { returnExceptions: 0 as never })).rejects.toThrow("w");
    });
  });
});

describe("asCompleted() iterators can be resumed (3.13 test_as_completed_resume_iterator / _concurrent)", () => {
  // iterator = as_completed((coro(0), coro(1), coro(2), coro(3))); collect 2, break; iterate the same
  // iterator again -> all of 0..3, with `for` and with `async for`.
  // [f async for f in as_completed({sleep(0.05, 'a'), sleep(0.05, 'b')})] then
  // wait([ensure_future(f) for f in futs]) -> {'a', 'b'}
  it("after a break, with either kind of iteration; what for await gives can be waited on", async () => {
    await runVirtual(async () => {
      const coro = (i: number) => async () => i;
      const iterator = asCompleted([coro(0), coro(1), coro(2), coro(3)]);
      const collected: number[] = [];
      for (const f of iterator) {
        collected.push(await f);
        if (collected.length === 2) break;
      }
      for (const f of iterator) collected.push(await f);
      expect(collected.sort()).toEqual([0, 1, 2, 3]);
      const asyncIterator = asCompleted([coro(0), coro(1), coro(2), coro(3)]);
      const collected2: number[] = [];
      for await (const f of asyncIterator) {
        collected2.push(await f);
        if (collected2.length === 2) break;
      }
      for await (const f of asyncIterator) collected2.push(await f);
      expect(collected2.sort()).toEqual([0, 1, 2, 3]);
      const futs: Future<string>[] = [];
      // TypeScript types a for-await value as Awaited<Future<string>> (string); at run time it is the future.
      for await (const f of asCompleted([sleep(0.05, "a"), sleep(0.05, "b")])) futs.push(f as unknown as Future<string>);
      const [done] = await wait(futs.map((f) => ensureFuture(f)));
      expect([...done].map((f) => f.result()).sort()).toEqual(["a", "b"]);
    });
  });
});
