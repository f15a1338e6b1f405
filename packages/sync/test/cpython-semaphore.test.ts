// Ports of CPython 3.12's test_asyncio/test_locks.py SemaphoreTests (and
// BoundedSemaphore), with traces recorded with python3.12 that the other sync
// tests do not cover. Workers run as both coroutine kinds.
import { CancelledError, createTask, sleep, type Task } from "@asyncio-ts/tasks";
import { describe, expect, it } from "vitest";
import { BoundedSemaphore, Semaphore } from "../src/index.js";
import { coroutine, errName, extras, KINDS, runVirtual, settle, spawn } from "./helpers.js";

describe("CPython SemaphoreTests", () => {
  for (const kind of KINDS) {
    // test_locks.SemaphoreTests.test_acquire, step by step.
    // python3.12 → [False, ([1], True, 2, 0), 0, ([1, 2, 3], True, 1, 0), [True, True, True, False], ([1, 2, 3, 4], 0)]
    it(`test_acquire: permits, waiters and value at each step (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        const sem = new Semaphore(3);
        const result: number[] = [];
        expect(await sem.acquire()).toBe(true);
        expect(await sem.acquire()).toBe(true);
        log.push(sem.locked());
        const c = (n: number) =>
          spawn(kind, function* () {
            yield sem.acquire();
            result.push(n);
            return true;
          });
        const [t1, t2, t3] = [1, 2, 3].map(c);
        await sleep(0);
        const s = () => sem.statistics();
        log.push([[...result], sem.locked(), s().waiters, s().value]);
        const t4 = c(4);
        sem.release();
        sem.release();
        log.push(s().value);
        await sleep(0);
        log.push([[...result], sem.locked(), s().waiters, s().value]);
        log.push([t1, t2, t3, t4].map((t) => t.done()));
        sem.release();
        await settle([t2, t3, t4]);
        log.push([[...result], s().value]);
      });
      expect(log).toEqual([false, [[1], true, 2, 0], 0, [[1, 2, 3], true, 1, 0], [true, true, true, false], [[1, 2, 3, 4], 0]]);
    });

    // test_locks.SemaphoreTests.test_acquire_cancel
    it(`test_acquire_cancel: the cancelled waiter leaves the queue (${kind})`, async () => {
      await runVirtual(async () => {
        const sem = new Semaphore();
        await sem.acquire();
        const acquire = spawn(kind, function* () {
          return yield sem.acquire();
        });
        acquire.getLoop().callSoon(() => acquire.cancel());
        await expect(acquire).rejects.toBeInstanceOf(CancelledError);
        expect(sem.statistics()).toEqual({ value: 0, locked: true, waiters: 0 });
      });
    });

    // test_locks.SemaphoreTests.test_acquire_cancel_before_awoken, plus the outcome of each task.
    // python3.12 → [[True, True, True, False], (0, True), [True, True, False, True]]
    it(`test_acquire_cancel_before_awoken: two cancelled, one release: t3 gets it, t4 waits (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        const sem = new Semaphore(0);
        const ts = [0, 1, 2, 3].map(() =>
          spawn(kind, function* () {
            return yield sem.acquire();
          }),
        );
        await sleep(0);
        ts[0].cancel();
        ts[1].cancel();
        sem.release();
        await sleep(0);
        await sleep(0);
        log.push(ts.map((t) => t.done()));
        log.push([sem.statistics().value, sem.locked()]);
        ts[2].cancel();
        ts[3].cancel();
        await sleep(0);
        log.push(ts.map((t) => t.cancelled()));
      });
      expect(log).toEqual([[true, true, true, false], [0, true], [true, true, false, true]]);
    });

    // test_locks.SemaphoreTests.test_acquire_no_hang: c1 cancels c2 after `async with` released to it.
    // python3.12 → [(None, 'CancelledError'), (1, False)]
    it(`test_acquire_no_hang: a waiter cancelled after the release gives the permit back (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        const sem = new Semaphore(1);
        let t2: Task<unknown> | null = null;
        const t1 = spawn(kind, function* () {
          yield sem.acquire();
          try {
            yield sleep(0);
          } finally {
            sem.release();
          }
          t2!.cancel();
          return null;
        });
        t2 = spawn(kind, function* () {
          yield sem.acquire();
          try {
            log.push("c2 should not run");
          } finally {
            sem.release();
          }
        });
        const r = await settle([t1, t2]);
        log.push([r[0], errName(r[1])]);
        log.push([sem.statistics().value, sem.locked()]);
        expect(sem.acquire().done()).toBe(true);
      });
      expect(log).toEqual([
        [null, "CancelledError"],
        [1, false],
      ]);
    });

    // test_locks.SemaphoreTests.test_acquire_fifo_order
    // python3.12 → ['c1_1', 'c2_1', 'c3_1', 'c1_2', 'c2_2', 'c3_2']
    it(`test_acquire_fifo_order: a releaser re-acquiring queues behind the others (${kind})`, async () => {
      const result: string[] = [];
      await runVirtual(async () => {
        const sem = new Semaphore(1);
        const coro = (tag: string) =>
          spawn(kind, function* () {
            yield sem.acquire();
            result.push(`${tag}_1`);
            yield sleep(0.01);
            sem.release();
            yield sem.acquire();
            result.push(`${tag}_2`);
            yield sleep(0.01);
            sem.release();
          });
        await settle(["c1", "c2", "c3"].map(coro));
      });
      expect(result).toEqual(["c1_1", "c2_1", "c3_1", "c1_2", "c2_2", "c3_2"]);
    });

    // test_locks.SemaphoreTests.test_acquire_fifo_order_2 → [1, 2, 3, 4]
    it(`test_acquire_fifo_order_2 (${kind})`, async () => {
      const result: number[] = [];
      await runVirtual(async () => {
        const sem = new Semaphore(1);
        const t1 = spawn(kind, function* () {
          yield sem.acquire();
          result.push(1);
          return true;
        });
        const t2 = spawn(kind, function* () {
          yield sem.acquire();
          result.push(2);
          sem.release();
          yield sem.acquire();
          result.push(4);
          return true;
        });
        const t3 = spawn(kind, function* () {
          yield sem.acquire();
          result.push(3);
          return true;
        });
        await sleep(0);
        sem.release();
        sem.release();
        expect(await settle([t1, t2, t3])).toEqual([true, true, true]);
      });
      expect(result).toEqual([1, 2, 3, 4]);
    });

    // test_locks.SemaphoreTests.test_acquire_fifo_order_3 → [2, 3]
    it(`test_acquire_fifo_order_3: a cancelled waiter is skipped (${kind})`, async () => {
      const result: number[] = [];
      await runVirtual(async () => {
        const sem = new Semaphore(0);
        const ts = [1, 2, 3].map((n) =>
          spawn(kind, function* () {
            yield sem.acquire();
            result.push(n);
            return true;
          }),
        );
        await sleep(0);
        ts[0].cancel();
        await sleep(0);
        sem.release();
        sem.release();
        const r = await settle(ts);
        expect(r[0]).toBeInstanceOf(CancelledError);
      });
      expect(result).toEqual([2, 3]);
    });

    // More releases than waiters: the surplus stays in the counter, but locked() is true while
    // woken waiters have not run; a task started then still acquires on its first step.
    // python3.12 → [('value', 1, 'locked', True), '0 acquired', '1 acquired', '3 acquired', ('value', 0)]
    it(`release() beyond the waiters keeps the surplus (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        const sem = new Semaphore(0);
        const c = (n: number) =>
          spawn(kind, function* () {
            yield sem.acquire();
            log.push(`${n} acquired`);
          });
        [0, 1].map(c);
        await sleep(0);
        for (let i = 0; i < 3; i++) sem.release();
        log.push(["value", sem.statistics().value, "locked", sem.locked()]);
        c(3);
        await sleep(0);
        log.push(["value", sem.statistics().value]);
      });
      expect(log).toEqual([["value", 1, "locked", true], "0 acquired", "1 acquired", "3 acquired", ["value", 0]]);
    });
  }

  // test_locks.SemaphoreTests.test_repr, followed through a real waiter.
  // python3.12 → ['[unlocked, value:1]', '[locked]', '[locked, waiters:1]', '[locked, waiters:1]', '[locked]',
  //               '[unlocked, value:1]', '[locked]', '[unlocked, value:5]', '<asyncio.locks.BoundedSemaphore [unlocked, value:2]']
  it("test_repr: value while unlocked, waiters while queued", async () => {
    const log: string[] = [];
    await runVirtual(async () => {
      const sem = new Semaphore();
      log.push(extras(sem));
      await sem.acquire();
      log.push(extras(sem));
      const t = createTask(() => sem.acquire());
      await sleep(0);
      log.push(extras(sem));
      sem.release();
      log.push(extras(sem));
      await t;
      log.push(extras(sem));
      sem.release();
      log.push(extras(sem));
      log.push(extras(new Semaphore(0)));
      log.push(extras(new Semaphore(5)));
      const b = new BoundedSemaphore(2);
      log.push(`${String(b).split(" ")[0]} ${extras(b)}`);
    });
    expect(log).toEqual([
      "[unlocked, value:1]",
      "[locked]",
      "[locked, waiters:1]",
      "[locked, waiters:1]",
      "[locked]",
      "[unlocked, value:1]",
      "[locked]",
      "[unlocked, value:5]",
      "<BoundedSemaphore [unlocked, value:2]",
    ]);
  });

  // test_locks.SemaphoreTests.test_initial_value_zero / test_semaphore_value / test_release_no_waiters
  it("Semaphore(0) is locked; Semaphore(-1) is a RangeError (ValueError); release with no waiters", async () => {
    expect(new Semaphore(0).locked()).toBe(true);
    expect(() => new Semaphore(-1)).toThrow(RangeError);
    await runVirtual(async () => {
      const sem = new Semaphore();
      await sem.acquire();
      expect(sem.locked()).toBe(true);
      sem.release();
      expect(sem.locked()).toBe(false);
    });
  });
});

describe("CPython BoundedSemaphore", () => {
  // test_locks.SemaphoreTests.test_release_not_acquired
  it("release() of a fresh BoundedSemaphore is a RangeError (ValueError)", () => {
    const sem = new BoundedSemaphore();
    expect(() => sem.release()).toThrow(RangeError);
    expect(() => sem.release()).toThrow("BoundedSemaphore released too many times");
  });

  // The bound counts the permit handed to a woken waiter as taken: a second (unbalanced)
  // release() right after is accepted, the third is not.
  // python3.12 → [('ValueError', 'BoundedSemaphore released too many times'), 0, ('second release ok', 1), (1, False),
  //               ('ValueError', 'BoundedSemaphore released too many times')]
  it("over-release is checked against the counter, a woken waiter's permit counting as taken", async () => {
    const log: unknown[] = [];
    await runVirtual(async () => {
      const fresh = new BoundedSemaphore();
      try {
        fresh.release();
      } catch (e) {
        log.push([errName(e), (e as Error).message]);
      }
      const b = new BoundedSemaphore(1);
      await b.acquire();
      const t = createTask(() => b.acquire());
      await sleep(0);
      b.release();
      log.push(b.statistics().value);
      try {
        b.release();
        log.push(["second release ok", b.statistics().value]);
      } catch (e) {
        log.push([errName(e), (e as Error).message]);
      }
      await t;
      log.push([b.statistics().value, b.locked()]);
      try {
        b.release();
        log.push(["third release ok", b.statistics().value]);
      } catch (e) {
        log.push([errName(e), (e as Error).message]);
      }
    });
    expect(log).toEqual([
      ["RangeError", "BoundedSemaphore released too many times"],
      0,
      ["second release ok", 1],
      [1, false],
      ["RangeError", "BoundedSemaphore released too many times"],
    ]);
  });
});

describe("CPython Semaphore: cancelled waiters and locked()", () => {
  // A waiter cancelled before release(): the permit stays in the counter, locked() is false
  // (cancelled waiters do not count), and a newcomer acquires on its first step.
  // python3.12 → [(1, False), (True, True, 0, True)]
  it("release() with only a cancelled waiter queued keeps the permit for a newcomer", async () => {
    const log: unknown[] = [];
    await runVirtual(async () => {
      const sem = new Semaphore(0);
      const t = createTask(() => sem.acquire());
      await sleep(0);
      t.cancel();
      sem.release();
      log.push([sem.statistics().value, sem.locked()]);
      const n = createTask(() => sem.acquire());
      await sleep(0);
      log.push([n.done(), t.cancelled(), sem.statistics().value, sem.locked()]);
    });
    expect(log).toEqual([
      [1, false],
      [true, true, 0, true],
    ]);
  });
});

describe("CPython Semaphore: `async with` (use()) forms", () => {
  for (const kind of KINDS) {
    // test_locks.SemaphoreTests.test_acquire_no_hang exactly as written, with `async with sem:` as use().
    // python3.12 → [(None, 'CancelledError'), (1, False)]
    it(`test_acquire_no_hang with use() (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        const sem = new Semaphore(1);
        let t2: Task<unknown> | null = null;
        const t1 = spawn(kind, function* () {
          yield sem.use(
            coroutine(kind, function* () {
              yield sleep(0);
            }),
          );
          t2!.cancel();
          return null;
        });
        t2 = spawn(kind, function* () {
          yield sem.use(
            coroutine(kind, function* (): Generator<never, void, unknown> {
              log.push("c2 should not run");
            }),
          );
        });
        const r = await settle([t1, t2]);
        log.push([r[0], errName(r[1])]);
        log.push([sem.statistics().value, sem.locked()]);
      });
      expect(log).toEqual([
        [null, "CancelledError"],
        [1, false],
      ]);
    });
  }
});

describe("CPython 3.13 SemaphoreTests.test_acquire_fifo_order_4", () => {
  // A successful acquire() wakes every waiter the counter allows (3.13's Semaphore, which ours is; 3.12.1
  // woke one, so there c4, created by c1, ran before c3: [1, 2, 4, 3]).
  // python3.13 → [('c1 start', 0), ('c2 released', 2, True), ('after 1', 2, 3), ('c1 acquired', 0, True),
  //               ('after 2', 0, 2, [1]), ('c3', True)] [1, 2, 3, 4]
  for (const kind of KINDS) {
    it(`an acquire that succeeds wakes the waiters queued behind it (${kind})`, async () => {
      const log: unknown[] = [];
      const result: number[] = [];
      await runVirtual(async () => {
        const sem = new Semaphore(0);
        const value = () => sem.statistics().value;
        let t4: Task<unknown> | null = null;
        const t1 = spawn(kind, function* () {
          log.push(["c1 start", value()]);
          yield sem.acquire();
          log.push(["c1 acquired", value(), sem.locked()]);
          t4 = spawn(kind, function* (): Generator<unknown, boolean, unknown> {
            result.push(4);
            return true;
          });
          result.push(1);
          return true;
        });
        const t2 = spawn(kind, function* () {
          sem.release();
          sem.release();
          sem.release();
          log.push(["c2 released", value(), sem.locked()]);
          yield sem.acquire();
          result.push(2);
          return true;
        });
        const t3 = spawn(kind, function* () {
          yield sem.acquire();
          log.push(["c3", sem.locked()]);
          result.push(3);
          return true;
        });
        await sleep(0);
        log.push(["after 1", value(), sem.statistics().waiters]);
        await sleep(0);
        log.push(["after 2", value(), sem.statistics().waiters, [...result]]);
        expect(await settle([t1, t2, t3, t4!])).toEqual([true, true, true, true]);
      });
      expect(log).toEqual([
        ["c1 start", 0],
        ["c2 released", 2, true],
        ["after 1", 2, 3],
        ["c1 acquired", 0, true],
        ["after 2", 0, 2, [1]],
        ["c3", true],
      ]);
      expect(result).toEqual([1, 2, 3, 4]);
    });
  }
});
