// Reprs, names, getCoro/getStack, task factories and runUntilComplete corner
// cases of CPython 3.12 (test_tasks.py, test_futures.py, test_base_events.py).
// Expected values come from ~/.pyenv/versions/3.12.1/bin/python3 running the
// quoted snippets; CPython's "running at file:line" / qualnames are not ported
// (JavaScript has neither), the rest of each repr is.
import { afterEach, describe, expect, it, vi } from "vitest";
import { EventLoop, getRunningLoop, RuntimeError, VirtualClock, type ExceptionContext } from "@asyncio-ts/loop";
import { CancelledError, createTask, Future, run, sleep, Task, type Coroutine } from "@asyncio-ts/tasks";
import { runVirtual } from "./helpers.js";

class ValueError extends Error {
  override name = "ValueError";
}
class KeyError extends Error {
  override name = "KeyError";
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("Future and Task reprs", () => {
  // fut = loop.create_future(); repr(fut) -> '<Future pending>'
  // f2.set_result("r") -> "<Future finished result='r'>"; f3.cancel("m") -> '<Future cancelled>'
  // f4.set_exception(KeyError()) -> '<Future finished exception=KeyError()>'
  it("futures: pending, finished result, cancelled (the message is not shown), finished exception", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      expect(String(loop.createFuture())).toBe("<Future pending>");
      const f2 = loop.createFuture<string>();
      (f2 as Future<string>).setResult("r");
      expect(String(f2)).toBe("<Future finished result='r'>");
      const f3 = loop.createFuture();
      f3.cancel("m");
      expect(String(f3)).toBe("<Future cancelled>");
      const f4 = loop.createFuture() as Future<unknown>;
      f4.setException(new KeyError());
      expect(String(f4)).toBe("<Future finished exception=KeyError()>");
      f4.exception();
    });
  });

  // async def notmuch(): return 'abc'   -> "<Task finished name='N' coro=<notmuch()> result='abc'>"
  // async def bad(): raise ValueError("x") -> "<Task finished name='B' coro=<bad()> exception=ValueError('x')>"
  // t awaits fut, t.cancel()           -> "<Task cancelling name='W' coro=<wait_for()> ...>"
  // after it ran                         -> "<Task cancelled name='W' coro=<wait_for()>>"
  it("tasks: pending, cancelling (cancel requested, not yet delivered), cancelled, finished result, finished exception", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const fut = loop.createFuture() as Future<void>;
      const t = createTask(async function wait_for() {
        return await fut;
      }, { name: "W" });
      expect(String(t)).toMatch(/^<Task pending name='W' coro=<wait_for\(\)>/);
      await sleep(0);
      expect(String(t)).toMatch(/^<Task pending name='W' coro=<wait_for\(\)>/);
      t.cancel();
      expect(String(t)).toMatch(/^<Task cancelling name='W' coro=<wait_for\(\)>/);
      await t.then(undefined, () => undefined);
      expect(String(t)).toBe("<Task cancelled name='W' coro=<wait_for()>>");
      const n = createTask(async function notmuch() {
        return "abc";
      }, { name: "N" });
      await n;
      expect(String(n)).toBe("<Task finished name='N' coro=<notmuch()> result='abc'>");
      const b = createTask(async function bad() {
        throw new ValueError("x");
      }, { name: "B" });
      await b.then(undefined, () => undefined);
      expect(String(b)).toBe("<Task finished name='B' coro=<bad()> exception=ValueError('x')>");
    });
  });

  // test_cancelling: t.cancel() before the first step: " cancelling " in repr(t); a second cancel() also returns True
  it("a task cancelled before its first step is 'cancelling' until it runs; cancel() again still returns true", async () => {
    await runVirtual(async () => {
      const t = createTask(async function task() {
        await sleep(10);
      });
      expect(t.cancelling()).toBe(0);
      expect(String(t)).not.toContain(" cancelling ");
      expect(t.cancel()).toBe(true);
      expect(t.cancelling()).toBe(1);
      expect(String(t)).toContain(" cancelling ");
      expect(t.cancel()).toBe(true);
      expect(t.cancelling()).toBe(2);
      await expect(t.then()).rejects.toBeInstanceOf(CancelledError);
      expect(String(t)).toMatch(/^<Task cancelled /);
    });
  });
});

describe("names, getCoro, getStack", () => {
  // t1 = create_task(nm()); t2 = create_task(nm()) -> int(t2 name) - int(t1 name) == 1
  // create_task(nm(), name=987) -> '987'; set_name(123456789) -> '123456789'
  it("default names count up by one; a numeric name becomes a string", async () => {
    await runVirtual(async () => {
      const t1 = createTask(async () => 1);
      const t2 = createTask(async () => 1);
      const n1 = Number(/^Task-(\d+)$/.exec(t1.getName())![1]);
      const n2 = Number(/^Task-(\d+)$/.exec(t2.getName())![1]);
      expect(n2 - n1).toBe(1);
      const t3 = createTask(async () => 1, { name: 987 as never });
      expect(t3.getName()).toBe("987");
      t3.setName(123456789);
      expect(t3.getName()).toBe("123456789");
      await t1;
      await t2;
      await t3;
    });
  });

  // test_get_coro: coro = coroutine_function(); task = create_task(coro); run it; task.get_coro() is coro
  it("getCoro() is the coroutine the task was made with, also once done", async () => {
    await runVirtual(async () => {
      const gen = (function* () {
        yield* sleep(0);
        return 1;
      })();
      const t = createTask(gen);
      expect(t.getCoro()).toBe(gen);
      await t;
      expect(t.getCoro()).toBe(gen);
      const fn = async (): Promise<number> => 2;
      const a = createTask(fn);
      await a;
      expect(a.getCoro()).toBe(fn);
    });
  });

  // t = create_task(nm(), name="S"); await t; t.get_stack() -> []
  // t.print_stack() -> "No stack for <Task finished name='S' coro=<nm()> result=1>"
  it("a done task has no stack; printStack says so", async () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    await runVirtual(async () => {
      const t = createTask(async function nm() {
        return 1;
      }, { name: "S" });
      await t;
      expect(t.getStack()).toEqual([]);
      t.printStack();
    });
    expect(spy.mock.calls.map((c) => String(c[0]))).toEqual(["No stack for <Task finished name='S' coro=<nm()> result=1>"]);
  });
});

describe("task factories", () => {
  // test_set_task_factory: factory = lambda loop, coro: MyTask(coro, loop=loop); create_task -> MyTask;
  // set_task_factory(None) -> plain Task. set_task_factory(1) -> TypeError; get_task_factory() stays None
  it("the factory makes the task; null restores the default; a non-callable is a TypeError", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      class MyTask<T> extends Task<T> {}
      const factory = (l: EventLoop, coro: Coroutine<unknown>) => new MyTask(coro, { loop: l });
      expect(loop.getTaskFactory()).toBeNull();
      loop.setTaskFactory(factory);
      expect(loop.getTaskFactory()).toBe(factory);
      const t = createTask(async () => 1);
      expect(t).toBeInstanceOf(MyTask);
      await t;
      loop.setTaskFactory(null);
      expect(loop.getTaskFactory()).toBeNull();
      const u = createTask(async () => 2);
      expect(u).toBeInstanceOf(Task);
      expect(u).not.toBeInstanceOf(MyTask);
      await u;
      expect(() => loop.setTaskFactory(1 as never)).toThrow(TypeError);
      expect(loop.getTaskFactory()).toBeNull();
    });
  });
});

describe("runUntilComplete corner cases", () => {
  // test_stop_while_run_in_complete: task sleeps 0.1 in a loop, calls loop.stop() when x == 2
  // -> RuntimeError('Event loop stopped before Future completed.'), t.done() False, x == 2;
  //    t.cancel(); run_until_complete(t) -> CancelledError
  it("stop() before the future is done: RuntimeError('Event loop stopped before Future completed.'); the task lives on", async () => {
    const loop = new EventLoop({ clock: new VirtualClock() });
    let x = 0;
    const t = loop.createTask(async () => {
      while (x < 10) {
        await sleep(0.1);
        x += 1;
        if (x === 2) loop.stop();
      }
    }) as Task<void>;
    await expect(loop.runUntilComplete(t)).rejects.toThrow(new RuntimeError("Event loop stopped before Future completed."));
    expect(t.done()).toBe(false);
    expect(x).toBe(2);
    t.cancel();
    await expect(loop.runUntilComplete(t)).rejects.toBeInstanceOf(CancelledError);
    expect(t.cancelled()).toBe(true);
    expect(x).toBe(2);
    loop.close();
  });

  // other = new_event_loop(); f = other.create_future(); loop.run_until_complete(f)
  // -> ValueError('The future belongs to a different loop than the one specified as the loop argument')
  // (a wrong value: RangeError here). After loop.close(): RuntimeError('Event loop is closed')
  it("a future of another loop is refused; a closed loop refuses to run", async () => {
    const loop = new EventLoop({ clock: new VirtualClock() });
    const other = new EventLoop({ clock: new VirtualClock() });
    const f = other.createFuture();
    expect(() => loop.runUntilComplete(f)).toThrow(RangeError);
    expect(() => loop.runUntilComplete(f)).toThrow("The future belongs to a different loop than the one specified as the loop argument");
    loop.close();
    expect(() => loop.runUntilComplete(f)).toThrow(new RuntimeError("Event loop is closed"));
    other.close();
  });

  // async def run(fut): await fut   (fut of another loop), in a generator task here
  // -> RuntimeError matching 'Task .* got Future .* attached to a different loop'
  it("a generator task awaiting a future of another loop fails with RuntimeError", async () => {
    const other = new EventLoop({ clock: new VirtualClock() });
    const f = other.createFuture() as Future<void>;
    await runVirtual(async () => {
      const t = createTask(
        (function* () {
          yield* f;
        })(),
      );
      await expect(t.then()).rejects.toThrow(/Task .* got Future .* attached to a different loop/);
      await expect(t.then()).rejects.toBeInstanceOf(RuntimeError);
    });
    other.close();
  });
});

describe("exception contexts and nesting", () => {
  // f.add_done_callback(bad); f.set_result(1)  (bad raises ValueError('cb'))
  // -> context keys ['exception', 'handle', 'message'], message 'Exception in callback bad(<Future finished result=1>)'
  it("a failing done callback is reported with message, exception and handle; the loop goes on", async () => {
    await run(
      async () => {
        const loop = getRunningLoop();
        const contexts: ExceptionContext[] = [];
        loop.setExceptionHandler((_l, c) => void contexts.push(c));
        const f = loop.createFuture() as Future<number>;
        const err = new ValueError("cb");
        f.addDoneCallback(function bad() {
          throw err;
        });
        f.setResult(1);
        await sleep(0);
        expect(contexts).toHaveLength(1);
        expect(Object.keys(contexts[0]).sort()).toEqual(["exception", "handle", "message"]);
        expect(contexts[0].exception).toBe(err);
        expect(contexts[0].message).toMatch(/^Exception in callback /);
        loop.setExceptionHandler(null);
      },
      { loopFactory: () => new EventLoop({ clock: new VirtualClock() }) },
    );
  });

  // loop.run_until_complete(...) / loop.run_forever() inside the running loop
  // -> RuntimeError('This event loop is already running') (both)
  it("runUntilComplete() and runForever() inside the running loop: RuntimeError('This event loop is already running')", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      expect(() => loop.runUntilComplete(async () => 1)).toThrow(new RuntimeError("This event loop is already running"));
      expect(() => loop.runForever()).toThrow(new RuntimeError("This event loop is already running"));
    });
  });

  // a loop closed with a task still pending -> [(['message', 'task'], 'Task was destroyed but it is pending!')]
  it("'Task was destroyed but it is pending!' carries exactly message and task (the task itself)", async () => {
    const loop = new EventLoop({ clock: new VirtualClock() });
    const contexts: ExceptionContext[] = [];
    loop.setExceptionHandler((_l, c) => void contexts.push(c));
    let t!: Task<void>;
    await loop.runUntilComplete(async () => {
      t = createTask(async () => {
        await sleep(3600);
      });
      await sleep(0);
    });
    loop.close();
    expect(contexts.map((c) => [Object.keys(c).sort(), c.message])).toEqual([[["message", "task"], "Task was destroyed but it is pending!"]]);
    expect(contexts[0].task).toBe(t);
  });
});

describe("'Exception in callback' names the done callback and its future", () => {
  // CPython 3.12: def bad(fut): raise ValueError; f.add_done_callback(bad); f.set_result(1)
  //   message == 'Exception in callback bad(<Future finished result=1>)' (+ ' at file:line'),
  //   repr(handle) == '<Handle bad(<Future finished result=1>)>'
  // Before the fix, ours: 'Exception in callback <Handle <Future finished result=1>>': the
  // internal handle made by Future._scheduleOne/_callSoonInternal has the
  // future as _thisArg, and handle.ts describeCallback prefers a thisArg with
  // its own toString over the callback's name (meant for task steps).
  it("names the callback and its argument", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const contexts: ExceptionContext[] = [];
      const previous = loop.getExceptionHandler();
      loop.setExceptionHandler((_l, c) => void contexts.push(c));
      const f = loop.createFuture() as Future<number>;
      f.addDoneCallback(function bad() {
        throw new ValueError("cb");
      });
      f.setResult(1);
      await sleep(0);
      loop.setExceptionHandler(previous);
      expect(contexts[0].message).toMatch(/^Exception in callback bad\(<Future finished result=1>\)/);
    });
  });
});

describe("a task factory that ignores options keeps the task name", () => {
  // CPython 3.12 (base_events.create_task): the factory is called as
  // factory(loop, coro) and the name is applied afterwards with
  // tasks._set_task_name(task, name):
  //   def task_factory(loop, coro): return asyncio.Task(coro, loop=loop)
  //   loop.set_task_factory(task_factory)
  //   loop.create_task(test(), name='test_task').get_name() -> 'test_task'
  //   (test_base_events.test_create_named_task_with_custom_factory)
  // Before the fix, ours: 'Task-N'. EventLoop.createTask (loop/src/event-loop.ts) returns
  // the factory's task as is; it should call task.setName(options.name) when a
  // name was given (as CPython does even for factories that take it).
  it("applies the name after the factory", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      loop.setTaskFactory((l, coro) => new Task(coro, { loop: l }));
      const t = loop.createTask(async () => 1, { name: "test_task" }) as Task<number>;
      expect(t.getName()).toBe("test_task");
      await t;
      loop.setTaskFactory(null);
    });
  });
});

describe("reprs show wait_for= and cb=[...]", () => {
  // CPython 3.12 (base_futures._future_repr_info, base_tasks._task_repr_info):
  //   async def wait_for(fut): return await fut
  //   t = create_task(wait_for(fut), name='W'); await sleep(0)
  //   repr(t)   -> "<Task pending name='W' coro=<wait_for() running at ...> wait_for=<Future pending cb=[Task.task_wakeup()]>>"
  //   repr(fut) -> "<Future pending cb=[Task.task_wakeup()]>"
  //   t.cancel(); repr(t) -> "<Task cancelling name='W' coro=<...> wait_for=<Future cancelled>>"
  // Before the fix, ours: "<Task pending name='W' coro=<wait_for()>>" and "<Future pending>".
  // Future._reprInfo (tasks/src/future.ts) never lists callbacks, and
  // Task._reprInfo (tasks/src/task.ts) never shows _futWaiter.
  it("shows what the task waits for, and the future's callbacks", async () => {
    await runVirtual(async () => {
      const fut = getRunningLoop().createFuture() as Future<void>;
      const t = createTask(async function wait_for() {
        return await fut;
      }, { name: "W" });
      await sleep(0);
      expect(String(t)).toMatch(/^<Task pending name='W' coro=<wait_for\(\)> wait_for=<Future pending cb=\[.+\]>>$/);
      expect(String(fut)).toMatch(/^<Future pending cb=\[.+\]>$/);
      t.cancel();
      expect(String(t)).toMatch(/ wait_for=<Future cancelled>>$/);
      await t.then(undefined, () => undefined);
    });
  });
});

describe("an async task awaiting a future of another loop fails", () => {
  // CPython 3.12 (test_tasks.test_other_loop_future):
  //   fut = other_loop.create_future()
  //   async def run(fut): await fut
  //   loop.run_until_complete(run(fut)) -> RuntimeError('Task <...> got Future <...> attached to a different loop')
  // Before the fix, ours (async coroutine): the await never settled (the task stays pending).
  // Future.then (tasks/src/future.ts) asks awaitingTask(this._loop), which
  // returns null when the current task belongs to another loop, so the await is
  // registered as a plain waiter on the foreign future instead of failing the
  // way Task._suspendOn does for generator coroutines.
  it("fails the task with RuntimeError", async () => {
    const other = new EventLoop({ clock: new VirtualClock() });
    const f = other.createFuture() as Future<void>;
    await runVirtual(async () => {
      const t = createTask(async () => {
        await f;
      });
      await sleep(1);
      expect(t.done()).toBe(true);
      await expect(t.then()).rejects.toThrow(/attached to a different loop/);
    });
    other.close();
  });
});

describe("debug mode: task reports carry the task's creation stack", () => {
  // loop.set_debug(True); t2 = loop.create_task(forever()); run briefly; loop.close(); del t2
  // -> ['message', 'source_traceback', 'task'] 'Task was destroyed but it is pending!'
  // (Task.__del__ adds source_traceback when the task kept one, i.e. in debug mode)
  // Before the fix, ours: ['message', 'task'] even in debug mode, though the task kept its stack.
  it("'Task was destroyed but it is pending!' has source_traceback in debug mode", async () => {
    const loop = new EventLoop({ clock: new VirtualClock(), debug: true });
    const contexts: ExceptionContext[] = [];
    loop.setExceptionHandler((_l, c) => void contexts.push(c));
    await loop.runUntilComplete(async () => {
      createTask(async () => {
        await sleep(3600);
      });
      await sleep(0);
    });
    loop.close();
    expect(contexts.map((c) => Object.keys(c).sort())).toEqual([["message", "source_traceback", "task"]]);
    expect(String(contexts[0].source_traceback)).toContain("cpython-introspection.test.ts");
  });
});
