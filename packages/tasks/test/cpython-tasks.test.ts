// Task behaviours of CPython 3.12's test_tasks.py not covered by task.test.ts or
// the other cpython-* files, for both coroutine kinds. Expected values were
// printed by ~/.pyenv/versions/3.12.1/bin/python3 running the Python quoted
// above each case.
import { describe, expect, it } from "vitest";
import { EventLoop, getRunningLoop, RuntimeError, VirtualClock, type ExceptionContext } from "@asyncio-ts/loop";
import { CancelledError, createTask, currentTask, ensureFuture, Future, InvalidStateError, sleep, Task } from "@asyncio-ts/tasks";
import { awaitingTask, counter, en, KINDS, runVirtual, tracer } from "./helpers.js";

const virtualLoop = (): EventLoop => new EventLoop({ clock: new VirtualClock() });

describe("creating tasks", () => {
  // test_create_task_with_asynclike_function: Task(CoroLikeObject()) where the object has
  // send/throw/close/__await__ but is no coroutine -> a Task, result 42
  it("an iterator object shaped like a generator is a coroutine", async () => {
    await runVirtual(async () => {
      const coroLike = {
        next: () => ({ done: true, value: 42 }),
        throw: (e: unknown) => {
          throw e;
        },
        return: (v: unknown) => ({ done: true, value: v }),
        [Symbol.iterator]() {
          return this;
        },
      };
      const t = createTask(coroLike as never);
      expect(t).toBeInstanceOf(Task);
      expect(await t).toBe(42);
    });
  });

  // test_ensure_future_coroutine / test_ensure_future_error_msg:
  //   ensure_future(notmuch(), loop=loop) on a loop not running -> a task of that loop; run -> 'ok'
  //   ensure_future(t, loop=other) -> ValueError('The future belongs to a different loop than the one specified as the loop argument')
  // test_task_class on a closed loop: loop.create_task(c) / Task(c, loop=loop) -> RuntimeError('Event loop is closed')
  // Before the fix, ours: new Task(coro, { loop: closedLoop }) made a task that would never run.
  it("ensureFuture on a loop that is not running; another loop; a closed loop", async () => {
    const loop = virtualLoop();
    const other = virtualLoop();
    const t = ensureFuture(async () => "ok", { loop });
    expect(t.getLoop()).toBe(loop);
    expect(await loop.runUntilComplete(t)).toBe("ok");
    expect(() => ensureFuture(t, { loop: other })).toThrow(new RangeError("The future belongs to a different loop than the one specified as the loop argument"));
    expect(ensureFuture(t, { loop })).toBe(t);
    loop.close();
    expect(() => loop.createTask(async () => 1)).toThrow(new RuntimeError("Event loop is closed"));
    expect(() => new Task(async () => 1, { loop })).toThrow(new RuntimeError("Event loop is closed"));
    other.close();
  });
});

describe("currentTask(loop) (BaseCurrentLoopTests)", () => {
  // current_task(loop=loop) with no running loop -> None; current_task() -> RuntimeError('no running event loop')
  // inside a task of loop: current_task(loop) is task, current_task(None) is task; after the run: None
  it.each(KINDS)("names the task of the given loop, and none outside (%s)", async (kind) => {
    const loop = virtualLoop();
    expect(currentTask(loop)).toBeNull();
    expect(() => currentTask()).toThrow(new RuntimeError("no running event loop"));
    const seen: boolean[] = [];
    const check = (): void => {
      const me = currentTask(loop);
      seen.push(me === task, currentTask(undefined) === task, currentTask() === task);
    };
    const task: Task<void> = loop.createTask(
      kind === "async"
        ? async () => {
            check();
            await sleep(0);
            check();
          }
        : (function* () {
            check();
            yield* sleep(0);
            check();
          })(),
    ) as Task<void>;
    await loop.runUntilComplete(task);
    expect(seen).toEqual([true, true, true, true, true, true]);
    expect(currentTask(loop)).toBeNull();
    loop.close();
  });
});

describe.each(KINDS)("awaiting futures that are done in unusual ways (%s coroutines)", (kind) => {
  // f = create_future(); f.cancel("c"); a task awaits f and catches:
  //   -> CancelledError('c') after 0 iterations; the task returns 1, not cancelled
  // g.set_exception(CancelledError("x")) (an exception, not a cancel) while a task awaits g:
  //   -> g.cancelled() False, g.exception() CancelledError('x'), repr '<Future finished exception=CancelledError('x')>'
  //   -> the task gets CancelledError('x') and ends cancelled, cancelling() 0
  // h.set_exception(CancelledError) (the class) -> h.result() raises CancelledError(), h.cancelled() False
  it("a cancelled future raises at once; a CancelledError set as exception cancels the awaiting task", async () => {
    const { trace, log } = tracer();
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const it = counter();
      const f = loop.createFuture() as Future<void>;
      f.cancel("c");
      const body = function* (): Generator<unknown, number, unknown> {
        const base = it();
        try {
          yield* f;
        } catch (e) {
          log("caught", en(e), it() - base);
        }
        return 1;
      };
      const t =
        kind === "async"
          ? createTask(async () => {
              const base = it();
              try {
                await f;
              } catch (e) {
                log("caught", en(e), it() - base);
              }
              return 1;
            })
          : createTask(body());
      log("task", await t, t.cancelled());
      const g = loop.createFuture() as Future<void>;
      const t2 = awaitingTask(kind, () => g, { onError: (e) => log("t2 got", en(e)) });
      await sleep(0);
      g.setException(new CancelledError("x"));
      log("g", g.cancelled(), en(g.exception()), String(g));
      try {
        await t2;
      } catch (e) {
        log("main got", en(e), t2.cancelled(), t2.cancelling());
      }
      const h = loop.createFuture() as Future<void>;
      h.setException(CancelledError);
      try {
        h.result();
      } catch (e) {
        log("h", en(e), h.cancelled());
      }
    });
    expect(trace).toEqual([
      "caught CancelledError('c') 0",
      "task 1 false",
      "g false CancelledError('x') <Future finished exception=CancelledError('x')>",
      "t2 got CancelledError('x')",
      "main got CancelledError('x') true 0",
      "h CancelledError() false",
    ]);
  });
});

describe.each(KINDS)("cancelling a sleeping task from a timer (%s coroutines)", (kind) => {
  // test_task_cancel_sleeping_task: sleeper = create_task(sleep(5000)); call_later(0.1, sleeper.cancel)
  //   try: await sleeper except CancelledError: return 'cancelled' -> 'cancelled' at 0.1
  // test_sleep: await sleep(0.05); return await sleep(0.05, 'yeah') -> 'yeah' at 0.1
  it("ends it at the timer's time; sleep(dt, result) gives the result", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const t0 = loop.time();
      const sleeper =
        kind === "async"
          ? createTask(async () => {
              await sleep(5000);
            })
          : createTask(
              (function* () {
                yield* sleep(5000);
              })(),
            );
      loop.callLater(0.1, () => sleeper.cancel());
      let outcome: string;
      try {
        await sleeper;
        outcome = "slept in";
      } catch {
        outcome = "cancelled";
      }
      expect([outcome, Math.round((loop.time() - t0) * 100) / 100]).toEqual(["cancelled", 0.1]);
      const t1 = loop.time();
      const yeah =
        kind === "async"
          ? createTask(async () => {
              await sleep(0.05);
              return await sleep(0.05, "yeah");
            })
          : createTask(
              (function* () {
                yield* sleep(0.05);
                return yield* sleep(0.05, "yeah");
              })(),
            );
      expect([await yeah, Math.round((loop.time() - t1) * 100) / 100]).toEqual(["yeah", 0.1]);
    });
  });
});

describe.each(KINDS)("Future.setResult/setException called on a task (SetMethodsTest, %s coroutines)", (kind) => {
  // async def foo(): await sleep(0.1); return 10
  // task = create_task(foo()); Future.set_result(task, 'spam') -> run_until_complete(task) == 'spam';
  //   the exception handler is called once, with InvalidStateError matching 'step\(\): already done';
  //   the coroutine never runs
  // Future.set_exception(task, MyExc()) -> awaiting raises MyExc; the same single report
  it("the task ends as told; its queued first step fails with InvalidStateError; the coroutine never runs", async () => {
    const { trace, log } = tracer();
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const contexts: ExceptionContext[] = [];
      loop.setExceptionHandler((_l, c) => void contexts.push(c));
      const make = (): Task<number> =>
        kind === "async"
          ? createTask(async () => {
              log("coroutine ran");
              await sleep(0.1);
              return 10;
            })
          : createTask(
              (function* () {
                log("coroutine ran");
                yield* sleep(0.1);
                return 10;
              })(),
            );
      const t = make();
      Future.prototype.setResult.call(t, "spam");
      log("result", await t);
      await sleep(0.2);
      const t2 = make();
      class MyExc extends Error {}
      Future.prototype.setException.call(t2, new MyExc("my"));
      try {
        await t2;
      } catch (e) {
        log("raised", e instanceof MyExc);
      }
      await sleep(0.2);
      for (const c of contexts) log("report", c.exception instanceof InvalidStateError, /_step\(\): already done/.test(String((c.exception as Error).message)));
      loop.setExceptionHandler(null);
    });
    expect(trace).toEqual(["result spam", "raised true", "report true true", "report true true"]);
  });
});

