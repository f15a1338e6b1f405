import { describe, expect, it, vi } from "vitest";
import { EventLoop, getEventLoop, getRunningLoop, newEventLoop, RuntimeError, setEventLoop, VirtualClock } from "@asyncio-ts/loop";

function virtualLoop(): EventLoop {
  return new EventLoop({ clock: new VirtualClock() });
}

/** Runs the loop until `body` stops it (loop-only tests, no tasks package). */
async function runLoop(loop: EventLoop, body: (stop: () => void) => void): Promise<void> {
  loop.callSoon(() => body(() => loop.stop()));
  await loop.runForever();
}

describe("callSoon", () => {
  it("runs callbacks in FIFO order; ones added meanwhile run next iteration", async () => {
    const loop = virtualLoop();
    const trace: string[] = [];
    loop.callSoon(() => {
      trace.push("a");
      loop.callSoon(() => trace.push("c (next iteration)"));
    });
    loop.callSoon(() => {
      trace.push("b");
      loop.stop(); // the iteration in progress still finishes
    });
    await loop.runForever();
    expect(trace).toEqual(["a", "b"]);
    await runLoop(loop, (stop) => stop());
    expect(trace).toEqual(["a", "b", "c (next iteration)"]);
    loop.close();
  });

  it("passes arguments and skips cancelled handles", async () => {
    const loop = virtualLoop();
    const seen: unknown[] = [];
    loop.callSoon((x: number, y: string) => seen.push(x, y), 1, "two");
    const h = loop.callSoon(() => seen.push("cancelled"));
    h.cancel();
    expect(h.cancelled()).toBe(true);
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    expect(seen).toEqual([1, "two"]);
    loop.close();
  });

  it("drains microtasks after each callback, before the next one", async () => {
    const loop = virtualLoop();
    const trace: string[] = [];
    loop.callSoon(() => {
      trace.push("cb1");
      void Promise.resolve().then(() => trace.push("micro1")).then(() => trace.push("micro1b"));
    });
    loop.callSoon(() => trace.push("cb2"));
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    expect(trace).toEqual(["cb1", "micro1", "micro1b", "cb2"]);
    loop.close();
  });

  it("rejects non-callables and closed loops with clear errors", () => {
    const loop = virtualLoop();
    expect(() => loop.callSoon(42 as never)).toThrow(/callable object was expected by callSoon\(\), got 42/);
    loop.close();
    expect(() => loop.callSoon(() => {})).toThrow(RuntimeError);
    expect(() => loop.callSoon(() => {})).toThrow("Event loop is closed");
  });
});

describe("timers", () => {
  it("run in deadline order, equal deadlines in scheduling order", async () => {
    const loop = virtualLoop();
    const trace: string[] = [];
    await runLoop(loop, (stop) => {
      const t0 = loop.time();
      loop.callLater(0.3, () => trace.push("0.3"));
      loop.callAt(t0 + 0.1, () => trace.push("0.1 first"));
      loop.callLater(0.2, () => trace.push("0.2"));
      for (let i = 0; i < 5; i++) loop.callAt(t0 + 0.1, () => trace.push(`0.1 #${i}`));
      loop.callLater(0.5, stop);
    });
    expect(trace).toEqual(["0.1 first", "0.1 #0", "0.1 #1", "0.1 #2", "0.1 #3", "0.1 #4", "0.2", "0.3"]);
    expect(loop.time()).toBe(0.5);
    loop.close();
  });

  it("a virtual clock jumps over an hour at once", async () => {
    const loop = virtualLoop();
    const started = performance.now();
    await runLoop(loop, (stop) => void loop.callLater(3600, stop));
    expect(loop.time()).toBe(3600);
    expect(performance.now() - started).toBeLessThan(1000);
    loop.close();
  });

  it("never fire before their deadline by loop.time() (real clock)", async () => {
    const loop = new EventLoop();
    const lateness: number[] = [];
    await runLoop(loop, (stop) => {
      let left = 20;
      for (let i = 0; i < 20; i++) {
        const delay = 0.001 + (i % 5) * 0.002;
        const timer = loop.callLater(delay, () => {
          lateness.push(loop.time() - timer.when());
          if (--left === 0) stop();
        });
      }
    });
    expect(lateness).toHaveLength(20);
    for (const late of lateness) expect(late).toBeGreaterThanOrEqual(0);
    loop.close();
  });

  it("a cancelled timer does not run, and TimerHandle.when() is the deadline", async () => {
    const loop = virtualLoop();
    let ran = false;
    await runLoop(loop, (stop) => {
      const t = loop.callAt(loop.time() + 5, () => (ran = true));
      expect(t.when()).toBe(loop.time() + 5);
      t.cancel();
      loop.callLater(10, stop);
    });
    expect(ran).toBe(false);
    loop.close();
  });

  it("rejects bad delays", () => {
    const loop = virtualLoop();
    expect(() => loop.callLater(Number.NaN, () => {})).toThrow(RangeError);
    expect(() => loop.callLater("1" as never, () => {})).toThrow(TypeError);
    expect(() => loop.callAt(undefined as never, () => {})).toThrow(/callAt\(\) when must be a number of seconds, got undefined/);
    loop.close();
  });
});

describe("running and stopping", () => {
  it("stop() before runForever() runs exactly one iteration", async () => {
    const loop = virtualLoop();
    const trace: string[] = [];
    loop.callSoon(() => {
      trace.push("first");
      loop.callSoon(() => trace.push("second"));
    });
    loop.stop();
    await loop.runForever();
    expect(trace).toEqual(["first"]);
    loop.close();
  });

  it("getRunningLoop() inside, RuntimeError outside", async () => {
    const loop = virtualLoop();
    expect(() => getRunningLoop()).toThrow(new RuntimeError("no running event loop"));
    let inside: EventLoop | null = null;
    await runLoop(loop, (stop) => {
      inside = getRunningLoop();
      expect(loop.isRunning()).toBe(true);
      stop();
    });
    expect(inside).toBe(loop);
    expect(loop.isRunning()).toBe(false);
    loop.close();
  });

  it("refuses to run twice, to run beside another loop, or to close while running", async () => {
    const loop = virtualLoop();
    const other = virtualLoop();
    await runLoop(loop, (stop) => {
      expect(() => loop.runForever()).toThrow("This event loop is already running");
      expect(() => other.runForever()).toThrow("Cannot run the event loop while another loop is running");
      expect(() => loop.close()).toThrow("Cannot close a running event loop");
      stop();
    });
    loop.close();
    loop.close(); // idempotent
    expect(loop.isClosed()).toBe(true);
    expect(() => loop.runForever()).toThrow("Event loop is closed");
    other.close();
  });

  it("getEventLoop / setEventLoop / newEventLoop", () => {
    const loop = newEventLoop();
    setEventLoop(loop);
    expect(getEventLoop()).toBe(loop);
    setEventLoop(null);
    const made = getEventLoop();
    expect(made).toBeInstanceOf(EventLoop);
    expect(getEventLoop()).toBe(made);
    expect(() => setEventLoop({} as never)).toThrow(TypeError);
    made.close();
    loop.close();
  });
});

describe("exceptions", () => {
  it("an exception in a callback goes to the handler and the loop goes on", async () => {
    const loop = virtualLoop();
    const contexts: Record<string, unknown>[] = [];
    loop.setExceptionHandler((l, context) => {
      expect(l).toBe(loop);
      contexts.push(context);
    });
    const trace: string[] = [];
    await runLoop(loop, (stop) => {
      loop.callSoon(function boom() {
        throw new Error("boom");
      });
      loop.callSoon(() => trace.push("after"));
      loop.callSoon(stop);
    });
    expect(trace).toEqual(["after"]);
    expect(contexts).toHaveLength(1);
    expect(String(contexts[0].message)).toMatch(/^Exception in callback boom\(\)$/);
    expect((contexts[0].exception as Error).message).toBe("boom");
    loop.close();
  });

  it("an error in the handler itself falls back to the default handler", () => {
    const loop = virtualLoop();
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    loop.setExceptionHandler(() => {
      throw new Error("handler broke");
    });
    loop.callExceptionHandler({ message: "original" });
    expect(spy).toHaveBeenCalledTimes(1);
    expect(String(spy.mock.calls[0][0])).toMatch(/^Unhandled error in exception handler/);
    expect(String(spy.mock.calls[0][0])).toMatch(/handler broke/);
    spy.mockRestore();
    expect(() => loop.setExceptionHandler(5 as never)).toThrow(TypeError);
    loop.close();
  });
});

describe("debug mode", () => {
  it("reports a slow callback through the exception handler", async () => {
    const loop = new EventLoop({ debug: true });
    loop.slowCallbackDuration = 0.01;
    const messages: string[] = [];
    loop.setExceptionHandler((_l, context) => void messages.push(context.message));
    await runLoop(loop, (stop) => {
      loop.callSoon(function slowThing() {
        const end = performance.now() + 30;
        while (performance.now() < end);
      });
      loop.callSoon(stop);
    });
    expect(messages.some((m) => /^Executing <Handle slowThing\(\) created at \S+event-loop\.test\.ts:\d+> took 0\.0\d\d seconds$/.test(m))).toBe(true);
    loop.close();
  });
});
