import { describe, expect, it } from "vitest";
import { EventLoop, RuntimeError, VirtualClock, type Executor } from "@asyncio-ts/loop";
import "@asyncio-ts/tasks";

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
});
