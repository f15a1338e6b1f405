// shield / asCompleted / wait / gather cases of CPython 3.12's test_tasks.py not
// covered elsewhere. Expected values were printed by
// ~/.pyenv/versions/3.12.1/bin/python3 running the Python quoted above each case.
import { describe, expect, it } from "vitest";
import { asCompleted, FIRST_COMPLETED, gather, shield, wait, waitFor } from "@asyncio-ts/combinators";
import { CancelledError, createTask, ensureFuture, Future, getRunningLoop, sleep } from "./imports.js";
import { KINDS, otherTasks, runVirtual, since } from "./helpers.js";

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
