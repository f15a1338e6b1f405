// Future behaviours of CPython 3.12 (test_futures.py, test_futures2.py, and the
// future-facing parts of test_tasks.py) not covered by future.test.ts. Expected
// values were printed by ~/.pyenv/versions/3.12.1/bin/python3 running the Python
// quoted above each case.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { EventLoop, getRunningLoop, VirtualClock } from "@asyncio-ts/loop";
import { allTasks, CancelledError, createTask, Future, InvalidStateError, sleep, Task } from "@asyncio-ts/tasks";
import { awaitingTask, counter, en, KINDS, runVirtual, tracer } from "./helpers.js";

const virtualLoop = (): EventLoop => new EventLoop({ clock: new VirtualClock() });

/** `class Fut(asyncio.Future)` of test_step_result_future: it records every add_done_callback. */
class Fut<T> extends Future<T> {
  readonly added: string[] = [];
  override addDoneCallback(callback: (future: this) => void): void {
    this.added.push(callback.name);
    super.addDoneCallback(callback);
  }
}

describe.each(KINDS)("a Future subclass that overrides addDoneCallback (%s coroutines)", (kind) => {
  // test_step_result_future, with the callback and repr printed:
  //   class Fut(asyncio.Future): add_done_callback records, then calls super()
  //   async def w(): nonlocal result; result = await fut
  //   t = create_task(w()); await sleep(0)
  //   -> cb_added True, repr(fut) '<Fut pending cb=[Task.task_wakeup()]>'
  //   fut.set_result(res); await sleep(0) -> result is res, t.done() True
  //   a second task awaiting a Fut, cancelled with "m": CancelledError('m'), the Fut is cancelled
  // Before the fixes, ours: the task registered itself with the internal _addEntry, so the
  // override never ran (cb_added False), and the repr said <Future ...>.
  it("the task registers through it; result and cancel go through as usual", async () => {
    const { trace, log } = tracer();
    await runVirtual(async () => {
      const fut = new Fut<object>();
      let result: unknown = null;
      const t =
        kind === "async"
          ? createTask(async () => {
              result = await fut;
            })
          : createTask(
              (function* () {
                result = yield* fut;
              })(),
            );
      await sleep(0);
      log("added", fut.added.join(","), String(fut));
      const res = {};
      fut.setResult(res);
      await sleep(0);
      log("result", result === res, t.done());
      const fut2 = new Fut<void>();
      const t2 = awaitingTask(kind, () => fut2, { onError: (e) => log("t2 got", en(e)) });
      await sleep(0);
      t2.cancel("m");
      await t2.then(undefined, () => undefined);
      log("t2", t2.cancelled(), fut2.cancelled(), fut2.added.length);
    });
    expect(trace).toEqual([
      "added Task.task_wakeup <Fut pending cb=[Task.task_wakeup()]>",
      "result true true",
      "t2 got CancelledError('m')",
      "t2 true true 1",
    ]);
  });
});

describe("done callbacks (test_futures.py BaseFutureDoneCallbackTests)", () => {
  // test_callbacks_remove_first_callback / _first_and_second / _third, test_remove_done_callback,
  // test_callbacks_invoked_on_set_exception, test_schedule_callbacks_list_mutation_1:
  //   cb1..cb3 append 42, 17, 100; remove cb1 twice -> [17, 100]; cb1 and cb2 -> [100]; cb3 twice -> [42, 17]
  //   add cb1, cb2; remove cb2 -> 1; remove cb3 -> 0; add cb2 and 5 x cb1; remove cb1 -> 6; -> [2]
  //   a callback that removes the others once the future is done removes none: -> [('mut removed', 0), 's', 's']
  it("removal before completion, counts, and removal from inside a running callback", async () => {
    await runVirtual(async () => {
      const run = async (setup: (f: Future<string>, cb: (n: unknown) => (f: Future<string>) => void) => void, fail = false): Promise<unknown[]> => {
        const bag: unknown[] = [];
        const f = new Future<string>();
        const made = new Map<unknown, (f: Future<string>) => void>();
        const cb = (n: unknown) => {
          if (!made.has(n)) made.set(n, () => void bag.push(n));
          return made.get(n)!;
        };
        setup(f, cb);
        expect(bag).toEqual([]);
        if (fail) f.setException(new RangeError("x"));
        else f.setResult("foo");
        await sleep(0);
        if (fail) expect(f.exception()).toBeInstanceOf(RangeError);
        else expect(f.result()).toBe("foo");
        return bag;
      };
      const three = (f: Future<string>, cb: (n: unknown) => (f: Future<string>) => void) => [42, 17, 100].forEach((n) => f.addDoneCallback(cb(n)));
      expect(
        await run((f, cb) => {
          three(f, cb);
          f.removeDoneCallback(cb(42));
          f.removeDoneCallback(cb(42));
        }),
      ).toEqual([17, 100]);
      expect(
        await run((f, cb) => {
          three(f, cb);
          f.removeDoneCallback(cb(42));
          f.removeDoneCallback(cb(17));
          f.removeDoneCallback(cb(42));
        }),
      ).toEqual([100]);
      expect(
        await run((f, cb) => {
          three(f, cb);
          f.removeDoneCallback(cb(100));
          f.removeDoneCallback(cb(100));
        }),
      ).toEqual([42, 17]);
      expect(
        await run((f, cb) => {
          f.addDoneCallback(cb(1));
          f.addDoneCallback(cb(2));
          expect(f.removeDoneCallback(cb(2))).toBe(1);
          expect(f.removeDoneCallback(cb(3))).toBe(0);
          f.addDoneCallback(cb(2));
          for (let i = 0; i < 5; i++) f.addDoneCallback(cb(1));
          expect(f.removeDoneCallback(cb(1))).toBe(6);
        }),
      ).toEqual([2]);
      expect(await run((f, cb) => f.addDoneCallback(cb(100)), true)).toEqual([100]);
      expect(
        await run((f, cb) => {
          f.addDoneCallback((fut) => cb(`mut removed ${fut.removeDoneCallback(cb("s"))}`)(fut));
          f.addDoneCallback(cb("s"));
          f.addDoneCallback(cb("s"));
        }),
      ).toEqual(["mut removed 0", "s", "s"]);
    });
  });
});

describe("the Future state machine (test_futures.py)", () => {
  // test_cancel: after cancel(), set_result/set_exception raise InvalidStateError, cancel() is False
  // test_constructor_positional: asyncio.Future(loop) -> TypeError('Future() takes no positional arguments')
  // Before the fix, ours: new Future(loop) and new Future(42) were accepted and used another loop.
  it("a cancelled future refuses results; a positional argument is a TypeError", () => {
    const loop = virtualLoop();
    const f = new Future<void>({ loop });
    expect(f.cancel()).toBe(true);
    expect([f.cancelled(), f.done()]).toEqual([true, true]);
    expect(() => f.result()).toThrow(CancelledError);
    expect(() => f.exception()).toThrow(CancelledError);
    expect(() => f.setResult()).toThrow(InvalidStateError);
    expect(() => f.setException(new Error())).toThrow(InvalidStateError);
    expect(f.cancel()).toBe(false);
    expect(() => new Future(loop as never)).toThrow(TypeError);
    expect(() => new Future(42 as never)).toThrow(/takes an options object/);
    expect(() => new Task((function* () {})(), loop as never)).toThrow(TypeError);
    expect(new Future({ loop }).getLoop()).toBe(loop);
    loop.close();
  });

  // test_yield_from_twice and test_future_stop_iteration_args:
  //   x = yield from f (suspends), y = yield from f (does not) -> ('B', 42), ('C', 42)
  //   f.set_result((1, 2)): the value out of the iterator is that very tuple
  it.each(KINDS)("awaiting a future twice suspends once; the result is the very object (%s)", async (kind) => {
    const { trace, log } = tracer();
    await runVirtual(async () => {
      const it = counter();
      const f = getRunningLoop().createFuture() as Future<number[]>;
      const value = [1, 2];
      let base = 0;
      const t =
        kind === "async"
          ? createTask(async () => {
              const x = await f;
              log("B", x === value, it() - base);
              base = it();
              const y = await f;
              log("C", y === value, it() - base);
            })
          : createTask(
              (function* () {
                const x = yield* f;
                log("B", x === value, it() - base);
                base = it();
                const y = yield* f;
                log("C", y === value, it() - base);
              })(),
            );
      await sleep(0);
      base = it();
      f.setResult(value);
      await t;
    });
    expect(trace).toEqual(["B true 1", "C true 0"]);
  });
});

describe("reprs", () => {
  // test_recursive_repr_for_pending_tasks (bpo-42183) and reprlib.recursive_repr:
  //   f.set_result([f]); repr(f) -> '<Future finished result=[...]>'
  //   async def func(): return asyncio.all_tasks()
  //   waiter = await wait_for(Task(func()), 10) -> '...' in repr(waiter); the task shows itself as '...'
  // Before the fix, ours: the repr recursed until the stack overflowed, and describeValue's
  // catch cut it short: '<Future finished result=[<Future finis...]>]>]>]>]>]>]>]>'.
  it("a future inside its own result shows as '...'", async () => {
    await runVirtual(async () => {
      const f = getRunningLoop().createFuture() as Future<unknown>;
      f.setResult([f]);
      expect(String(f)).toBe("<Future finished result=[...]>");
      const t = createTask(async function func() {
        return allTasks();
      }, { name: "T" });
      const tasks = await t;
      expect(tasks.has(t)).toBe(true);
      expect(String(t)).toMatch(/^<Task finished name='T' coro=<func\(\)> result=\{.*\.\.\..*\}>$/);
      expect(String(t)).not.toContain("]>]>");
    });
  });

  // test_future_repr with a subclass (CSubFutureTests: f'<{self.cls.__name__} pending>'):
  //   class SubFuture(asyncio.Future): pass -> '<SubFuture pending>', '<SubFuture finished result=4>'
  //   class MyTask(asyncio.Task): pass      -> "<MyTask pending name='M' ..."
  // Before the fix, ours: '<Future pending>' and '<Task pending ...>' for any subclass.
  it("a subclass shows its own class name; our own futures (sleep) stay 'Future'", async () => {
    await runVirtual(async () => {
      class SubFuture<T> extends Future<T> {}
      class MyTask<T> extends Task<T> {}
      const f = new SubFuture<number>();
      expect(String(f)).toBe("<SubFuture pending>");
      f.setResult(4);
      expect(String(f)).toBe("<SubFuture finished result=4>");
      const t = new MyTask(async () => 1, { name: "M" });
      expect(String(t)).toMatch(/^<MyTask pending name='M' /);
      await t;
      expect(String(sleep(1))).toMatch(/^<Future pending/);
      expect(String(sleep(0))).toMatch(/^<Future pending/);
      await sleep(1);
    });
  });
});

describe("'exception was never retrieved' reports (test_futures.py test_tb_logger_*)", () => {
  // CPython 3.12 (gc.collect() after each `del`), messages reported:
  //   SubFuture with an exception never retrieved    -> 'SubFuture exception was never retrieved'
  //   Future with an exception never retrieved       -> 'Future exception was never retrieved'
  //   MyTask(bad()) never awaited                    -> 'MyTask exception was never retrieved'
  //   not reported: set_exception then cancel(); exception() retrieved; result() raised it;
  //   a result never retrieved; a failed task on which cancel() was called (test_tb_logger_not_called_after_cancel)
  it("are made only for exceptions nobody looked at, under the class's own name", () => {
    const entry = fileURLToPath(new URL("../src/index.ts", import.meta.url));
    const script = `
      import { run, createTask, sleep, Future, Task } from ${JSON.stringify(entry)};
      import { getRunningLoop } from "@asyncio-ts/loop";
      class SubFuture extends Future {}
      class MyTask extends Task {}
      const seen = [];
      await run(async () => {
        const loop = getRunningLoop();
        loop.setExceptionHandler((_l, c) => seen.push(c.message + " / " + c.exception.message));
        const failed = (F, msg) => { const f = new F(); f.setException(new Error(msg)); return f; };
        failed(SubFuture, "sub");
        failed(Future, "plain");
        failed(Future, "cancelled after").cancel();
        failed(Future, "exception() seen").exception();
        try { failed(Future, "result() seen").result(); } catch {}
        new Future().setResult(42);
        const t = createTask(async () => { throw new Error("task cancelled after"); });
        new MyTask(async () => { throw new Error("my task"); });
        await sleep(0.05);
        t.cancel();
        for (let i = 0; i < 10 && seen.length < 3; i++) { globalThis.gc(); await sleep(0.01); }
        globalThis.gc(); await sleep(0.01);
      });
      console.log(JSON.stringify(seen.sort()));
    `;
    const out = execFileSync(process.execPath, ["--expose-gc", "--conditions=asyncio-ts-source", "--import", "tsx", "--input-type=module", "-e", script], {
      encoding: "utf8",
      cwd: fileURLToPath(new URL("..", import.meta.url)),
    });
    expect(JSON.parse(out)).toEqual([
      "Future exception was never retrieved / plain",
      "MyTask exception was never retrieved / my task",
      "SubFuture exception was never retrieved / sub",
    ]);
  });
});
