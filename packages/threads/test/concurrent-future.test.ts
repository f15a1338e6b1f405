// Ports of CPython's concurrent.futures Future tests that apply to a future
// living in one thread (test_concurrent_futures/test_future.py).
import { describe, expect, it } from "vitest";
import { RuntimeError } from "@asyncio-ts/loop";
import { CancelledError, InvalidStateError } from "@asyncio-ts/tasks";
import { ConcurrentFuture, TimeoutError } from "@asyncio-ts/threads";

describe("ConcurrentFuture", () => {
  it("states: pending, running, finished, failed, cancelled", () => {
    const f = new ConcurrentFuture<number>();
    expect([f.done(), f.running(), f.cancelled()]).toEqual([false, false, false]);
    expect(f.setRunningOrNotifyCancel()).toBe(true);
    expect(f.running()).toBe(true);
    f.setResult(5);
    expect([f.done(), f.running(), f.result(), f.exception()]).toEqual([true, false, 5, undefined]);
    expect(f.cancel()).toBe(false);
    expect(() => f.setResult(6)).toThrow(InvalidStateError);

    const g = new ConcurrentFuture();
    const error = new Error("x");
    g.setException(error);
    expect(g.exception()).toBe(error);
    expect(() => g.result()).toThrow(error);

    const h = new ConcurrentFuture();
    expect(h.cancel()).toBe(true);
    expect(h.setRunningOrNotifyCancel()).toBe(false);
    expect(() => h.result()).toThrow(CancelledError);
    expect(() => h.exception()).toThrow(CancelledError);
  });

  it("done callbacks run once, at completion, or at once when already done; their errors are logged", () => {
    const f = new ConcurrentFuture<string>();
    const seen: string[] = [];
    f.addDoneCallback((x) => seen.push(`a:${x.result()}`));
    f.addDoneCallback(() => {
      throw new Error("ignored");
    });
    const original = console.error;
    console.error = () => undefined;
    try {
      f.setResult("r");
    } finally {
      console.error = original;
    }
    f.addDoneCallback((x) => seen.push(`b:${x.result()}`));
    expect(seen).toEqual(["a:r", "b:r"]);
    expect(() => f.addDoneCallback(42 as never)).toThrow(TypeError);
  });

  it("timeouts: 0 polls; a future nothing else can complete is an error, not a hang", () => {
    const f = new ConcurrentFuture();
    expect(() => f.result(0)).toThrow(TimeoutError);
    expect(() => f.exception(0)).toThrow(TimeoutError);
    expect(() => f.result()).toThrow(RuntimeError);
    expect(() => f.result(5)).toThrow(/block forever/);
    expect(() => f.result(Number.NaN)).toThrow(TypeError);
    const timeout = (() => {
      try {
        f.result(0);
      } catch (e) {
        return e;
      }
    })();
    expect((timeout as Error).name).toBe("TimeoutError");
  });

  it("is awaitable; a cancelled one rejects with CancelledError", async () => {
    const f = new ConcurrentFuture<number>();
    setTimeout(() => f.setResult(1), 1);
    expect(await f).toBe(1);
    const g = new ConcurrentFuture<number>();
    setTimeout(() => g.cancel(), 1);
    await expect(g).rejects.toBeInstanceOf(CancelledError);
    expect(String(g)).toBe("<ConcurrentFuture state=cancelled>");
  });

  it("TimeoutError is branded: the same name as @asyncio-ts/combinators' class", () => {
    const error = new TimeoutError("t");
    expect(error.name).toBe("TimeoutError");
    expect((error as unknown as Record<symbol, unknown>)[Symbol.for("asyncio-ts.TimeoutError")]).toBe(true);
  });
});
