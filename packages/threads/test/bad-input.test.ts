import { describe, expect, it } from "vitest";
import { getRunningLoop } from "@asyncio-ts/loop";
import { run } from "@asyncio-ts/tasks";
import { ConcurrentFuture, runCoroutineThreadsafe, ThreadPoolExecutor, toThread, wrapFuture } from "@asyncio-ts/threads";

// Bad input gets a clear error at the call, naming the call the user made,
// never a silently ignored option.

describe("errors name the call that was made", () => {
  it("toThread(Math.max) says toThread(), not submit()", async () => {
    await run(async () => {
      expect(() => toThread(Math.max, 1, 2)).toThrow(TypeError);
      expect(() => toThread(Math.max, 1, 2)).toThrow(/^toThread\(\): function max is a built-in or bound function, which cannot be sent to a worker thread/);
    });
  });

  it("loop.runInExecutor(pool, Math.max) says runInExecutor()", async () => {
    const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    try {
      await run(async () => {
        expect(() => getRunningLoop().runInExecutor(pool, Math.max, 1)).toThrow(/^runInExecutor\(\): function max is a built-in or bound function/);
      });
    } finally {
      await pool.shutdown();
    }
  });

  it("pool.map(5, xs) says map(), at the call, also for empty iterables (it said submit(), or nothing)", async () => {
    const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    try {
      expect(() => pool.map(5 as never, [1])).toThrow("map() needs a function, got 5");
      expect(() => pool.map(5 as never, [])).toThrow("map() needs a function, got 5");
      expect(() => pool.map(Math.max, [1])).toThrow(/^map\(\): function max is a built-in/);
    } finally {
      await pool.shutdown();
    }
  });
});

describe("options", () => {
  it("a misspelt ThreadPoolExecutor option is a TypeError naming it (it was ignored)", () => {
    expect(() => new ThreadPoolExecutor({ maxworkers: 1 } as never)).toThrow(TypeError);
    expect(() => new ThreadPoolExecutor({ maxworkers: 1 } as never)).toThrow(
      'ThreadPoolExecutor() got an unknown option "maxworkers" (known: maxWorkers, cancelGracePeriod, threadNamePrefix, resourceLimits)',
    );
  });

  it("threadNamePrefix and resourceLimits of the wrong type are refused", () => {
    expect(() => new ThreadPoolExecutor({ threadNamePrefix: 5 as never })).toThrow("ThreadPoolExecutor() threadNamePrefix must be a string, got 5");
    expect(() => new ThreadPoolExecutor({ resourceLimits: 64 as never })).toThrow(/^ThreadPoolExecutor\(\) resourceLimits must be an object/);
  });

  it("map()'s options: a misspelt timeout is refused (it was ignored)", async () => {
    const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    try {
      expect(() => pool.map((x: number) => x, [1], { timout: 1 } as never)).toThrow('map() got an unknown option "timout" (known: timeout)');
    } finally {
      await pool.shutdown();
    }
  });

  it("shutdown(false), Python's shutdown(wait=False), is a TypeError with the hint (it was ignored, and shutdown waited)", async () => {
    const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    expect(() => pool.shutdown(false as never)).toThrow(TypeError);
    expect(() => pool.shutdown(false as never)).toThrow(
      "shutdown() takes an options object ({ wait, cancelFutures }), got false (for Python's shutdown(False), pass { wait: false })",
    );
    expect(() => pool.shutdown({ cancel_futures: true } as never)).toThrow(/^shutdown\(\) got an unknown option "cancel_futures"/);
    await pool.shutdown({ wait: true });
  });
});

describe("wrapFuture and runCoroutineThreadsafe", () => {
  it("wrapFuture(cf, { loop: 5 }) is a TypeError naming the option", async () => {
    await run(async () => {
      expect(() => wrapFuture(new ConcurrentFuture(), { loop: 5 as never })).toThrow("wrapFuture() options.loop must be an EventLoop, got 5");
    });
  });

  it("runCoroutineThreadsafe(async generator function, loop) is refused at the call (its generator was the result)", async () => {
    await run(async () => {
      const agen = async function* feed(): AsyncGenerator<number> {
        yield 1;
      };
      expect(() => runCoroutineThreadsafe(agen as never, getRunningLoop())).toThrow(TypeError);
      expect(() => runCoroutineThreadsafe(agen as never, getRunningLoop())).toThrow(/^runCoroutineThreadsafe\(\) needs a coroutine .*got async generator function feed/);
    });
  });
});
