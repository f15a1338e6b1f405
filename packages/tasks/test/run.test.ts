// Ported from CPython's test_runners.py, plus the bad-input cases of CONTRACT §4.
import { describe, expect, it, vi } from "vitest";
import { EventLoop, getRunningLoop, RuntimeError, VirtualClock } from "@asyncio-ts/loop";
import { allTasks, CancelledError, createTask, currentTask, eagerTaskFactory, InvalidStateError, run, Runner, sleep, Future } from "@asyncio-ts/tasks";
import { runVirtual, tracer } from "./helpers.js";

describe("run", () => {
  it("returns the coroutine's result, of either kind", async () => {
    expect(await runVirtual(async () => 42)).toBe(42);
    expect(await runVirtual((function* () {
      yield* sleep(1);
      return "gen";
    })())).toBe("gen");
  });

  it("rejects with the coroutine's exception", async () => {
    await expect(runVirtual(async () => {
      throw new Error("boom");
    })).rejects.toThrow("boom");
  });

  it("cancels leftover tasks, waits for their cleanup, and closes the loop", async () => {
    const { trace, log } = tracer();
    let loop: EventLoop | null = null;
    await runVirtual(async () => {
      loop = getRunningLoop();
      createTask(async () => {
        try {
          await sleep(3600);
        } finally {
          log("cleanup started");
          await sleep(1);
          log("cleanup finished");
        }
      });
      await sleep(0);
    });
    expect(trace).toEqual(["cleanup started", "cleanup finished"]);
    expect(loop!.isClosed()).toBe(true);
  });

  it("reports a leftover task that fails while being cancelled", async () => {
    const contexts: Record<string, unknown>[] = [];
    await run(async () => {
      getRunningLoop().setExceptionHandler((_l, c) => void contexts.push(c));
      createTask(async () => {
        try {
          await sleep(3600);
        } finally {
          throw new Error("cleanup failed");
        }
      });
      await sleep(0);
    }, { loopFactory: () => new EventLoop({ clock: new VirtualClock() }) });
    expect(contexts.map((c) => c.message)).toEqual(["unhandled exception during run() shutdown"]);
    expect((contexts[0].exception as Error).message).toBe("cleanup failed");
  });

  it("refuses bad input and nesting, synchronously, saying what to do", async () => {
    expect(() => run(42 as never)).toThrow(TypeError);
    expect(() => run(Promise.resolve(1) as never)).toThrow(/pass the async function itself/);
    await runVirtual(async () => {
      expect(() => run(async () => 1)).toThrow(RuntimeError);
      expect(() => run(async () => 1)).toThrow(/cannot be called from a running event loop/);
    });
  });
});

describe("sleep", () => {
  it("rejects bad delays; a negative delay is zero", async () => {
    await runVirtual(async () => {
      expect(() => sleep(Number.NaN)).toThrow(RangeError);
      expect(() => sleep("1" as never)).toThrow(/sleep\(\) delay must be a number of seconds, got "1"/);
      const before = getRunningLoop().time();
      expect(await sleep(-5, "r")).toBe("r");
      expect(getRunningLoop().time()).toBe(before);
    });
    expect(() => sleep(1)).toThrow(new RuntimeError("no running event loop"));
  });

  it("sleep(0) yields exactly one loop turn", async () => {
    const { trace, log } = tracer();
    await runVirtual(async () => {
      const loop = getRunningLoop();
      loop.callSoon(() => {
        log("iteration 1");
        loop.callSoon(() => log("iteration 2"));
      });
      await sleep(0);
      log("after sleep(0)");
    });
    expect(trace).toEqual(["iteration 1", "after sleep(0)", "iteration 2"]);
  });

  it("cancelling a sleep leaves no timer behind", async () => {
    await runVirtual(async () => {
      const f = sleep(3600);
      f.cancel();
      await expect(f.then()).rejects.toBeInstanceOf(CancelledError);
    });
  });
});

describe("Runner", () => {
  it("runs several coroutines on one loop, then closes", async () => {
    const runner = new Runner({ loopFactory: () => new EventLoop({ clock: new VirtualClock() }) });
    const loop = runner.getLoop();
    expect(await runner.run(async () => getRunningLoop())).toBe(loop);
    expect(await runner.run(async () => 2)).toBe(2);
    await runner.close();
    await runner.close();
    expect(loop.isClosed()).toBe(true);
    expect(() => runner.run(async () => 1)).toThrow("Runner is closed");
  });

  it("supports await using", async () => {
    let loop: EventLoop;
    {
      await using runner = new Runner({ debug: true });
      loop = runner.getLoop();
      expect(loop.getDebug()).toBe(true);
      await runner.run(async () => sleep(0));
    }
    expect(loop.isClosed()).toBe(true);
  });

  it("rejects a bad loopFactory", () => {
    expect(() => new Runner({ loopFactory: 5 as never })).toThrow(TypeError);
    expect(() => new Runner({ loopFactory: () => ({}) as never }).getLoop()).toThrow(/must return an EventLoop/);
  });
});

describe("eager task factory", () => {
  it("runs the first step inside createTask", async () => {
    const { trace, log } = tracer();
    await runVirtual(async () => {
      getRunningLoop().setTaskFactory(eagerTaskFactory);
      const t = createTask(
        (function* () {
          log("eager step", currentTask() !== null);
          return 1;
        })(),
      );
      log("after createTask", t.done());
      expect(await t).toBe(1);
      const slow = createTask(async () => {
        log("async eager start");
        await sleep(1);
        return 2;
      });
      log("created slow", allTasks().has(slow));
      expect(await slow).toBe(2);
      getRunningLoop().setTaskFactory(null);
    });
    expect(trace).toEqual(["eager step true", "after createTask true", "async eager start", "created slow true"]);
  });
});

describe("reports", () => {
  it("a loop closing with pending tasks reports them as destroyed", async () => {
    const loop = new EventLoop({ clock: new VirtualClock() });
    const messages: string[] = [];
    loop.setExceptionHandler((_l, c) => void messages.push(c.message));
    await loop.runUntilComplete(async () => {
      createTask(() => sleep(3600));
    });
    loop.close();
    expect(messages).toEqual(["Task was destroyed but it is pending!"]);
  });

  it("debug mode names the task whose step was slow", async () => {
    const messages: string[] = [];
    await run(async () => {
      const loop = getRunningLoop();
      loop.slowCallbackDuration = 0.01;
      loop.setExceptionHandler((_l, c) => void messages.push(c.message));
      await createTask(async function cpuBoundWork() {
        const end = performance.now() + 30;
        while (performance.now() < end);
      }, { name: "Task-slow" });
    }, { debug: true });
    expect(messages.some((m) => /^Executing <Task .*name='Task-slow' coro=<cpuBoundWork\(\)>.*> took 0\.0\d\d seconds$/.test(m))).toBe(true);
  });

  it("setResult twice is an InvalidStateError", async () => {
    await runVirtual(async () => {
      const f = new Future<number>();
      f.setResult(1);
      expect(() => f.setResult(2)).toThrow(InvalidStateError);
    });
  });

  it("the default handler logs to stderr", () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    new EventLoop().defaultExceptionHandler({ message: "Something", exception: new Error("why") });
    expect(String(spy.mock.calls[0][0])).toMatch(/^Something\nError: why/);
    spy.mockRestore();
  });
});
