// Ports of CPython's RunCoroutineThreadsafeTests (test_tasks.py) that apply,
// with the worker thread as the "other thread".
import { describe, expect, it } from "vitest";
import { getRunningLoop, RuntimeError } from "@asyncio-ts/loop";
import { CancelledError, run, sleep } from "@asyncio-ts/tasks";
import { callSoonThreadsafe, moduleFunction, runCoroutineThreadsafe, toThread, wrapFuture } from "@asyncio-ts/threads";
import { MAIN_SIDE, work } from "./helpers.js";

describe("runCoroutineThreadsafe from a worker thread", () => {
  it("test_run_coroutine_threadsafe: the worker blocks on result(timeout) while the main loop runs the coroutine", async () => {
    const value = await run(() => toThread(work("askMain"), "users", 5));
    expect(value).toBe("data for users");
  });

  it("test_run_coroutine_threadsafe_with_exception: the coroutine's error reaches the worker", async () => {
    expect(await run(() => toThread(work("askMainFailing")))).toEqual(["RangeError", "main side failed"]);
  });

  it("test_run_coroutine_threadsafe_with_timeout: TimeoutError in the worker; cancel() cancels the task in the main loop", async () => {
    const mainSide = (await import(MAIN_SIDE.href)) as { state: { cancelled: number } };
    const before = mainSide.state.cancelled;
    await run(async () => {
      expect(await toThread(work("askMainTimeout"))).toEqual(["TimeoutError", true, true]);
      await sleep(0.05);
    });
    expect(mainSide.state.cancelled).toBe(before + 1);
  });

  it("a worker running its own loop awaits the main loop with wrapFuture()", async () => {
    expect(await run(() => toThread(work("ownLoop"), "config"))).toBe("own loop got data for config");
  });

  it("in a worker, a coroutine must be named by module", async () => {
    const [name, message] = (await run(() => toThread(work("notACoroutineFromWorker")))) as [string, string];
    expect(name).toBe("TypeError");
    expect(message).toMatch(/moduleFunction\(url, "name"\)\.coroutine/);
  });

  it("callSoonThreadsafe() from a worker runs a module callback on the main loop", async () => {
    const mainSide = (await import(MAIN_SIDE.href)) as { state: { recorded: unknown[] } };
    await run(async () => {
      expect(await toThread(work("notify"), "hello")).toBe("sent");
      for (let i = 0; i < 100 && !mainSide.state.recorded.includes("hello"); i++) await sleep(0.01);
    });
    expect(mainSide.state.recorded).toContain("hello");
  });
});

describe("runCoroutineThreadsafe with a loop of this thread", () => {
  it("runs any coroutine as a task of that loop; blocking on it is an error, not a deadlock", async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const future = runCoroutineThreadsafe(async () => {
        await sleep(0.01);
        return 42;
      }, loop);
      expect(() => future.result()).toThrow(RuntimeError);
      expect(() => future.result(1)).toThrow(/deadlock/);
      expect(await wrapFuture(future)).toBe(42);
      expect(future.result()).toBe(42);
    });
  });

  it("a generator coroutine, a module coroutine, and cancel() cancelling the task", async () => {
    await run(async () => {
      const loop = getRunningLoop();
      function* gen(): Generator<unknown, string, unknown> {
        yield* sleep(0);
        return "gen";
      }
      expect(await runCoroutineThreadsafe(gen(), loop)).toBe("gen");
      const doubled = moduleFunction<(n: number) => Generator<unknown, number>>(MAIN_SIDE, "generatorCoroutine");
      expect(await runCoroutineThreadsafe(doubled.coroutine(21) as never, loop)).toBe(42);
      let cancelled = false;
      const future = runCoroutineThreadsafe(async () => {
        try {
          await sleep(10);
        } catch (error) {
          cancelled = error instanceof CancelledError;
          throw error;
        }
      }, loop);
      await sleep(0.01);
      expect(future.cancel()).toBe(true);
      await sleep(0.01);
      expect(cancelled).toBe(true);
      expect(future.cancelled()).toBe(true);
    });
  });

  it("bad input fails at the call", async () => {
    await run(async () => {
      const loop = getRunningLoop();
      expect(() => runCoroutineThreadsafe(42 as never, loop)).toThrow(TypeError);
      expect(() => runCoroutineThreadsafe(async () => 1, {} as never)).toThrow(TypeError);
      expect(() => runCoroutineThreadsafe(async () => 1)).toThrow(RuntimeError);
      expect(() => callSoonThreadsafe(moduleFunction(MAIN_SIDE, "record"), 1)).toThrow(RuntimeError);
    });
  });
});
