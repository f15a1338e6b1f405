import { describe, expect, it } from "vitest";
import { EventLoop, VirtualClock, type ExceptionContext } from "@asyncio-ts/loop";

// Bad input gets a clear error at the call, never a crash of the process or a
// silently ignored value.

function virtualLoop(): EventLoop {
  return new EventLoop({ clock: new VirtualClock() });
}

/** Runs the loop until `body` stops it, collecting what reaches the exception handler. */
async function runLoop(loop: EventLoop, body: (stop: () => void) => void): Promise<ExceptionContext[]> {
  const reports: ExceptionContext[] = [];
  loop.setExceptionHandler((_loop, context) => void reports.push(context));
  loop.callSoon(() => body(() => loop.stop()));
  await loop.runForever();
  return reports;
}

/** Lets the host run its macrotasks (and the microtasks before them). */
function hostTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

describe("callbacks that return a promise or a generator", () => {
  it("an async callback that rejects reaches the exception handler, not the process (no unhandled rejection)", async () => {
    const loop = new EventLoop();
    const boom = new Error("boom");
    const reports = await runLoop(loop, (stop) => {
      loop.callSoon(async function failing() {
        await null;
        throw boom;
      });
      loop.callLater(0.01, stop);
    });
    loop.close();
    expect(reports).toHaveLength(1);
    expect(reports[0].message).toBe("Exception in callback failing()");
    expect(reports[0].exception).toBe(boom);
    expect(String(reports[0].handle)).toContain("failing()");
  });

  it("an async callback that resolves is not reported", async () => {
    const loop = new EventLoop();
    let ran = false;
    const reports = await runLoop(loop, (stop) => {
      loop.callSoon(async () => {
        await null;
        ran = true;
      });
      loop.callLater(0.01, stop);
    });
    loop.close();
    expect(ran).toBe(true);
    expect(reports).toEqual([]);
  });

  it("a callback that returns a generator (which nothing would run) is reported", async () => {
    const loop = virtualLoop();
    let bodyRan = false;
    const reports = await runLoop(loop, (stop) => {
      loop.callSoon(function* work() {
        bodyRan = true;
        yield;
      });
      loop.callSoon(stop);
    });
    loop.close();
    expect(bodyRan).toBe(false);
    expect(reports).toHaveLength(1);
    expect(reports[0].message).toBe("Exception in callback work()");
    expect(reports[0].exception).toBeInstanceOf(TypeError);
    expect(String((reports[0].exception as Error).message)).toMatch(/returned a generator.*createTask\(\)/);
  });

  it("callbacks returning other values are left alone", async () => {
    const loop = virtualLoop();
    const reports = await runLoop(loop, (stop) => {
      loop.callSoon(() => ({ then: 5 }));
      loop.callSoon(() => [1, 2]);
      loop.callSoon(() => 42);
      loop.callSoon(stop);
    });
    loop.close();
    expect(reports).toEqual([]);
  });

  it("the rejection of an async callback still reaches the handler after the loop has closed", async () => {
    const loop = new EventLoop();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const reports = await runLoop(loop, (stop) => {
      loop.callSoon(async function late() {
        await gate;
        throw new Error("late");
      });
      loop.callSoon(stop);
    });
    loop.close();
    release();
    await hostTurn();
    expect(reports.map((r) => r.message)).toEqual(["Exception in callback late()"]);
  });
});

describe("runInExecutor", () => {
  it("an executor without submit() is a TypeError naming runInExecutor, not 'pool.submit is not a function'", () => {
    const loop = virtualLoop();
    for (const executor of [5, {}, "pool", () => undefined]) {
      expect(() => loop.runInExecutor(executor as never, () => 1)).toThrow(TypeError);
      expect(() => loop.runInExecutor(executor as never, () => 1)).toThrow(/^runInExecutor\(\) needs an Executor \(with submit\(\)\) or null/);
    }
    expect(() => loop.runInExecutor({} as never, () => 1)).toThrow(/got a Object|got an object|got \{\}/);
    loop.close();
  });
});

describe("callExceptionHandler", () => {
  it("a context that is not an object is a TypeError at the call (it used to be logged as a crash of the default handler)", () => {
    const loop = virtualLoop();
    for (const context of [null, undefined, 5, "oops"]) {
      expect(() => loop.callExceptionHandler(context as never)).toThrow(TypeError);
      expect(() => loop.callExceptionHandler(context as never)).toThrow(/^callExceptionHandler\(\) takes a context object \(\{ message, exception, \.\.\. \}\), got /);
    }
    loop.close();
  });
});

describe("EventLoop options", () => {
  it("an unknown option is a TypeError naming it (a misspelt clock would silently give real time)", () => {
    expect(() => new EventLoop({ clokc: new VirtualClock() } as never)).toThrow(TypeError);
    expect(() => new EventLoop({ clokc: new VirtualClock() } as never)).toThrow('EventLoop() got an unknown option "clokc" (known: clock, debug)');
  });

  it("debug is a boolean, as setDebug() makes it", () => {
    const loop = new EventLoop({ debug: "yes" as never });
    expect(loop.getDebug()).toBe(true);
    loop.close();
    const off = new EventLoop({ debug: 0 as never });
    expect(off.getDebug()).toBe(false);
    off.close();
  });
});

describe("createTask", () => {
  it("options that are not an object are a TypeError (a name passed there was silently dropped)", () => {
    const loop = virtualLoop();
    expect(() => loop.createTask(async () => 1, "my-task" as never)).toThrow(TypeError);
    expect(() => loop.createTask(async () => 1, "my-task" as never)).toThrow(/^createTask\(\) takes an options object \(\{ name \}\) after the coroutine, got "my-task"/);
    expect(() => loop.createTask(async () => 1, 5 as never)).toThrow(/got 5/);
    loop.close();
  });
});

describe("VirtualClock", () => {
  it("a start that is not a finite number is refused", () => {
    expect(() => new VirtualClock("10" as never)).toThrow(TypeError);
    expect(() => new VirtualClock("10" as never)).toThrow('VirtualClock() start must be a number of seconds, got "10"');
    expect(() => new VirtualClock(NaN)).toThrow(RangeError);
    expect(() => new VirtualClock(NaN)).toThrow("VirtualClock() start must be a finite number of seconds, got NaN");
    expect(() => new VirtualClock(Infinity)).toThrow(RangeError);
    expect(new VirtualClock(5).now()).toBe(5);
  });

  it("advanceTo() and advance() refuse what is not a number (a NaN was silently ignored, a string concatenated)", () => {
    const clock = new VirtualClock();
    expect(() => clock.advanceTo(NaN)).toThrow(RangeError);
    expect(() => clock.advanceTo(NaN)).toThrow("VirtualClock.advanceTo() needs a time in seconds, got NaN");
    expect(() => clock.advanceTo("5" as never)).toThrow(TypeError);
    expect(() => clock.advance("5" as never)).toThrow(TypeError);
    expect(() => clock.advance("5" as never)).toThrow('VirtualClock.advance() needs a number of seconds, got "5"');
    expect(clock.now()).toBe(0);
  });
});
