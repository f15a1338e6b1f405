// shield / asCompleted / wait / gather cases of CPython 3.12's test_tasks.py not
// covered elsewhere. Expected values were printed by
// ~/.pyenv/versions/3.12.1/bin/python3 running the Python quoted above each case.
import { describe, expect, it } from "vitest";
import { asCompleted, FIRST_COMPLETED, gather, wait } from "@asyncio-ts/combinators";
import { ensureFuture, Future, getRunningLoop, sleep } from "./imports.js";
import { runVirtual } from "./helpers.js";

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
