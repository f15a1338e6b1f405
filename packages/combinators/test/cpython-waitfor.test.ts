// waitFor behaviours of CPython 3.12 (test_waitfor.py) not covered by
// wait-for.test.ts. Expected traces were printed by ~/.pyenv/versions/3.12.1/bin/python3
// running the quoted snippets (times relative to the scenario start).
import { describe, expect, it } from "vitest";
import { CancelledError, createTask, getRunningLoop, sleep, type Future, type Task } from "./imports.js";
import { shield, waitFor, TimeoutError } from "@asyncio-ts/combinators";
import { KINDS, runVirtual, since, tracer } from "./helpers.js";

describe.each(KINDS)("waitFor with a zero or negative timeout (%s coroutines)", (kind) => {
  // async def foo(): nonlocal foo_started; foo_started = True
  // await wait_for(foo(), 0) -> TimeoutError, foo_started False
  // for timeout in [0, -1]: fut = create_task(foo2()) (started, sleeping 10); await wait_for(fut, timeout)
  // -> timeout 0 True True False 0 / timeout -1 True True False 0
  it("a coroutine never starts; a running task is cancelled and awaited", async () => {
    const { lines, P } = tracer();
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const t0 = loop.time();
      let fooStarted = false;
      const foo =
        kind === "async"
          ? async () => {
              fooStarted = true;
            }
          : (function* () {
              fooStarted = true;
            })();
      try {
        await waitFor(foo, 0);
      } catch (e) {
        if (e instanceof TimeoutError) P("coroutine not started", fooStarted);
      }
      for (const timeout of [0, -1]) {
        let fooRunning: boolean | null = null;
        const started = loop.createFuture() as Future<void>;
        const fut: Task<string> =
          kind === "async"
            ? createTask(async () => {
                fooRunning = true;
                started.setResult();
                try {
                  await sleep(10);
                } finally {
                  fooRunning = false;
                }
                return "done";
              })
            : createTask(
                (function* () {
                  fooRunning = true;
                  started.setResult();
                  try {
                    yield* sleep(10);
                  } finally {
                    fooRunning = false;
                  }
                  return "done";
                })(),
              );
        await started;
        try {
          await waitFor(fut, timeout);
        } catch (e) {
          if (e instanceof TimeoutError) P("timeout", timeout, fut.done(), fut.cancelled(), fooRunning, since(t0));
        }
      }
    });
    expect(lines).toEqual(["coroutine not started false", "timeout 0 true true false 0", "timeout -1 true true false 0"]);
  });
});

describe.each(KINDS)("waitFor waits for the cancelled work (%s coroutines)", (kind) => {
  // inner(): try: await sleep(10) except CancelledError: await sleep(0.5); raise finally: task_done = True
  // await wait_for(create_task(inner()), 0.1) -> TimeoutError, task_done True, __cause__ CancelledError, at 0.6
  // foo(): inner_task = create_task(inner()); await sleep(0.1); await wait_for(inner_task, 0)
  // -> TimeoutError, task_done True, at 1.2
  it("the timeout is raised only once the task finished its cleanup (timeout > 0 and timeout 0)", async () => {
    const { lines, P } = tracer();
    await runVirtual(async () => {
      const t0 = getRunningLoop().time();
      let taskDone = false;
      const inner = () =>
        kind === "async"
          ? createTask(async () => {
              try {
                await sleep(10);
              } catch (e) {
                await sleep(0.5);
                throw e;
              } finally {
                taskDone = true;
              }
            })
          : createTask(
              (function* () {
                try {
                  yield* sleep(10);
                } catch (e) {
                  yield* sleep(0.5);
                  throw e;
                } finally {
                  taskDone = true;
                }
              })(),
            );
      try {
        await waitFor(inner(), 0.1);
      } catch (e) {
        if (e instanceof TimeoutError) P("timeout", taskDone, ((e as Error).cause as Error)?.name, since(t0));
      }
      taskDone = false;
      const innerTask = inner();
      await sleep(0.1);
      try {
        await waitFor(innerTask, 0);
      } catch (e) {
        if (e instanceof TimeoutError) P("timeout 0", taskDone, ((e as Error).cause as Error)?.name, since(t0));
      }
    });
    expect(lines).toEqual(["timeout true CancelledError 0.6", "timeout 0 true CancelledError 1.2"]);
  });

  // inner(): try: await sleep(0.2) finally: raise FooException
  // await wait_for(create_task(inner()), 0.1) -> FooException at 0.1
  it("an error raised by the task while being cancelled replaces the TimeoutError", async () => {
    class FooException extends Error {}
    await runVirtual(async () => {
      const t0 = getRunningLoop().time();
      const innerTask =
        kind === "async"
          ? createTask(async () => {
              try {
                await sleep(0.2);
              } finally {
                // eslint-disable-next-line no-unsafe-finally
                throw new FooException();
              }
            })
          : createTask(
              (function* () {
                try {
                  yield* sleep(0.2);
                } finally {
                  // eslint-disable-next-line no-unsafe-finally
                  throw new FooException();
                }
              })(),
            );
      await expect(waitFor(innerTask, 0.1)).rejects.toBeInstanceOf(FooException);
      expect(since(t0)).toBe(0.1);
    });
  });

  // for timeout in (None, 60.0): task = create_task(blocking_coroutine()) (awaits a future forever)
  // wait = create_task(wait_for(task, timeout)); loop.call_soon(wait.cancel)
  // -> wait cancelled None True True / wait cancelled 60.0 True True   (bpo-23219: the inner task is cancelled too)
  it("cancelling the waiting task cancels the inner task, with or without a timeout", async () => {
    const { lines, P } = tracer();
    await runVirtual(async () => {
      const loop = getRunningLoop();
      for (const timeout of [null, 60]) {
        const task =
          kind === "async"
            ? createTask(async () => {
                await loop.createFuture();
              })
            : createTask(
                (function* () {
                  yield* loop.createFuture() as Future<unknown>;
                })(),
              );
        const wait =
          kind === "async"
            ? createTask(async () => await waitFor(task, timeout))
            : createTask(
                (function* () {
                  return yield* waitFor(task, timeout);
                })(),
              );
        loop.callSoon(() => wait.cancel());
        try {
          await wait;
        } catch (e) {
          if (e instanceof CancelledError) P("wait cancelled", timeout === null ? "None" : timeout, task.cancelled(), wait.cancelled());
        }
      }
    });
    expect(lines).toEqual(["wait cancelled None true true", "wait cancelled 60 true true"]);
  });

  // GH-86296: inner completes in one cycle; wait_for_coro: await wait_for(inner_task, 100); await sleep(1); reached_end = True
  // task = create_task(wait_for_coro()); await sleep(0); task.cancel()
  // -> cancelled True done False
  it("a cancel arriving as the inner task completes still cancels the caller (GH-86296)", async () => {
    const { lines, P } = tracer();
    await runVirtual(async () => {
      const innerTask =
        kind === "async"
          ? createTask(async () => "done")
          : createTask(
              (function* () {
                return "done";
              })(),
            );
      let reachedEnd = false;
      const task =
        kind === "async"
          ? createTask(async () => {
              await waitFor(innerTask, 100);
              await sleep(1);
              reachedEnd = true;
            })
          : createTask(
              (function* () {
                yield* waitFor(innerTask, 100);
                yield* sleep(1);
                reachedEnd = true;
              })(),
            );
      await sleep(0);
      task.cancel();
      try {
        await task;
      } catch (e) {
        if (e instanceof CancelledError) P("cancelled", innerTask.done(), await innerTask, reachedEnd);
      }
    });
    expect(lines).toEqual(["cancelled true done false"]);
  });
});

describe("waitFor races and shields", () => {
  // fut = loop.create_future(); task = wait_for(fut, timeout=0.2); loop.call_soon(fut.set_result, "ok")
  // -> ok 0 (no time passes)
  it("a result set by a callback before the coroutine starts is returned at once", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const t0 = loop.time();
      const fut = loop.createFuture() as Future<string>;
      const w = waitFor(fut, 0.2);
      loop.callSoon(() => fut.setResult("ok"));
      expect(await w).toBe("ok");
      expect(since(t0)).toBe(0);
    });
  });

  // test_zero_timeout (WaitForShieldTests): task = create_task(coro()) (sleeps 0.01); shielded = shield(task)
  // await wait_for(shielded, 0) -> TimeoutError; task not done, not cancelled; shielded cancelled
  // await sleep(0.1) -> task done, 'done'
  it("waitFor(shield(task), 0): the shield is cancelled, the task runs on", async () => {
    const { lines, P } = tracer();
    await runVirtual(async () => {
      const task = createTask(async () => {
        await sleep(0.01);
        return "done";
      });
      const shielded = shield(task);
      try {
        await waitFor(shielded, 0);
      } catch (e) {
        if (e instanceof TimeoutError) P("timeout", task.done(), task.cancelled(), shielded.cancelled());
      }
      await sleep(0.1);
      P(task.done(), task.result());
    });
    expect(lines).toEqual(["timeout false false true", "true done"]);
  });

  // test_asyncio_wait_for_cancelled: a task that ignores cancel requests for 0.2 s, wrapped in
  // create_task(wait_for(t.run(), 0.4)); await sleep(0); waitfortask.cancel(); await wait({waitfortask})
  // -> the slow task has exited (waitFor waited for it)
  it("cancelling a waitFor task waits for a work that ignores cancel requests", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      let exited = false;
      const slow = async (): Promise<void> => {
        const exitAt = loop.time() + 0.2;
        for (;;) {
          const left = exitAt - loop.time();
          if (left <= 0) break;
          try {
            await sleep(left);
          } catch {
            // ignore cancel requests
          }
        }
        exited = true;
      };
      const waitTask = createTask(async () => await waitFor(slow, 0.4));
      await sleep(0);
      waitTask.cancel();
      await waitTask.then(
        () => undefined,
        () => undefined,
      );
      expect(exited).toBe(true);
    });
  });
});
