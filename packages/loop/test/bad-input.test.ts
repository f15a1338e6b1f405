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
