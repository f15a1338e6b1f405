import { RuntimeError } from "@asyncio-ts/loop";
import { CancelledError, createTask, currentTask, sleep, type Task } from "@asyncio-ts/tasks";
import { describe, expect, it } from "vitest";
import { Lock } from "../src/index.js";
import { runVirtual, tracer, turns } from "./helpers.js";

describe("Lock", () => {
  it("acquires at once when free, with no loop turn, and reports its holder", async () => {
    await runVirtual(async () => {
      const lock = new Lock();
      expect(lock.locked()).toBe(false);
      const f = lock.acquire();
      expect(f.done()).toBe(true);
      expect(await f).toBe(true);
      expect(lock.locked()).toBe(true);
      const stats = lock.statistics();
      expect(stats.holder === currentTask()).toBe(true);
      expect(stats.locked).toBe(true);
      expect(stats.waiters).toBe(0);
      expect(String(lock)).toBe("<Lock [locked]>");
      lock.release();
      expect(lock.locked()).toBe(false);
      expect(() => lock.release()).toThrow(RuntimeError);
      expect(() => lock.release()).toThrow("Lock is not acquired.");
    });
  });

  // test_locks.LockTests.test_acquire
  it("wakes waiters in FIFO order (async coroutines)", async () => {
    const { trace, log } = tracer();
    await runVirtual(async () => {
      const lock = new Lock();
      await lock.acquire();
      const worker = (n: number) => async () => {
        await lock.acquire();
        log("acquired", n);
        await sleep(0);
        lock.release();
      };
      const tasks = [1, 2, 3].map((n) => createTask(worker(n)));
      await turns(1);
      expect(lock.statistics().waiters).toBe(3);
      lock.release();
      await Promise.all(tasks);
    });
    expect(trace).toEqual(["acquired 1", "acquired 2", "acquired 3"]);
  });

  it("wakes waiters in FIFO order (generator coroutines)", async () => {
    const { trace, log } = tracer();
    await runVirtual(function* () {
      const lock = new Lock();
      yield* lock.acquire();
      function* worker(n: number) {
        yield* lock.acquire();
        log("acquired", n);
        yield* sleep(0);
        lock.release();
      }
      const tasks = [1, 2, 3].map((n) => createTask(worker(n)));
      yield* sleep(0);
      lock.release();
      for (const t of tasks) yield* t;
    }());
    expect(trace).toEqual(["acquired 1", "acquired 2", "acquired 3"]);
  });

  // test_locks.LockTests.test_cancel_race (Issue 32734), both kinds
  for (const kind of ["async", "generator"] as const) {
    it(`a waiter woken and then cancelled passes the lock on (${kind})`, async () => {
      const { trace, log } = tracer();
      await runVirtual(async () => {
        const lock = new Lock();
        await lock.acquire();
        const make = (name: string): Task<unknown> =>
          kind === "async"
            ? createTask(async () => {
                try {
                  await lock.acquire();
                  log(name, "acquired");
                } catch (e) {
                  log(name, (e as Error).name);
                  throw e;
                }
              })
            : createTask(
                (function* () {
                  try {
                    yield* lock.acquire();
                    log(name, "acquired");
                  } catch (e) {
                    log(name, (e as Error).name);
                    throw e;
                  }
                })(),
              );
        const ta = make("a");
        const tb = make("b");
        await turns(1);
        lock.release(); // wakes a
        ta.cancel(); // ...which is cancelled before it runs
        await turns(3);
        log("locked", lock.locked(), "a cancelled", ta.cancelled(), "b done", tb.done());
      });
      expect(trace).toEqual(["a CancelledError", "b acquired", "locked true a cancelled true b done true"]);
    });
  }

  // test_locks.LockTests.test_cancel_release_race
  it("cancel then release in one callback takes exactly one lock", async () => {
    await runVirtual(async () => {
      const lock = new Lock();
      let lockCount = 0;
      let callCount = 0;
      const lockit = async () => {
        callCount++;
        await lock.acquire();
        lockCount++;
      };
      await lock.acquire();
      const t1 = createTask(lockit);
      const t2 = createTask(lockit);
      const t3 = createTask(lockit);
      await sleep(0);
      currentTask()!.getLoop().callSoon(() => {
        t1.cancel();
        lock.release();
      });
      await expect(t1).rejects.toThrow(CancelledError);
      expect(lockCount).toBe(1);
      expect(callCount).toBe(3);
      expect(t1.cancelled() && t2.done()).toBe(true);
      t3.cancel();
      await sleep(0);
      expect(t3.cancelled()).toBe(true);
    });
  });

  it("use() releases when the body throws or is cancelled (both kinds)", async () => {
    await runVirtual(async () => {
      const lock = new Lock();
      await expect(lock.use(async () => { throw new Error("boom"); })).rejects.toThrow("boom");
      expect(lock.locked()).toBe(false);
      const t = createTask(() => lock.use(async () => { await sleep(10); }));
      await sleep(1);
      expect(lock.locked()).toBe(true);
      t.cancel();
      await expect(t).rejects.toThrow(CancelledError);
      expect(lock.locked()).toBe(false);
      const g = createTask(function* () {
        return yield* lock.use(function* () {
          yield* sleep(10);
          return 1;
        }());
      }());
      await sleep(1);
      expect(lock.locked()).toBe(true);
      g.cancel();
      await expect(g).rejects.toThrow(CancelledError);
      expect(lock.locked()).toBe(false);
      expect(await lock.use(async () => 42)).toBe(42);
    });
  });

  it("acquireDisposable() with using releases on throw and cancel", async () => {
    await runVirtual(async () => {
      const lock = new Lock();
      const body = async () => {
        using _held = await lock.acquireDisposable();
        await sleep(10);
      };
      const t = createTask(body);
      await sleep(1);
      expect(lock.locked()).toBe(true);
      t.cancel();
      await expect(t).rejects.toThrow(CancelledError);
      expect(lock.locked()).toBe(false);
      try {
        using held = await lock.acquireDisposable();
        expect(lock.locked()).toBe(true);
        held.release(); // early; the using exit does not over-release
        throw new Error("x");
      } catch {
        /* ignore */
      }
      expect(lock.locked()).toBe(false);
    });
  });
});
