// Ported from CPython's test_futures.py: the Future state machine.
import { describe, expect, it } from "vitest";
import { EventLoop, VirtualClock } from "@asyncio-ts/loop";
import { CancelledError, Future, InvalidStateError, isFuture, sleep } from "@asyncio-ts/tasks";
import { runVirtual } from "./helpers.js";

const loop = () => new EventLoop({ clock: new VirtualClock() });

describe("Future", () => {
  it("starts pending; result() and exception() say it is not ready", () => {
    const f = new Future<number>({ loop: loop() });
    expect(f.done()).toBe(false);
    expect(f.cancelled()).toBe(false);
    expect(() => f.result()).toThrow(new InvalidStateError("Result is not ready."));
    expect(() => f.exception()).toThrow(new InvalidStateError("Exception is not set."));
    expect(String(f)).toBe("<Future pending>");
    expect(isFuture(f)).toBe(true);
    expect(isFuture(Promise.resolve())).toBe(false);
  });

  it("holds a result once; a second setResult is an InvalidStateError", () => {
    const f = new Future<number>({ loop: loop() });
    f.setResult(42);
    expect(f.done()).toBe(true);
    expect(f.result()).toBe(42);
    expect(f.exception()).toBeUndefined();
    expect(() => f.setResult(1)).toThrow(InvalidStateError);
    expect(() => f.setException(new Error("x"))).toThrow(InvalidStateError);
    expect(f.cancel()).toBe(false);
    expect(String(f)).toBe("<Future finished result=42>");
  });

  it("holds an exception, instantiating an error class", () => {
    const f = new Future<number>({ loop: loop() });
    f.setException(RangeError);
    expect(f.exception()).toBeInstanceOf(RangeError);
    expect(() => f.result()).toThrow(RangeError);
    const g = new Future<number>({ loop: loop() });
    g.setException(new Error("boom"));
    expect(String(g)).toBe("<Future finished exception=Error('boom')>");
  });

  it("cancel(msg): the message reaches CancelledError", () => {
    const f = new Future<number>({ loop: loop() });
    expect(f.cancel("stop it")).toBe(true);
    expect(f.cancelled()).toBe(true);
    expect(f.cancel()).toBe(false);
    expect(() => f.result()).toThrow(new CancelledError("stop it"));
    expect(() => f.exception()).toThrow(CancelledError);
    const g = new Future<number>({ loop: loop() });
    g.cancel();
    try {
      g.result();
    } catch (e) {
      expect((e as CancelledError).message).toBe("");
      expect((e as CancelledError).name).toBe("CancelledError");
    }
  });

  it("schedules done callbacks with callSoon, in order, never synchronously", async () => {
    await runVirtual(async () => {
      const f = new Future<number>();
      const trace: string[] = [];
      const a = (fut: Future<number>) => void trace.push(`a${fut.result()}`);
      const b = () => void trace.push("b");
      f.addDoneCallback(a);
      f.addDoneCallback(b);
      f.addDoneCallback(a);
      expect(f.removeDoneCallback(a)).toBe(2);
      f.addDoneCallback(a);
      f.setResult(1);
      expect(trace).toEqual([]);
      f.addDoneCallback(() => void trace.push("late"));
      await sleep(0);
      expect(trace).toEqual(["b", "a1", "late"]);
    });
  });

  it("is awaitable with await, then() and yield*", async () => {
    await runVirtual(async () => {
      const f = new Future<string>();
      f.getLoop().callSoon(() => f.setResult("v"));
      expect(await f).toBe("v");
      const g = new Future<number>();
      g.getLoop().callSoon(() => g.setException(new Error("no")));
      await expect(g.then((x) => x)).rejects.toThrow("no");
      expect(await f.then((x) => x + "!")).toBe("v!");
    });
    await runVirtual(function* () {
      const f = new Future<string>();
      f.getLoop().callSoon(() => f.setResult("v"));
      const v: string = yield* f;
      expect(v).toBe("v");
      const g = new Future<number>();
      g.getLoop().callSoon(() => g.setException(new Error("no")));
      let caught: unknown;
      try {
        yield* g;
      } catch (e) {
        caught = e;
      }
      expect((caught as Error).message).toBe("no");
    }());
  });
});

describe("then() on a settled future", () => {
  it("await continues one microtask hop after the await, as for a resolved promise", async () => {
    const order: string[] = [];
    const fut = new Future<number>({ loop: loop() });
    fut.setResult(1);
    const failed = new Future<number>({ loop: loop() });
    failed.setException(new RangeError("boom"));
    void Promise.resolve()
      .then(() => order.push("p1"))
      .then(() => order.push("p2"))
      .then(() => order.push("p3"));
    const value = await fut;
    order.push(`await ${value}`);
    // The thenable job, then the await's own reaction: the same as `await {then(r) { r(1) }}`.
    expect(order).toEqual(["p1", "p2", "await 1"]);
    await expect(failed).rejects.toThrow(RangeError);
    expect(await Promise.resolve(fut)).toBe(1);
  });

  it("still calls user callbacks from a microtask, anonymous, bound or named", async () => {
    const fut = new Future<number>({ loop: loop() });
    fut.setResult(7);
    const order: string[] = [];
    const results = [
      fut.then((v) => order.push(`arrow ${v}`)),
      fut.then(function (this: unknown, v: number) {
        return order.push(`bound ${v}`);
      }.bind(null)),
      fut.then(function named(v) {
        return order.push(`named ${v}`);
      }),
    ];
    order.push("sync");
    await Promise.all(results);
    expect(order).toEqual(["sync", "arrow 7", "bound 7", "named 7"]);
    // A resolving function of the caller's own promise: the promise then() returns still settles.
    let resolveOwn!: (v: number) => void;
    const own = new Promise<number>((r) => (resolveOwn = r));
    await fut.then(resolveOwn);
    expect(await own).toBe(7);
    expect(await fut.then((v) => v * 2)).toBe(14);
  });
});
