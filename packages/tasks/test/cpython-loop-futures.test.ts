// runUntilComplete on a pre-stopped loop and on done futures (CPython 3.12
// base_events.run_until_complete), traced with ~/.pyenv/versions/3.12.1/bin/python3:
//
//   loop = asyncio.new_event_loop()
//   async def c(): log('step1'); await asyncio.sleep(0); log('step2'); return 5
//   t = loop.create_task(c()); loop.stop()
//   loop.run_until_complete(t) -> RuntimeError('Event loop stopped before Future completed.'), log ['step1'], t.done() False
//   loop.run_until_complete(t) -> 5, log ['step1', 'step2']
//   f = loop.create_future(); f.set_result(3); loop.run_until_complete(f) -> 3
//   loop.call_soon(log.append, 'soon'); loop.run_until_complete(f) -> 3, and 'soon' ran (one iteration)
import { describe, expect, it } from "vitest";
import { EventLoop, RuntimeError, VirtualClock, type Executor, type FutureLike } from "@asyncio-ts/loop";
import { ensureFuture, sleep, Task, type Future } from "@asyncio-ts/tasks";
import { KINDS } from "./helpers.js";

describe.each(KINDS)("runUntilComplete on a pre-stopped loop (%s coroutines)", (kind) => {
  it("runs exactly one iteration, fails, and the task finishes on the next run", async () => {
    const loop = new EventLoop({ clock: new VirtualClock() });
    const log: string[] = [];
    const t = loop.createTask(
      kind === "async"
        ? async () => {
            log.push("step1");
            await sleep(0);
            log.push("step2");
            return 5;
          }
        : (function* () {
            log.push("step1");
            yield* sleep(0);
            log.push("step2");
            return 5;
          })(),
    ) as Task<number>;
    loop.stop();
    await expect(loop.runUntilComplete(t)).rejects.toThrow(new RuntimeError("Event loop stopped before Future completed."));
    expect(log).toEqual(["step1"]);
    expect(t.done()).toBe(false);
    expect(await loop.runUntilComplete(t)).toBe(5);
    expect(log).toEqual(["step1", "step2"]);
    loop.close();
  });
});

describe("runUntilComplete of a done future", () => {
  it("returns its result after one iteration, running what was queued", async () => {
    const loop = new EventLoop({ clock: new VirtualClock() });
    const log: string[] = [];
    const f = loop.createFuture() as Future<number>;
    f.setResult(3);
    expect(await loop.runUntilComplete(f)).toBe(3);
    loop.callSoon(() => log.push("soon"));
    expect(await loop.runUntilComplete(f)).toBe(3);
    expect(log).toEqual(["soon"]);
    loop.close();
  });
});

describe("runUntilComplete stops after the iteration in which the future's done callback runs", () => {
  // loop.call_soon(first)   # first: log 'first'; call_soon(log.append, 'second-iter')
  // async def main(): log 'main'; call_soon(soon)  # soon: log 'soon-from-main'; call_soon(log.append, 'third')
  // loop.run_until_complete(main()) -> 1, log ['first', 'main', 'second-iter', 'soon-from-main']
  // call_soon(loop.stop); run_forever() -> log + ['third']
  // async def bad(): raise ValueError('v'); run_until_complete(bad()) raises ValueError('v');
  // then call_soon(call_soon, func) where func logs 'func' and stops: run_forever() runs func
  // (test_run_until_complete_baseexception: no stop() is left pending)
  it("callbacks queued during that iteration wait for the next run; a failed run leaves no stop pending", async () => {
    const loop = new EventLoop({ clock: new VirtualClock() });
    const log: string[] = [];
    loop.callSoon(() => {
      log.push("first");
      loop.callSoon(() => log.push("second-iter"));
    });
    const result = await loop.runUntilComplete(async () => {
      log.push("main");
      loop.callSoon(() => {
        log.push("soon-from-main");
        loop.callSoon(() => log.push("third"));
      });
      return 1;
    });
    expect([result, [...log]]).toEqual([1, ["first", "main", "second-iter", "soon-from-main"]]);
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    expect(log.at(-1)).toBe("third");
    await expect(
      loop.runUntilComplete(async () => {
        throw new RangeError("v");
      }),
    ).rejects.toThrow(new RangeError("v"));
    loop.callSoon(() =>
      loop.callSoon(() => {
        log.push("func");
        loop.stop();
      }),
    );
    await loop.runForever();
    expect(log.at(-1)).toBe("func");
    loop.close();
  });

  // loop.run_until_complete('blah') -> TypeError (test_run_until_complete_type_error)
  it("refuses what is not awaitable with TypeError", () => {
    const loop = new EventLoop({ clock: new VirtualClock() });
    expect(() => loop.runUntilComplete("blah" as never)).toThrow(TypeError);
    expect(loop.isRunning()).toBe(false);
    loop.close();
  });
});

describe("runUntilComplete and the task factory (test_create_task)", () => {
  // class EventLoop(BaseEventLoop): def create_task(self, coro): return MyTask(coro, loop=self)
  // asyncio.ensure_future(coro, loop=loop) -> a MyTask; run_until_complete(coro) wraps it the same way
  // (base_events.run_until_complete -> tasks.ensure_future -> loop.create_task -> the task factory)
  it("a coroutine is wrapped through the loop's createTask, so through the factory", async () => {
    const loop = new EventLoop({ clock: new VirtualClock() });
    class MyTask<T> extends Task<T> {}
    const made: Task<unknown>[] = [];
    loop.setTaskFactory((l, coro, options) => {
      const t = new MyTask(coro, { loop: l, ...options });
      made.push(t);
      return t;
    });
    expect(await loop.runUntilComplete(async () => 7)).toBe(7);
    expect(made).toHaveLength(1);
    expect(made[0]).toBeInstanceOf(MyTask);
    expect(ensureFuture(async () => 8, { loop })).toBe(made[1]);
    expect(await loop.runUntilComplete(made[1])).toBe(8);
    // Ours passes the factory createTask's options (3.13 passes its keyword arguments;
    // 3.12 only context=), and still sets the name afterwards as 3.12 does.
    const seen: unknown[] = [];
    loop.setTaskFactory((l, coro, options) => {
      seen.push(options);
      return new Task(coro, { loop: l });
    });
    const named = loop.createTask(async () => 9, { name: "n" }) as Task<number>;
    expect(seen).toEqual([{ name: "n" }]);
    expect(named.getName()).toBe("n");
    expect(await loop.runUntilComplete(named)).toBe(9);
    loop.close();
  });
});

describe("a closed loop (test_close)", () => {
  // loop.close(); create_future() still works; run_until_complete(fut), create_task(coro),
  // run_in_executor(None, func) -> RuntimeError('Event loop is closed')
  it("makes futures but refuses tasks, runs and executor calls", () => {
    const loop = new EventLoop({ clock: new VirtualClock() });
    loop.close();
    const closed = new RuntimeError("Event loop is closed");
    const f = loop.createFuture();
    expect(f.done()).toBe(false);
    expect(() => loop.runUntilComplete(f)).toThrow(closed);
    expect(() => loop.createTask(async () => 1)).toThrow(closed);
    expect(() => ensureFuture(async () => 1, { loop })).toThrow(closed);
    expect(() => loop.runInExecutor(null, () => 1)).toThrow(closed);
  });
});

describe("the default executor's lifecycle (run_in_executor, shutdown_default_executor, close)", () => {
  /** An executor that runs calls on a resolved promise and records its shutdowns. */
  function recorder(log: unknown[]): Executor {
    return {
      submit: (fn, ...args) => Promise.resolve().then(() => (fn as (...a: unknown[]) => never)(...args)),
      shutdown: (options) => void log.push(["shutdown", options?.wait]),
    };
  }

  // loop.set_default_executor(Rec()); run_in_executor(None, add, 2, 3) -> 5
  // run_in_executor(None, lambda: 1/0) -> raises ZeroDivisionError in the awaiting coroutine
  // shutdown_default_executor() -> None, log [('shutdown', True)]
  // run_in_executor(None, print) -> RuntimeError('Executor shutdown has been called'), also after set_default_executor(Rec())
  // run_in_executor(Rec(), f) still works -> 'explicit'
  // close() -> the default executor set last is shut down without waiting: ('shutdown', False)
  it("shutdownDefaultExecutor waits for the executor; afterwards only explicit executors are used", async () => {
    const loop = new EventLoop({ clock: new VirtualClock() });
    const log: unknown[] = [];
    loop.setDefaultExecutor(recorder(log));
    expect(await loop.runUntilComplete(loop.runInExecutor(null, (a: number, b: number) => a + b, 2, 3))).toBe(5);
    await loop.runUntilComplete(async () => {
      try {
        await loop.runInExecutor(null, () => {
          throw new RangeError("1/0");
        });
      } catch (e) {
        log.push(["raised", (e as Error).name]);
      }
    });
    expect(await loop.runUntilComplete(() => loop.shutdownDefaultExecutor())).toBeUndefined();
    expect(log).toEqual([
      ["raised", "RangeError"],
      ["shutdown", true],
    ]);
    const shutDown = new RuntimeError("Executor shutdown has been called");
    expect(() => loop.runInExecutor(null, () => 1)).toThrow(shutDown);
    loop.setDefaultExecutor(recorder(log));
    expect(() => loop.runInExecutor(null, () => 1)).toThrow(shutDown);
    expect(await loop.runUntilComplete(loop.runInExecutor(recorder([]), () => "explicit"))).toBe("explicit");
    loop.close();
    expect(log.at(-1)).toEqual(["shutdown", false]);
  });

  // loop = new_event_loop(); shutdown_default_executor() with none made -> None; run_in_executor(None, f)
  // -> RuntimeError('Executor shutdown has been called')
  // class BadShutdown(...): shutdown raises ValueError('no shutdown'); shutdown_default_executor() raises it
  // executor.submit raising ValueError('nope') -> run_in_executor raises it at the call
  it("without a default executor, after a failing shutdown, and with a submit() that throws", async () => {
    const loop = new EventLoop({ clock: new VirtualClock() });
    await loop.runUntilComplete(() => loop.shutdownDefaultExecutor());
    expect(() => loop.runInExecutor(null, () => 1)).toThrow(new RuntimeError("Executor shutdown has been called"));
    const other = new EventLoop({ clock: new VirtualClock() });
    other.setDefaultExecutor({
      submit: () => Promise.resolve() as never,
      shutdown: () => {
        throw new RangeError("no shutdown");
      },
    });
    await expect(other.runUntilComplete(() => other.shutdownDefaultExecutor())).rejects.toThrow(new RangeError("no shutdown"));
    const refusing: Executor = {
      submit: () => {
        throw new RangeError("nope");
      },
      shutdown: () => undefined,
    };
    expect(() => other.runInExecutor(refusing, () => 1)).toThrow(new RangeError("nope"));
    other.close();
    loop.close();
  });

  // Not in CPython (its shutdown() is synchronous): an executor whose shutdown() returns a
  // promise that rejects. close() cannot wait for it, so the rejection goes to the loop's
  // exception handler instead of crashing the process as an unhandled rejection.
  it("close() reports a shutdown() that rejects later through the exception handler", async () => {
    const loop = new EventLoop({ clock: new VirtualClock() });
    const reports: { message: string; exception?: unknown }[] = [];
    loop.setExceptionHandler((_loop, context) => void reports.push(context));
    loop.setDefaultExecutor({ submit: () => Promise.resolve() as never, shutdown: () => Promise.reject(new RangeError("stuck worker")) });
    loop.close();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(reports.map((r) => [r.message, (r.exception as Error).message])).toEqual([
      ["Error shutting down the default executor in close()", "stuck worker"],
    ]);
  });
});

describe("runUntilComplete of a promise and of a foreign future", () => {
  // CPython: run_until_complete(awaitable) goes through ensure_future(): an asyncio-compatible
  // future of this loop (one with get_loop() and add/remove_done_callback) is used as is and its
  // done callback removed afterwards; other awaitables are wrapped. A promise is our other awaitable.
  it("waits for a promise settled by the host, and for a FutureLike of another library, which it leaves with no callback", async () => {
    const loop = new EventLoop();
    expect(await loop.runUntilComplete(new Promise<string>((resolve) => setTimeout(() => resolve("host"), 5)))).toBe("host");
    await expect(loop.runUntilComplete(Promise.reject(new RangeError("no")))).rejects.toThrow(new RangeError("no"));

    class Foreign<T> implements FutureLike<T> {
      callbacks: ((f: this) => void)[] = [];
      value: { v: T } | null = null;
      done(): boolean {
        return this.value !== null;
      }
      cancelled(): boolean {
        return false;
      }
      result(): T {
        return this.value!.v;
      }
      exception(): unknown {
        return undefined;
      }
      cancel(): boolean {
        return false;
      }
      addDoneCallback(cb: (f: this) => void): void {
        this.callbacks.push(cb);
      }
      removeDoneCallback(cb: (f: this) => void): number {
        const before = this.callbacks.length;
        this.callbacks = this.callbacks.filter((c) => c !== cb);
        return before - this.callbacks.length;
      }
      getLoop(): EventLoop {
        return loop;
      }
      set(v: T): void {
        this.value = { v };
        for (const cb of this.callbacks) loop.callSoon(cb, this);
      }
    }
    const foreign = new Foreign<number>();
    loop.callLater(0.001, () => foreign.set(42));
    expect(await loop.runUntilComplete(foreign)).toBe(42);
    expect(foreign.callbacks).toEqual([]);
    loop.close();
  });
});
