import { describe, expect, it } from "vitest";
import { EventLoop, RuntimeError, VirtualClock, type Executor } from "@asyncio-ts/loop";
import { Future } from "@asyncio-ts/tasks";

function virtualLoop(): EventLoop {
  return new EventLoop({ clock: new VirtualClock() });
}

describe("executors", () => {
  it("runInExecutor uses the given executor, and needs one when there is no default", async () => {
    const loop = virtualLoop();
    const calls: unknown[][] = [];
    const executor: Executor = {
      submit: (fn, ...args) => {
        calls.push(args);
        return Promise.resolve((fn as (...a: unknown[]) => unknown)(...args)) as never;
      },
      shutdown: () => undefined,
    };
    expect(() => loop.runInExecutor(null, () => 1)).toThrow(/needs a default executor/);
    const result = await loop.runUntilComplete(loop.runInExecutor(executor, (a: number, b: number) => a + b, 2, 3));
    expect(result).toBe(5);
    expect(calls).toEqual([[2, 3]]);
    loop.setDefaultExecutor(executor);
    expect(await loop.runUntilComplete(loop.runInExecutor(null, () => "default"))).toBe("default");
    expect(() => loop.setDefaultExecutor({} as never)).toThrow(TypeError);
    loop.close();
    expect(() => loop.runInExecutor(null, () => 1)).toThrow(RuntimeError);
  });

  it("prefers an executor's submitOnLoop(), whose loop future it returns as is", async () => {
    const loop = virtualLoop();
    const made: Future<unknown>[] = [];
    const executor: Executor = {
      submit: () => {
        throw new Error("submit() must not be used when submitOnLoop() exists");
      },
      submitOnLoop<T>(target: EventLoop, fn: (...args: never[]) => T | PromiseLike<T>, ...args: unknown[]) {
        const future = new Future<T>({ loop: target });
        made.push(future);
        target.callSoon(() => future.setResult((fn as (...a: unknown[]) => T)(...args)));
        return future;
      },
      shutdown: () => undefined,
    };
    const future = loop.runInExecutor(executor, (a: number, b: number) => a * b, 6, 7);
    expect(made.length).toBe(1);
    expect(made[0]).toBe(future);
    expect(await loop.runUntilComplete(future)).toBe(42);
    loop.close();
  });
});
