// Eager tasks (CPython 3.12, test_eager_task_factory.py), both coroutine kinds.
// Traces printed by ~/.pyenv/versions/3.12.1/bin/python3 running the quoted
// snippets with loop.set_task_factory(asyncio.eager_task_factory).
import { describe, expect, it } from "vitest";
import { EventLoop, getRunningLoop, VirtualClock } from "@asyncio-ts/loop";
import { allTasks, CancelledError, createTask, currentTask, eagerTaskFactory, Future, sleep, Task, type Coroutine } from "@asyncio-ts/tasks";
import { en, KINDS, runVirtual, tracer, type Kind } from "./helpers.js";

/** Runs `body` with the eager task factory installed on the running loop. */
function eager<T>(body: () => Promise<T>): Promise<T> {
  return runVirtual(async () => {
    getRunningLoop().setTaskFactory(eagerTaskFactory);
    try {
      return await body();
    } finally {
      getRunningLoop().setTaskFactory(null);
    }
  });
}

/** A coroutine of the given kind: runs `before`, sleeps `delay` if not null, runs `after`, returns its value. */
function coro<T>(kind: Kind, before: () => void, delay: number | null, after: () => T): Coroutine<T> {
  if (kind === "async") {
    return async () => {
      before();
      if (delay !== null) await sleep(delay);
      return after();
    };
  }
  return (function* () {
    before();
    if (delay !== null) yield* sleep(delay);
    return after();
  })();
}

describe.each(KINDS)("eager task factory (%s coroutines)", (kind) => {
  // async def child(n): P("child", n, "start"); await sleep(0); P("child", n, "end", current_task().get_name()); return n
  // P("before"); t1 = create_task(child(1), name="c1"); P("between", current_task() is me, t1.done())
  // t2 = create_task(child(2), name="c2"); P("after"); loop.call_soon(P, "soon"); P(await t1, await t2)
  // -> before / child 1 start / between True False / child 2 start / after / child 1 end c1 / child 2 end c2 / soon / 1 2
  it("the first step runs inside createTask; the creator stays the current task; later steps are scheduled as usual", async () => {
    const { trace, log } = tracer();
    await eager(async () => {
      const me = currentTask();
      const child = (n: number) =>
        coro(
          kind,
          () => log("child", n, "start"),
          0,
          () => {
            log("child", n, "end", currentTask()!.getName());
            return n;
          },
        );
      log("before");
      const t1 = createTask(child(1), { name: "c1" });
      log("between", currentTask() === me, t1.done());
      const t2 = createTask(child(2), { name: "c2" });
      log("after");
      getRunningLoop().callSoon(() => log("soon"));
      log(await t1, await t2);
    });
    expect(trace).toEqual(["before", "child 1 start", "between true false", "child 2 start", "after", "child 1 end c1", "child 2 end c2", "soon", "1 2"]);
  });

  // test_cancellation_after_eager_step_blocks: t = create_task(slow()); P(t.cancel("cancellation message"), t.cancelling())
  // -> True 1 / got CancelledError('cancellation message')
  it("cancel() after the eager step suspended delivers the message", async () => {
    const { trace, log } = tracer();
    await eager(async () => {
      const t = createTask(coro(kind, () => {}, 0.1, () => "x"));
      log(t.cancel("cancellation message"), t.cancelling());
      try {
        await t;
      } catch (e) {
        log("got", en(e), e instanceof CancelledError);
      }
    });
    expect(trace).toEqual(["true 1", "got CancelledError('cancellation message') true"]);
  });

  // test_current_task: the eager step sees the new task; after blocking it is the same task
  // nested: child eagerly creates grandchild G; names (final ones) and the current task around each step
  // -> child / gc / child again (child is current again) / main / gc resumed G / child end C
  it("eager tasks created from an eager step: currentTask() is right in each step and restored after", async () => {
    const { trace, log } = tracer();
    await eager(async () => {
      const me = currentTask()!;
      let c!: Task<void>;
      let g!: Task<void>;
      let gcSaw: unknown = null;
      const grandchild = () =>
        coro(
          kind,
          () => {
            gcSaw = currentTask();
            log("gc", gcSaw !== null && gcSaw !== me);
          },
          0,
          () => log("gc resumed", currentTask()!.getName()),
        );
      const child =
        kind === "async"
          ? async () => {
              const self = currentTask();
              log("child", self !== null && self !== me);
              g = createTask(grandchild(), { name: "G" });
              log("child again", currentTask() === self);
              await g;
              log("child end", currentTask()!.getName());
            }
          : (function* () {
              const self = currentTask();
              log("child", self !== null && self !== me);
              g = createTask(grandchild(), { name: "G" });
              log("child again", currentTask() === self);
              yield* g;
              log("child end", currentTask()!.getName());
            })();
      c = createTask(child, { name: "C" });
      log("main", currentTask() === me);
      await c;
      expect(gcSaw).toBe(g);
    });
    expect(trace).toEqual(["child true", "gc true", "child again true", "main true", "gc resumed G", "child end C"]);
  });

  // test_all_tasks_with_blocking: the eager step of a task that then blocks sees it in all_tasks(), and so does
  // the creator afterwards; once done it is gone -> blocking: in during True in after True / after done False
  it("a task that blocks after its eager step is in allTasks() from then on, and leaves it when done", async () => {
    const { trace, log } = tracer();
    await eager(async () => {
      const loop = getRunningLoop();
      const fut1 = loop.createFuture() as Future<void>;
      const fut2 = loop.createFuture() as Future<void>;
      let cap = new Set<unknown>();
      const t =
        kind === "async"
          ? createTask(async () => {
              cap = allTasks();
              await fut1;
              fut2.setResult();
            })
          : createTask(
              (function* () {
                cap = allTasks();
                yield* fut1;
                fut2.setResult();
              })(),
            );
      log("in after", allTasks().has(t));
      fut1.setResult();
      await fut2;
      await sleep(0);
      log("after done", allTasks().has(t));
      void cap;
    });
    expect(trace).toEqual(["in after true", "after done false"]);
  });
});

// Eager completion is synchronous only for generator coroutines: an async
// function's promise settles in a microtask (see the documented difference at the bottom).
describe("eager completion (generator coroutines)", () => {
  const kind: Kind = "generator";
  // test_eager_completion / test_cancellation_after_eager_completion:
  // t = create_task(quick()); P(t.cancel(), await t, t.cancelled(), t.cancelling()) -> False finished without blocking False 0
  it("a coroutine that never suspends is done when createTask returns; cancel() then returns false", async () => {
    await eager(async () => {
      const t = createTask(coro(kind, () => {}, null, () => "finished without blocking"));
      expect(t.done()).toBe(true);
      expect([t.cancel(), await t, t.cancelled(), t.cancelling()]).toEqual([false, "finished without blocking", false, 0]);
    });
  });

  // async def bad(): raise ValueError("eager boom") -> done at once: bad done True ValueError('eager boom')
  // async def setres(): fut.set_result("my message") -> set during eager True True my message
  // q2 done eagerly; t.add_done_callback(cb); loop.call_soon(P, "soon"); P("added") -> added / done cb / soon
  it("an eager failure, a future completed during the eager step, and done callbacks added after eager completion", async () => {
    const { trace, log } = tracer();
    await eager(async () => {
      const loop = getRunningLoop();
      const bad = createTask(
        coro(kind, () => {
          const e = new Error("eager boom");
          e.name = "ValueError";
          throw e;
        }, null, () => 0),
      );
      log("bad done", bad.done(), en(bad.exception()));
      const fut = loop.createFuture() as Future<string>;
      const t = createTask(coro(kind, () => fut.setResult("my message"), null, () => undefined));
      log("set during eager", t.done(), fut.done(), await fut);
      const q = createTask(coro(kind, () => {}, null, () => 7));
      q.addDoneCallback(() => log("done cb"));
      loop.callSoon(() => log("soon"));
      log("added");
      await sleep(0);
    });
    expect(trace).toEqual(["bad done true ValueError('eager boom')", "set during eager true true my message", "added", "done cb", "soon"]);
  });

});

describe("eager factory on a loop that is not running", () => {
  // Task.__init__: eager_start only `if self._loop.is_running()`; otherwise the first step is scheduled:
  // loop.set_task_factory(eager_task_factory); t = loop.create_task(coro()) -> coro has not run yet;
  // loop.run_until_complete(t) runs it.
  it.each(KINDS)("createTask does not run the first step; the loop does (%s)", async (kind) => {
    const loop = new EventLoop({ clock: new VirtualClock() });
    loop.setTaskFactory(eagerTaskFactory);
    let ran = false;
    const t = loop.createTask(coro(kind, () => (ran = true), null, () => "ok")) as Task<string>;
    expect(ran).toBe(false);
    expect(t.done()).toBe(false);
    expect(await loop.runUntilComplete(t)).toBe("ok");
    expect(ran).toBe(true);
    loop.close();
  });
});

describe("eager tasks and gather-like fan out", () => {
  // async def c(n, d): P("start", n); (await sleep(d) if d); P("end", n); return n
  // g = gather(c(1, 0), c(2, 1), c(3, 0)) -> start 1 / end 1 / start 2 / start 3 / end 3 / gathered / end 2 / [1, 2, 3]
  // (gather lives in combinators; here each child is created in argument order with createTask)
  it("children created one after another run their eager steps in creation order", async () => {
    const { trace, log } = tracer();
    await eager(async () => {
      const c = (n: number, d: number) => async () => {
        log("start", n);
        if (d) await sleep(d);
        log("end", n);
        return n;
      };
      const ts = [createTask(c(1, 0)), createTask(c(2, 1)), createTask(c(3, 0))];
      log("gathered");
      const results: number[] = [];
      for (const t of ts) results.push(await t);
      log(JSON.stringify(results));
    });
    expect(trace).toEqual(["start 1", "end 1", "start 2", "start 3", "end 3", "gathered", "end 2", "[1,2,3]"]);
  });
});

describe("an eager task is in allTasks() during its eager step", () => {
  // CPython 3.12 (tasks.Task.__eager_start registers the task with
  // _register_eager_task before stepping it; test_all_tasks_with_eager_completion):
  //   async def coro(): nonlocal cap; cap = asyncio.all_tasks()
  //   t = loop.create_task(coro())   # eager factory
  //   t in cap -> True; t in asyncio.all_tasks() -> False; t.done() -> True
  // Before the fix, ours: t in cap -> false (both kinds). Task's constructor (tasks/src/task.ts)
  // runs `this._step(NO_EXC)` first and calls registerTask(this) only after,
  // when the task is still pending.
  it.each(KINDS)("includes the task while its eager step runs (%s)", async (kind) => {
    await eager(async () => {
      let cap = new Set<unknown>();
      const t = createTask(coro(kind, () => (cap = allTasks()), null, () => 1));
      expect(cap.has(t)).toBe(true);
      // An async coroutine's outcome arrives through its promise, a microtask later (see the limitation below).
      if (kind === "async") await t;
      expect(allTasks().has(t)).toBe(false);
      expect(t.done()).toBe(true);
    });
  });
});

describe("documented difference (README, eager tasks): an async coroutine that never suspends is done a microtask after createTask returns", () => {
  // CPython 3.12 (test_eager_completion, test_cancellation_after_eager_completion):
  //   async def coro(): return 'finished without blocking'
  //   t = loop.create_task(coro()); t.done() -> True
  //   t.cancel() -> False; await t -> 'finished without blocking'; t.cancelled() -> False
  // Ours, async coroutine: t.done() is false until a microtask later, and
  // t.cancel() right after createTask returns true and the task then ends
  // *cancelled* (Task._finishWithValue sees _mustCancel), losing the value.
  // Cause: Task._runAsyncBody (tasks/src/task.ts) can only learn the outcome of
  // the async function's promise through .then(), i.e. after the current
  // synchronous code; a native promise's state cannot be read synchronously, so
  // this is probably a documented limitation rather than a fix (README "Eager
  // tasks" does not mention it). Generator coroutines behave as CPython (tested above).
  // This pins ours, so that a change to it is a decision: CPython's t.done() is True here.
  it("is not done when createTask returns, and done with its value a microtask later", async () => {
    await eager(async () => {
      const t = createTask(async () => "finished without blocking");
      expect(t.done()).toBe(false);
      await Promise.resolve();
      expect(t.done()).toBe(true);
      expect(t.cancel()).toBe(false);
      expect(await t).toBe("finished without blocking");
      expect(t.cancelled()).toBe(false);
    });
  });
});
