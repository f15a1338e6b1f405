import { RuntimeError } from "@asyncio-ts/loop";
import { CancelledError, createTask, currentTask, sleep, type Task } from "@asyncio-ts/tasks";
import { describe, expect, it } from "vitest";
import { Condition, Lock } from "../src/index.js";
import { runVirtual } from "./helpers.js";

/** `async with asyncio.timeout(delay)` around `body`, swallowing the timeout (no combinators here). */
async function withTimeout(delay: number, body: () => PromiseLike<unknown>): Promise<void> {
  const me = currentTask()!;
  let fired = false;
  const handle = me.getLoop().callLater(delay, () => {
    fired = true;
    me.cancel();
  });
  try {
    await body();
  } catch (error) {
    if (!(fired && error instanceof CancelledError)) throw error;
    me.uncancel();
  } finally {
    handle.cancel();
  }
}

describe("Condition", () => {
  // test_locks.ConditionTests.test_wait
  it("wait() releases, and returns once notified and the lock is back", async () => {
    await runVirtual(async () => {
      const cond = new Condition();
      const result: number[] = [];
      const c = (n: number) => async () => {
        await cond.acquire();
        if (await cond.wait()) result.push(n);
        return true;
      };
      const t1 = createTask(c(1));
      const t2 = createTask(c(2));
      const t3 = createTask(c(3));
      await sleep(0);
      expect(result).toEqual([]);
      expect(cond.locked()).toBe(false);
      expect(await cond.acquire()).toBe(true);
      cond.notify();
      await sleep(0);
      expect(result).toEqual([]);
      expect(cond.locked()).toBe(true);
      cond.release();
      await sleep(0);
      expect(result).toEqual([1]);
      expect(cond.locked()).toBe(true);
      cond.notify(2);
      await sleep(0);
      expect(result).toEqual([1]);
      expect(cond.locked()).toBe(true);
      cond.release();
      await sleep(0);
      expect(result).toEqual([1, 2]);
      expect(cond.locked()).toBe(true);
      cond.release();
      await sleep(0);
      expect(result).toEqual([1, 2, 3]);
      expect(cond.locked()).toBe(true);
      for (const t of [t1, t2, t3]) expect(t.result()).toBe(true);
    });
  });

  // test_locks.ConditionTests.test_wait_cancel
  it("a cancelled wait() re-acquires the lock before raising", async () => {
    await runVirtual(async () => {
      const cond = new Condition();
      await cond.acquire();
      const wait = createTask(() => cond.wait());
      currentTask()!.getLoop().callSoon(() => wait.cancel());
      await expect(wait).rejects.toThrow(CancelledError);
      expect(cond.statistics().waiters).toBe(0);
      expect(cond.locked()).toBe(true);
    });
  });

  // test_locks.ConditionTests.test_wait_cancel_contested
  it("wait() cancelled while contesting the lock still ends holding it", async () => {
    await runVirtual(async () => {
      const cond = new Condition();
      await cond.acquire();
      const waitTask = createTask(() => cond.wait());
      await sleep(0);
      expect(cond.locked()).toBe(false);
      await cond.acquire();
      cond.notify();
      const loop = currentTask()!.getLoop();
      loop.callSoon(() => waitTask.cancel());
      loop.callSoon(() => cond.release());
      try {
        await waitTask;
      } catch (error) {
        expect(error).toBeInstanceOf(CancelledError);
      }
      expect(cond.locked()).toBe(true);
    });
  });

  // test_locks.ConditionTests.test_wait_cancel_after_notify (bpo-32841)
  it("cancel after notify, while re-acquiring", async () => {
    await runVirtual(async () => {
      let waited = false;
      const cond = new Condition();
      const waiter = createTask(() =>
        cond.use(async () => {
          waited = true;
          await cond.wait();
        }),
      );
      await sleep(0);
      await cond.acquire();
      cond.notify();
      await sleep(0);
      waiter.cancel();
      await sleep(0);
      cond.release();
      await sleep(0);
      expect(waiter.cancelled()).toBe(true);
      expect(waited).toBe(true);
      expect(cond.locked()).toBe(false);
    });
  });

  // test_locks.ConditionTests.test_wait_unacquired / test_notify_unacquired
  it("wait() and notify() without the lock are RuntimeErrors at the call", async () => {
    await runVirtual(async () => {
      const cond = new Condition();
      expect(() => cond.wait()).toThrow(RuntimeError);
      expect(() => cond.wait()).toThrow("cannot wait on un-acquired lock");
      expect(() => cond.notify()).toThrow("cannot notify on un-acquired lock");
      expect(() => cond.notifyAll()).toThrow(RuntimeError);
      expect(await cond.waitFor(() => 7)).toBe(7); // a true predicate needs no lock
      expect(() => cond.waitFor(() => false)).toThrow(RuntimeError);
      expect(() => new Condition({} as Lock)).toThrow(TypeError);
    });
  });

  // test_locks.ConditionTests.test_wait_for
  it("waitFor() re-checks its predicate after each wake-up", async () => {
    await runVirtual(async () => {
      const cond = new Condition();
      let presult = false;
      const predicate = () => presult;
      const result: number[] = [];
      const t = createTask(async () => {
        await cond.acquire();
        if (await cond.waitFor(predicate)) {
          result.push(1);
          cond.release();
        }
        return true;
      });
      await sleep(0);
      expect(result).toEqual([]);
      await cond.acquire();
      cond.notify();
      cond.release();
      await sleep(0);
      expect(result).toEqual([]);
      presult = true;
      await cond.acquire();
      cond.notify();
      cond.release();
      await sleep(0);
      expect(result).toEqual([1]);
      expect(t.result()).toBe(true);
    });
  });

  // test_locks.ConditionTests.test_notify / test_notify_all
  it("notify(n) wakes n waiters in order; notifyAll() wakes all", async () => {
    await runVirtual(async () => {
      const cond = new Condition();
      const result: number[] = [];
      const c = (n: number) => async () => {
        await cond.acquire();
        if (await cond.wait()) {
          result.push(n);
          cond.release();
        }
      };
      const tasks = [1, 2, 3].map((n) => createTask(c(n)));
      await sleep(0);
      await cond.acquire();
      cond.notify(1);
      cond.release();
      await sleep(0);
      expect(result).toEqual([1]);
      await cond.acquire();
      cond.notify(1);
      cond.notify(2048);
      cond.release();
      await sleep(0);
      expect(result).toEqual([1, 2, 3]);
      const more = [4, 5].map((n) => createTask(c(n)));
      await sleep(0);
      await cond.acquire();
      cond.notifyAll();
      cond.release();
      await sleep(0);
      expect(result).toEqual([1, 2, 3, 4, 5]);
      await Promise.all([...tasks, ...more]);
    });
  });

  // test_locks.ConditionTests.test_explicit_lock
  it("shares an explicit lock", async () => {
    await runVirtual(async () => {
      const lock = new Lock();
      const cond = new Condition(lock);
      await cond.acquire();
      expect(lock.locked()).toBe(true);
      cond.release();
      expect(lock.locked()).toBe(false);
      expect(String(cond)).toBe("<Condition [unlocked]>");
    });
  });

  // test_locks.ConditionTests.test_cancelled_error_wakeup / test_cancelled_error_re_aquire
  for (const kind of ["async", "generator"] as const) {
    for (const where of ["wakeup", "re-acquire"] as const) {
      it(`the CancelledError raised in waitFor() (${where}) is the task's own, unmodified (${kind})`, async () => {
        await runVirtual(async () => {
          let wake = false;
          let raised: unknown = null;
          const cond = new Condition();
          const task: Task<unknown> =
            kind === "async"
              ? createTask(() =>
                  cond.use(async () => {
                    try {
                      await cond.waitFor(() => wake);
                    } catch (error) {
                      raised = error;
                      throw error;
                    }
                  }),
                )
              : createTask(
                  (function* () {
                    yield* cond.use(
                      (function* () {
                        try {
                          yield* cond.waitFor(() => wake);
                        } catch (error) {
                          raised = error;
                          throw error;
                        }
                      })(),
                    );
                  })(),
                );
          await sleep(0);
          if (where === "re-acquire") {
            await cond.acquire();
            wake = true;
            cond.notify();
            await sleep(0);
            task.cancel("foo");
            cond.release();
          } else {
            task.cancel("foo");
          }
          const error = await task.then(
            () => null,
            (e: unknown) => e,
          );
          expect(error).toBeInstanceOf(CancelledError);
          expect((error as Error).message).toBe("foo");
          expect(raised).toBeInstanceOf(CancelledError);
          expect(cond.locked()).toBe(false);
        });
      });
    }
  }

  // test_locks.ConditionTests.test_cancelled_wakeup / test_cancelled_wakeup_relock (3.13)
  for (const kind of ["async", "generator"] as const) {
    for (const relock of [false, true]) {
      it(`a notified waiter cancelled ${relock ? "while re-locking" : "before it runs"} passes the wake-up on (${kind})`, async () => {
        await runVirtual(async () => {
          const condition = new Condition();
          let state = 0;
          const consumer = (): Task<unknown> =>
            kind === "async"
              ? createTask(() =>
                  condition.use(async () => {
                    for (;;) {
                      await condition.waitFor(() => state !== 0);
                      if (state < 0) return;
                      state -= 1;
                    }
                  }),
                )
              : createTask(
                  (function* () {
                    yield* condition.use(
                      (function* () {
                        for (;;) {
                          yield* condition.waitFor(() => state !== 0);
                          if (state < 0) return;
                          state -= 1;
                        }
                      })(),
                    );
                  })(),
                );
          const c = [consumer(), consumer()];
          await sleep(0);
          await condition.use(async () => {
            state += 1;
            condition.notify(1);
            if (relock) await sleep(0);
            c[0].cancel();
            await withTimeout(0.01, () => condition.waitFor(() => state === 0));
            expect(state).toBe(0);
            state = -1;
            condition.notifyAll();
          });
          await c[1];
          await expect(c[0]).rejects.toThrow(CancelledError);
        });
      });
    }
  }
});
