import { describe, expect, it } from "vitest";
import { EventLoop, newEventLoop, VirtualClock } from "@asyncio-ts/loop";
import { allTasks, createTask, currentTask, ensureFuture, Future, run, Runner, sleep, Task } from "@asyncio-ts/tasks";
import { runVirtual } from "./helpers.js";

// Bad input gets a clear error at the call, never a hang, a crash or a
// silently dropped result.

describe("failing with undefined", () => {
  it("setException(undefined) is a TypeError at the call (CPython: 'invalid exception object')", async () => {
    await runVirtual(async () => {
      const future = new Future();
      expect(() => future.setException(undefined)).toThrow(TypeError);
      expect(() => future.setException(undefined)).toThrow("setException() needs an exception (an Error), got undefined");
      expect(future.done()).toBe(false);
    });
  });

  for (const kind of ["async", "generator"] as const) {
    it(`a ${kind} task that throws undefined fails with a TypeError, which exception() reports (it read as "no exception")`, async () => {
      await runVirtual(async () => {
        const task =
          kind === "async"
            ? createTask(async () => {
                await sleep(0);
                throw undefined;
              })
            : createTask(
                (function* () {
                  yield* sleep(0);
                  throw undefined;
                })(),
              );
        await sleep(0.1);
        expect(task.done()).toBe(true);
        const error = task.exception();
        expect(error).toBeInstanceOf(TypeError);
        expect((error as Error).message).toMatch(/failed with undefined \(a throw or a promise rejection without a value\).*throw or reject with an Error/);
        expect(() => task.result()).toThrow(TypeError);
      });
    });
  }

  it("a promise rejected without a reason gives a future that failed with a TypeError", async () => {
    await runVirtual(async () => {
      const future = ensureFuture(Promise.reject());
      await sleep(0.1);
      expect(future.exception()).toBeInstanceOf(TypeError);
    });
  });
});

describe("createTask and run given an async generator function", () => {
  const agen = async function* numbers(): AsyncGenerator<number> {
    yield 1;
  };

  it("createTask() refuses it at the call (its async generator became the task's result, the body never ran)", async () => {
    await runVirtual(async () => {
      expect(() => createTask(agen as never)).toThrow(TypeError);
      expect(() => createTask(agen as never)).toThrow(/^createTask\(\) expects a coroutine, got async generator function numbers: .*for await/);
    });
  });

  it("run() and new Task() refuse it too", async () => {
    expect(() => run(agen as never)).toThrow(/^run\(\) expects a coroutine, got async generator function numbers/);
    await runVirtual(async () => {
      expect(() => new Task(agen as never)).toThrow(/^Task\(\) expects a coroutine, got async generator/);
    });
  });

  it("createTask() names createTask, not the Task it makes, for any non-coroutine", async () => {
    await runVirtual(async () => {
      expect(() => createTask(5 as never)).toThrow(/^createTask\(\) expects a coroutine/);
      expect(() => createTask(Promise.resolve(1) as never)).toThrow(/^createTask\(\) expects a coroutine, got a Promise that is already running/);
    });
  });
});

describe("loops that are not loops", () => {
  it("allTasks(5) and currentTask(5) are TypeErrors naming the call (allTasks threw 'Invalid value used as weak map key')", async () => {
    await runVirtual(async () => {
      expect(() => allTasks(5 as never)).toThrow(TypeError);
      expect(() => allTasks(5 as never)).toThrow("allTasks() loop must be an EventLoop, got 5");
      expect(() => currentTask({} as never)).toThrow(TypeError);
      expect(() => currentTask({} as never)).toThrow(/^currentTask\(\) loop must be an EventLoop, got /);
    });
  });

  it("new Task(coro, { loop: 5 }) is a TypeError naming the option (it was 'loop.isClosed is not a function')", async () => {
    await runVirtual(async () => {
      expect(() => new Task(async () => 1, { loop: 5 as never })).toThrow(TypeError);
      expect(() => new Task(async () => 1, { loop: 5 as never })).toThrow("new Task() options.loop must be an EventLoop, got 5");
    });
  });

  it("ensureFuture() checks its options (a bad loop was taken for a promise's future, or called 'a different loop')", async () => {
    await runVirtual(async () => {
      expect(() => ensureFuture(Promise.resolve(1), { loop: 5 as never })).toThrow("ensureFuture() options.loop must be an EventLoop, got 5");
      expect(() => ensureFuture(new Future(), { loop: "main" as never })).toThrow(TypeError);
      expect(() => ensureFuture(Promise.resolve(1), 5 as never)).toThrow("ensureFuture() takes an options object ({ loop }) after the awaitable, got 5");
    });
  });
});

describe("Runner and run options", () => {
  it("an unknown option is a TypeError naming it (a misspelt debug or loopFactory was ignored)", () => {
    expect(() => new Runner({ debgu: true } as never)).toThrow(TypeError);
    expect(() => new Runner({ debgu: true } as never)).toThrow('Runner() got an unknown option "debgu" (known: debug, loopFactory)');
    expect(() => run(async () => 1, { loopfactory: () => new EventLoop({ clock: new VirtualClock() }) } as never)).toThrow(/unknown option "loopfactory"/);
  });
});

describe("runUntilComplete", () => {
  it("something that is not awaitable is a TypeError naming runUntilComplete (not ensureFuture, which the user never called)", () => {
    const loop = newEventLoop();
    expect(() => loop.runUntilComplete(5 as never)).toThrow(TypeError);
    expect(() => loop.runUntilComplete(5 as never)).toThrow(/^runUntilComplete\(\) needs an awaitable \(a future, a coroutine or a promise\), got 5/);
    expect(loop.isRunning()).toBe(false);
    loop.close();
  });
});
