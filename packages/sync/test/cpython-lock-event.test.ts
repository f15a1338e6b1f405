// Ports of CPython 3.12's test_asyncio/test_locks.py (LockTests, EventTests) and of
// traces recorded with python3.12 that the other sync tests do not cover. Each
// expected value below is what CPython printed for the same scenario (the
// Python snippets are in the comments). Workers run as both coroutine kinds.
import { getRunningLoop, RuntimeError } from "@asyncio-ts/loop";
import { CancelledError, createTask, currentTask, ensureFuture, Future, run, sleep, type Task } from "@asyncio-ts/tasks";
import { describe, expect, it } from "vitest";
import { Barrier, BoundedSemaphore, Condition, Event, Lock, Queue, Semaphore } from "../src/index.js";
import { coroutine, errName, extras, KINDS, runVirtual, settle, spawn } from "./helpers.js";

describe("CPython LockTests", () => {
  for (const kind of KINDS) {
    // test_locks.LockTests.test_acquire, with the state after each step:
    // python3.12 → [[], ('after release locked', False), [1], True, [1], [1, 2], [1, 2, 3], [True, True, True]]
    it(`test_acquire: one waiter per release, in FIFO order (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        const lock = new Lock();
        const result: number[] = [];
        expect(await lock.acquire()).toBe(true);
        const c = (n: number) =>
          spawn(kind, function* () {
            if (yield lock.acquire()) result.push(n);
            return true;
          });
        const t1 = c(1);
        const t2 = c(2);
        await sleep(0);
        log.push([...result]);
        lock.release();
        log.push(["after release locked", lock.locked()]);
        await sleep(0);
        log.push([...result], lock.locked());
        await sleep(0);
        log.push([...result]);
        const t3 = c(3);
        lock.release();
        await sleep(0);
        log.push([...result]);
        lock.release();
        await sleep(0);
        log.push([...result]);
        log.push([t1, t2, t3].map((t) => t.done() && t.result()));
      });
      expect(log).toEqual([[], ["after release locked", false], [1], true, [1], [1, 2], [1, 2, 3], [true, true, true]]);
    });

    // test_locks.LockTests.test_acquire_cancel
    it(`test_acquire_cancel: a cancelled acquire leaves no waiter (${kind})`, async () => {
      await runVirtual(async () => {
        const lock = new Lock();
        expect(await lock.acquire()).toBe(true);
        const task = spawn(kind, function* () {
          return yield lock.acquire();
        });
        task.getLoop().callSoon(() => task.cancel());
        await expect(task).rejects.toBeInstanceOf(CancelledError);
        expect(lock.statistics().waiters).toBe(0);
        expect(lock.locked()).toBe(true);
      });
    });

    // test_locks.LockTests.test_cancel_race (A holds, B and C wait; B cancelled as A releases), with each
    // task taking the lock by acquire()/release(), and again by `async with lock:` (use()): the same trace.
    // python3.12 → ['A acquired', '2', 'A released', ('locked', False, 'ta', True, 'tb', True),
    //               'C acquired', 'C released', ('locked', False)]
    for (const [title, byUse] of [
      ["test_cancel_race: release to a cancelled waiter moves on to the next", false],
      ["test_cancel_race with `async with` (use()): A releases by leaving use() as B, woken, is cancelled: C gets the lock", true],
    ] as const) {
      it(`${title} (${kind})`, async () => {
        const log: unknown[] = [];
        await runVirtual(async () => {
          const lock = new Lock();
          const lockit = (name: string, blocker: Future<unknown> | null) =>
            byUse
              ? spawn(kind, function* () {
                  try {
                    yield lock.use(
                      coroutine(kind, function* () {
                        log.push(`${name} acquired`);
                        if (blocker !== null) yield blocker;
                      }),
                    );
                  } finally {
                    if (!lock.locked() && log.includes(`${name} acquired`)) log.push(`${name} released`);
                  }
                })
              : spawn(kind, function* () {
                  yield lock.acquire();
                  log.push(`${name} acquired`);
                  try {
                    if (blocker !== null) yield blocker;
                  } finally {
                    lock.release();
                    log.push(`${name} released`);
                  }
                });
          const fa = new Future<void>();
          const ta = lockit("A", fa);
          await sleep(0);
          const tb = lockit("B", null);
          await sleep(0);
          const tc = lockit("C", null);
          await sleep(0);
          log.push(String(lock.statistics().waiters));
          fa.setResult(undefined);
          tb.cancel();
          await sleep(0);
          log.push(["locked", lock.locked(), "ta", ta.done(), "tb", tb.cancelled()]);
          await tc;
          log.push(["locked", lock.locked()]);
        });
        expect(log).toEqual([
          "A acquired",
          "2",
          "A released",
          ["locked", false, "ta", true, "tb", true],
          "C acquired",
          "C released",
          ["locked", false],
        ]);
      });
    }

    // test_locks.LockTests.test_finished_waiter_cancelled
    // python3.12 → [(True, True, True), (True, True)]: tc takes the lock on its first step
    it(`test_finished_waiter_cancelled: a newcomer takes the lock when the only waiter is cancelled (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        const lock = new Lock();
        await lock.acquire();
        const acquire = () =>
          spawn(kind, function* () {
            return yield lock.acquire();
          });
        const tb = acquire();
        await sleep(0);
        expect(lock.statistics().waiters).toBe(1);
        const tc = acquire();
        tb.cancel();
        lock.release();
        await sleep(0);
        log.push([lock.locked(), tb.cancelled(), tc.done()]);
        await tc;
        log.push([lock.locked(), tc.result()]);
      });
      expect(log).toEqual([
        [true, true, true],
        [true, true],
      ]);
    });

    // No barging: after release() the lock reads unlocked, but a newcomer queues behind the woken waiter.
    // python3.12 → [('locked after release', False), 'w1', ('locked', True), 'w2']
    it(`a newcomer does not take the lock from a woken waiter (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        const lock = new Lock();
        await lock.acquire();
        const w = (name: string) =>
          spawn(kind, function* () {
            yield lock.acquire();
            log.push(name);
            yield sleep(0);
            lock.release();
          });
        const t1 = w("w1");
        await sleep(0);
        lock.release();
        log.push(["locked after release", lock.locked()]);
        const t2 = w("w2");
        await sleep(0);
        log.push(["locked", lock.locked()]);
        await settle([t1, t2]);
      });
      expect(log).toEqual([["locked after release", false], "w1", ["locked", true], "w2"]);
    });

    // async with lock: cancelled inside the body releases; the next waiter runs one turn later.
    // python3.12 → ['in', ('t', True, 'o', False, False), 'other in', ('o', True, False)]
    it(`cancelled inside use() (async with): released, next waiter runs a turn later (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        const lock = new Lock();
        const body = spawn(kind, function* () {
          yield lock.use(
            coroutine(kind, function* () {
              log.push("in");
              yield sleep(1);
            }),
          );
        });
        const other = spawn(kind, function* () {
          yield lock.use(
            coroutine(kind, function* (): Generator<never, void, unknown> {
              log.push("other in");
            }),
          );
        });
        await sleep(0);
        body.cancel();
        await sleep(0);
        log.push(["t", body.cancelled(), "o", other.done(), lock.locked()]);
        await sleep(0);
        log.push(["o", other.done(), lock.locked()]);
      });
      expect(log).toEqual(["in", ["t", true, "o", false, false], "other in", ["o", true, false]]);
    });
  }

  // The lock has no owner: any task may release it; releasing an unlocked lock is RuntimeError.
  // python3.12 → ['a acquired', 'b released', False, ('RuntimeError', 'Lock is not acquired.')]
  it("release by another task (no owner); then RuntimeError on an unlocked lock", async () => {
    const log: unknown[] = [];
    await runVirtual(async () => {
      const lock = new Lock();
      await createTask(async () => {
        await lock.acquire();
        log.push("a acquired");
      });
      await createTask(async () => {
        lock.release();
        log.push("b released");
      });
      log.push(lock.locked());
      try {
        lock.release();
      } catch (e) {
        log.push([errName(e), (e as Error).message, e instanceof RuntimeError]);
      }
    });
    expect(log).toEqual(["a acquired", "b released", false, ["RuntimeError", "Lock is not acquired.", true]]);
  });

  // test_locks.LockTests.test_repr, followed through waiters and a cancelled waiter.
  // python3.12 → ['[unlocked]', '[locked]', '[locked, waiters:2]', '[locked, waiters:1]', '[unlocked, waiters:1]', '[locked]']
  it("repr extras through acquire, waiters, cancel and release", async () => {
    const log: string[] = [];
    await runVirtual(async () => {
      const lock = new Lock();
      log.push(extras(lock));
      await lock.acquire();
      log.push(extras(lock));
      const t = createTask(() => lock.acquire());
      const t2 = createTask(() => lock.acquire());
      await sleep(0);
      log.push(extras(lock));
      t.cancel();
      await sleep(0);
      log.push(extras(lock));
      lock.release();
      log.push(extras(lock));
      await t2;
      log.push(extras(lock));
    });
    expect(log).toEqual(["[unlocked]", "[locked]", "[locked, waiters:2]", "[locked, waiters:1]", "[unlocked, waiters:1]", "[locked]"]);
  });
});

describe("CPython EventTests", () => {
  // test_locks.EventTests.test_repr / test_wait_on_set
  it("test_repr and test_wait_on_set", async () => {
    await runVirtual(async () => {
      const ev = new Event();
      expect(extras(ev)).toBe("[unset]");
      const t = createTask(() => ev.wait());
      await sleep(0);
      expect(extras(ev)).toBe("[unset, waiters:1]");
      ev.set();
      expect(extras(ev)).toBe("[set, waiters:1]");
      expect(await t).toBe(true);
      expect(extras(ev)).toBe("[set]");
      expect(await ev.wait()).toBe(true);
    });
  });

  for (const kind of KINDS) {
    // test_locks.EventTests.test_wait: a task created after the waiters but before set() runs first.
    it(`test_wait: results in the order [3, 1, 2], every wait() returns true (${kind})`, async () => {
      const result: number[] = [];
      await runVirtual(async () => {
        const ev = new Event();
        const c = (n: number) =>
          spawn(kind, function* () {
            if (yield ev.wait()) result.push(n);
          });
        const t1 = c(1);
        const t2 = c(2);
        await sleep(0);
        expect(result).toEqual([]);
        const t3 = c(3);
        ev.set();
        await sleep(0);
        expect(result).toEqual([3, 1, 2]);
        expect([t1.done(), t2.done(), t3.done()]).toEqual([true, true, true]);
        expect(t1.result()).toBeUndefined();
      });
    });

    // test_locks.EventTests.test_clear_with_waiters
    // python3.12 → [False, 1, ([1], 0, True)]
    it(`test_clear_with_waiters: set, clear, set, set wakes the waiter once (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        const ev = new Event();
        const result: number[] = [];
        const t = spawn(kind, function* () {
          if (yield ev.wait()) result.push(1);
          return true;
        });
        await sleep(0);
        ev.set();
        ev.clear();
        log.push(ev.isSet());
        ev.set();
        ev.set();
        log.push(ev.statistics().waiters);
        await sleep(0);
        log.push([[...result], ev.statistics().waiters, t.result()]);
      });
      expect(log).toEqual([false, 1, [[1], 0, true]]);
    });

    // set() then clear() before the waiters run: they still return true (and see the flag cleared);
    // a wait() started after clear() blocks until the next set().
    // python3.12 → ['[unset, waiters:3]', '[unset, waiters:3]', (0, True, False), (1, True, False), (2, True, False),
    //               ('t4 done', False), '[unset, waiters:1]', (4, True, True), '[set]']
    it(`set/clear race: woken waiters return true, a later wait blocks (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        const ev = new Event();
        const w = (n: number) =>
          spawn(kind, function* () {
            const r = yield ev.wait();
            log.push([n, r, ev.isSet()]);
          });
        [0, 1, 2].map(w);
        await sleep(0);
        log.push(extras(ev));
        ev.set();
        ev.clear();
        log.push(extras(ev));
        const t4 = w(4);
        await sleep(0);
        log.push(["t4 done", t4.done()]);
        log.push(extras(ev));
        ev.set();
        await t4;
        log.push(extras(ev));
      });
      expect(log).toEqual([
        "[unset, waiters:3]",
        "[unset, waiters:3]",
        [0, true, false],
        [1, true, false],
        [2, true, false],
        ["t4 done", false],
        "[unset, waiters:1]",
        [4, true, true],
        "[set]",
      ]);
    });

    // A waiter woken by set() and cancelled before it runs is cancelled; the others still wake.
    // python3.12 → ['1 cancelled', '2 woke', (True, True, 0)]
    it(`a waiter cancelled after set() raises CancelledError; the rest wake (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        const ev = new Event();
        const w = (n: number) =>
          spawn(kind, function* () {
            try {
              yield ev.wait();
              log.push(`${n} woke`);
            } catch (e) {
              if (e instanceof CancelledError) log.push(`${n} cancelled`);
              throw e;
            }
          });
        const t1 = w(1);
        const t2 = w(2);
        await sleep(0);
        ev.set();
        t1.cancel();
        await sleep(0);
        log.push([t1.cancelled(), t2.done(), ev.statistics().waiters]);
      });
      expect(log).toEqual(["1 cancelled", "2 woke", [true, true, 0]]);
    });
  }
});

describe("CPython: awaiting without suspending, and cancel messages", () => {
  for (const kind of KINDS) {
    // An uncontended acquire / get / put / wait / Barrier(1).wait / wait_for(true) never yields to the loop:
    // another ready task runs only after all of them.
    // python3.12 → ['A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'A7', 'A8', 'B']
    it(`operations that need not wait take no loop turn (${kind})`, async () => {
      const log: string[] = [];
      await runVirtual(async () => {
        const lock = new Lock();
        const ev = new Event();
        ev.set();
        const q = new Queue<number>();
        q.putNowait(1);
        const b = new Barrier(1);
        const sem = new Semaphore(2);
        const cond = new Condition();
        const a = spawn(kind, function* () {
          yield lock.acquire();
          log.push("A1");
          lock.release();
          yield ev.wait();
          log.push("A2");
          yield q.get();
          log.push("A3");
          yield q.put(2);
          log.push("A4");
          yield b.wait();
          log.push("A5");
          yield sem.acquire();
          log.push("A6");
          yield lock.acquire();
          log.push("A7");
          lock.release();
          yield cond.acquire();
          yield cond.waitFor(() => true);
          log.push("A8");
          cond.release();
        });
        const other = spawn(kind, function* (): Generator<unknown, void, unknown> {
          log.push("B");
        });
        await settle([a, other]);
      });
      expect(log).toEqual(["A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8", "B"]);
    });

    // task.cancel(msg) while blocked in acquire() / get(): the message reaches the waiter and the task.
    // python3.12 → [('acquire', ('bye',)), ('task', ('bye',)), ('get', ('q',)), ('task', ('q',))]
    it(`the cancel message reaches a blocked acquire() and get() (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        const lock = new Lock();
        await lock.acquire();
        const q = new Queue<number>();
        const cases: [string, string, () => Future<unknown>][] = [
          ["acquire", "bye", () => lock.acquire()],
          ["get", "q", () => q.get()],
        ];
        for (const [what, msg, op] of cases) {
          const t = spawn(kind, function* () {
            try {
              yield op();
            } catch (e) {
              log.push([what, errName(e), (e as Error).message]);
              throw e;
            }
          });
          await sleep(0);
          t.cancel(msg);
          try {
            await t;
          } catch (e) {
            log.push(["task", errName(e), (e as Error).message]);
          }
        }
      });
      expect(log).toEqual([
        ["acquire", "CancelledError", "bye"],
        ["task", "CancelledError", "bye"],
        ["get", "CancelledError", "q"],
        ["task", "CancelledError", "q"],
      ]);
    });
  }
});

describe("CPython LockTests / EventTests: the rest, and reprs with cancelled waiters", () => {
  for (const kind of KINDS) {
    // test_locks.LockTests.test_cancel_release_race (bpo-32734), as both kinds: t1 cancelled and the lock
    // released in one callback: exactly one task (t2) takes it.
    // python3.12 → [1, 3, True, True]
    it(`test_cancel_release_race (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        const lock = new Lock();
        let lockCount = 0;
        let callCount = 0;
        const lockit = () =>
          spawn(kind, function* () {
            callCount++;
            yield lock.acquire();
            lockCount++;
          });
        await lock.acquire();
        const [t1, t2, t3] = [lockit(), lockit(), lockit()];
        await sleep(0);
        getRunningLoop().callSoon(() => {
          t1.cancel();
          lock.release();
        });
        await expect(t1).rejects.toBeInstanceOf(CancelledError);
        log.push(lockCount, callCount, t1.cancelled() && t2.done());
        t3.cancel();
        await sleep(0);
        log.push(t3.cancelled());
      });
      expect(log).toEqual([1, 3, true, true]);
    });
  }

  // test_locks.LockTests.test_release_no_waiters and EventTests.test_clear
  it("test_release_no_waiters, test_clear", async () => {
    await runVirtual(async () => {
      const lock = new Lock();
      await lock.acquire();
      expect(lock.locked()).toBe(true);
      lock.release();
      expect(lock.locked()).toBe(false);
      const ev = new Event();
      expect(ev.isSet()).toBe(false);
      ev.set();
      expect(ev.isSet()).toBe(true);
      ev.clear();
      expect(ev.isSet()).toBe(false);
    });
  });

  // A cancelled waiter stays listed (and counted in the repr) until its task runs; a Semaphore whose only
  // waiter is cancelled reads unlocked; a woken-then-cancelled BoundedSemaphore waiter passes its permit on.
  // python3.12 → ['[locked, waiters:1]', '[unlocked, value:1, waiters:1]', '[unlocked, value:1]', '[locked, waiters:1]',
  //   '[unlocked, waiters:1]', '[unlocked]', '[locked, waiters:2]', ('[locked, waiters:1]', [True, False]),
  //   '[locked, waiters:1]', '[unlocked, waiters:2]', '[unlocked, waiters:1]', '[unset, waiters:1]', '[unset]']
  it("reprs while cancelled waiters are still queued", async () => {
    const log: unknown[] = [];
    await runVirtual(async () => {
      const sem = new Semaphore(0);
      let t = createTask(() => sem.acquire());
      await sleep(0);
      t.cancel();
      log.push(extras(sem));
      sem.release();
      log.push(extras(sem));
      await sleep(0);
      log.push(extras(sem));
      const lock = new Lock();
      await lock.acquire();
      t = createTask(() => lock.acquire());
      await sleep(0);
      t.cancel();
      log.push(extras(lock));
      lock.release();
      log.push(extras(lock));
      await sleep(0);
      log.push(extras(lock));
      const b = new BoundedSemaphore(2);
      await b.acquire();
      await b.acquire();
      let ts: Task<unknown>[] = [0, 1].map(() => createTask(() => b.acquire()));
      await sleep(0);
      b.release();
      ts[0].cancel();
      log.push(extras(b));
      await sleep(0);
      log.push([extras(b), ts.map((t) => t.done())]);
      b.release();
      b.release();
      log.push(extras(b));
      const cond = new Condition();
      ts = [0, 1].map(() => createTask(() => cond.use(async () => void (await cond.wait()))));
      await sleep(0);
      ts[0].cancel();
      log.push(extras(cond));
      await sleep(0);
      log.push(extras(cond));
      ts[1].cancel();
      await sleep(0);
      const ev = new Event();
      t = createTask(() => ev.wait());
      await sleep(0);
      t.cancel();
      log.push(extras(ev));
      await sleep(0);
      log.push(extras(ev));
    });
    expect(log).toEqual([
      "[locked, waiters:1]",
      "[unlocked, value:1, waiters:1]",
      "[unlocked, value:1]",
      "[locked, waiters:1]",
      "[unlocked, waiters:1]",
      "[unlocked]",
      "[locked, waiters:2]",
      ["[locked, waiters:1]", [true, false]],
      "[locked, waiters:1]",
      "[unlocked, waiters:2]",
      "[unlocked, waiters:1]",
      "[unset, waiters:1]",
      "[unset]",
    ]);
  });
});

describe("CPython: cancellation reaching every blocking operation", () => {
  for (const kind of KINDS) {
    // task.cancel(msg) while blocked in each operation, then the future of ensure_future(op) cancelled
    // directly: the message reaches the operation and the task, and nothing is left queued.
    // python3.12 → for each of sem, ev, cond.wait, cond.wait_for, barrier, put, join, get, use:
    //   (name, 'inner', ('m-<name>',)), (name, 'task', ('m-<name>',), True); then (name, 'direct', ('d-<name>',), True);
    //   finally (0, 1, 0, 0, True)
    it(`the cancel message, from the task or the future, for every operation (${kind})`, async () => {
      const log: unknown[] = [];
      const expected: unknown[] = [];
      await runVirtual(async () => {
        const lock = new Lock();
        await lock.acquire();
        const sem = new Semaphore(0);
        const ev = new Event();
        const cond = new Condition();
        const b = new Barrier(2);
        const q = new Queue<number>({ maxsize: 1 });
        q.putNowait(0);
        const q2 = new Queue<number>();
        const q3 = new Queue<number>();
        q3.putNowait(1);
        const ops: [string, () => Future<unknown>][] = [
          ["sem", () => sem.acquire()],
          ["ev", () => ev.wait()],
          ["cond.wait", () => cond.use(coroutine(kind, function* () { yield cond.wait(); }))],
          ["cond.wait_for", () => cond.use(coroutine(kind, function* () { yield cond.waitFor(() => false); }))],
          ["barrier", () => b.wait()],
          ["put", () => q.put(1)],
          ["join", () => q3.join()],
          ["get", () => q2.get()],
          ["use", () => lock.use(coroutine(kind, function* (): Generator<unknown, void, unknown> {}))],
        ];
        for (const [name, op] of ops) {
          const t = spawn(kind, function* () {
            try {
              yield op();
            } catch (e) {
              if (e instanceof CancelledError) log.push([name, "inner", e.message]);
              throw e;
            }
          });
          await sleep(0);
          t.cancel(`m-${name}`);
          try {
            await t;
          } catch (e) {
            log.push([name, "task", (e as Error).message, t.cancelled()]);
          }
          expected.push([name, "inner", `m-${name}`], [name, "task", `m-${name}`, true]);
        }
        for (const [name, op] of ops) {
          const f = ensureFuture(op());
          await sleep(0);
          f.cancel(`d-${name}`);
          try {
            await f;
          } catch (e) {
            log.push([name, "direct", (e as Error).message, f.cancelled()]);
          }
          expected.push([name, "direct", `d-${name}`, true]);
        }
        log.push([b.nWaiting, q.qsize(), q.statistics().putters, q2.statistics().getters, lock.locked()]);
        expected.push([0, 1, 0, 0, true]);
      });
      expect(log).toEqual(expected);
    });

    // Cancelled twice while blocked: one CancelledError (the first message), cancelling() counts both. A
    // waiter that catches it, uncancels and acquires again queues anew. ensure_future(acquire) woken by
    // release() and cancelled before it runs passes the lock to the next one.
    // python3.12 → [('cancel1', True), ('cancel2', True), ('w1 caught', ('a',), 2), ('t', ('a',)), ('waiters', 0),
    //               ('w2 uncancel', 0), ('w2 waiting', False, 1), 'w2 acquired', ('w2', 'ok', False),
    //               ('f', True, 'g', False, False), ('g', True, True)]
    it(`cancelled twice; uncancel and retry; a woken future cancelled directly (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        const lock = new Lock();
        await lock.acquire();
        const t = spawn(kind, function* () {
          try {
            yield lock.acquire();
          } catch (e) {
            log.push(["w1 caught", (e as Error).message, currentTask()!.cancelling()]);
            throw e;
          }
        });
        await sleep(0);
        log.push(["cancel1", t.cancel("a")]);
        log.push(["cancel2", t.cancel("b")]);
        try {
          await t;
        } catch (e) {
          log.push(["t", (e as Error).message]);
        }
        log.push(["waiters", lock.statistics().waiters]);
        const t2 = spawn(kind, function* () {
          try {
            yield lock.acquire();
          } catch {
            log.push(["w2 uncancel", currentTask()!.uncancel()]);
          }
          yield lock.acquire();
          log.push("w2 acquired");
          lock.release();
          return "ok";
        });
        await sleep(0);
        t2.cancel();
        await sleep(0);
        log.push(["w2 waiting", t2.done(), lock.statistics().waiters]);
        lock.release();
        log.push(["w2", await t2, lock.locked()]);
        await lock.acquire();
        const f = ensureFuture(lock.acquire());
        await sleep(0);
        const g = ensureFuture(lock.acquire());
        await sleep(0);
        lock.release();
        f.cancel("x");
        await sleep(0);
        log.push(["f", f.cancelled(), "g", g.done(), lock.locked()]);
        await sleep(0);
        log.push(["g", g.done(), lock.locked()]);
      });
      expect(log).toEqual([
        ["cancel1", true],
        ["cancel2", true],
        ["w1 caught", "a", 2],
        ["t", "a"],
        ["waiters", 0],
        ["w2 uncancel", 0],
        ["w2 waiting", false, 1],
        "w2 acquired",
        ["w2", "ok", false],
        ["f", true, "g", false, false],
        ["g", true, true],
      ]);
    });
  }
});

// An operation nobody awaits directly (ensureFuture(), gather()) runs like CPython's ensure_future(coro): a
// task of its own, whose whole chain of awaits resumes in one step. join() awaits an Event.wait() inside it,
// waitFor() a wait() that awaits acquire(): ours took one more loop iteration per nested operation.
// python3.12 → [['tick0', 'task_done', 'tick1', 'tick2', 'join done', 'tick3', 'tick4', 'tick5'],
//               ['tick0', 'tick1', 'notified', 'tick2', 'released', 'tick3', 'tick4', ('wait_for done', 7), 'tick5', 'tick6', 'tick7']]
describe("CPython: nested operations awaited through ensureFuture()", () => {
  async function ticker(log: unknown[], n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      log.push(`tick${i}`);
      await sleep(0);
    }
  }

  it("resume in the same loop iteration as CPython's task would", async () => {
    const out: unknown[] = [];
    await runVirtual(async () => {
      let log: unknown[] = [];
      const q = new Queue<number>();
      q.putNowait(1);
      ensureFuture(q.join()).addDoneCallback(() => log.push("join done"));
      let t = createTask(() => ticker(log, 6));
      await sleep(0);
      q.getNowait();
      q.taskDone();
      log.push("task_done");
      await t;
      out.push(log);
      log = [];
      const c = new Condition();
      await c.acquire();
      let flag: number | false = false;
      ensureFuture(c.waitFor(() => flag)).addDoneCallback((f) => log.push(["wait_for done", f.result()]));
      t = createTask(() => ticker(log, 8));
      await sleep(0);
      await sleep(0);
      await c.acquire();
      flag = 7;
      c.notify();
      log.push("notified");
      await sleep(0);
      c.release();
      log.push("released");
      await t;
      out.push(log);
    });
    expect(out).toEqual([
      ["tick0", "task_done", "tick1", "tick2", "join done", "tick3", "tick4", "tick5"],
      ["tick0", "tick1", "notified", "tick2", "released", "tick3", "tick4", ["wait_for done", 7], "tick5", "tick6", "tick7"],
    ]);
  });
});

// ensure_future(coro) where coro is `async with lock: body`: the body runs in the task's step that acquired
// (at once when the lock is free, in the wake-up step when contended), and the task's done callbacks run one
// iteration after the body ends. Ours ran the body as a separate task one callSoon later (two iterations
// late) and stepped the operation from that task's done callback (one more): 'd2 body' came four iterations
// late. (Ours starts acquiring at the call, so main's first ticks are one iteration earlier in (a).)
// python3.12 → ['tick0', 'a body', 'tick1', 'a end', 'tick2', ('a done', 1), 'tick3', 'tick4', 'tick5']
//              ['tick0', 'released', 'tick1', 'b body', 'tick2', 'b end', 'tick3', ('b done', 2), 'tick4', 'tick5', 'tick6', 'tick7']
//              ['c body', 'tick0', 'tick1', ('cancel', True), 'tick2', ('c done', True, False), 'tick3', 'tick4', 'tick5', 'tick6', 'tick7']
//              ['tick0', 'd1 body', 'tick1', 'd1 end', 'tick2', 'd2 body', 'tick3', 'd2 end', 'tick4', 'tick5', ('d', [1, 2]), 'tick6', 'tick7']
//              ['body', 'end', ('awaited', 5, False), 'body', 'end', ('error', 'boom', False), 'body', ('cancelled', True, False)]
describe("CPython: `async with` (use()) awaited through ensureFuture()", () => {
  async function ticker(log: unknown[], n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      log.push(`tick${i}`);
      await sleep(0);
    }
  }

  for (const kind of KINDS) {
    it(`the body runs in the step that acquired; the future completes one iteration after it (${kind})`, async () => {
      const out: unknown[] = [];
      await runVirtual(async () => {
        const lock = new Lock();
        let log: unknown[] = [];
        const use = (name: string, v: unknown, steps = 1) =>
          lock.use(
            coroutine(kind, function* () {
              log.push(`${name} body`);
              for (let i = 0; i < steps; i++) yield sleep(0);
              log.push(`${name} end`);
              if (v === "boom") throw new RangeError("boom");
              return v;
            }),
          );
        // a: a free lock
        let f = ensureFuture(use("a", 1));
        f.addDoneCallback((f) => log.push(["a done", f.result()]));
        await ticker(log, 6);
        out.push(log);
        // b: contended
        log = [];
        await lock.acquire();
        f = ensureFuture(use("b", 2));
        f.addDoneCallback((f) => log.push(["b done", f.result()]));
        let t = createTask(() => ticker(log, 8));
        await sleep(0);
        lock.release();
        log.push("released");
        await t;
        out.push(log);
        // c: cancelled inside the body
        log = [];
        f = ensureFuture(use("c", 3, 5));
        f.addDoneCallback((f) => log.push(["c done", f.cancelled(), lock.locked()]));
        t = createTask(() => ticker(log, 8));
        await sleep(0);
        await sleep(0);
        f.cancel();
        log.push(["cancel", lock.locked()]);
        await t;
        out.push(log);
        // d: two of them, and a callback once both are done (gather's)
        log = [];
        const fs = [ensureFuture(use("d1", 1)), ensureFuture(use("d2", 2))];
        let pending = 2;
        for (const x of fs) x.addDoneCallback(() => --pending === 0 && getRunningLoop().callSoon(() => log.push(["d", fs.map((x) => x.result())])));
        await ticker(log, 8);
        out.push(log);
        // e: awaited later by a task; failing; awaited by a task that is cancelled
        log = [];
        f = ensureFuture(use("", 5, 2));
        await sleep(0);
        await sleep(0);
        log.push(["awaited", await f, lock.locked()]);
        f = ensureFuture(use("", "boom", 2));
        await sleep(0);
        try {
          await f;
        } catch (e) {
          log.push(["error", (e as Error).message, lock.locked()]);
        }
        f = ensureFuture(use("", 6, 2));
        await sleep(0);
        const waiter = spawn(kind, function* () {
          return yield f;
        });
        await sleep(0);
        waiter.cancel();
        await settle([waiter]);
        log.push(["cancelled", f.cancelled(), lock.locked()]);
        out.push(log.map((x) => (typeof x === "string" ? x.trim() : x)));
      });
      expect(out).toEqual([
        ["tick0", "a body", "tick1", "a end", "tick2", ["a done", 1], "tick3", "tick4", "tick5"],
        ["tick0", "released", "tick1", "b body", "tick2", "b end", "tick3", ["b done", 2], "tick4", "tick5", "tick6", "tick7"],
        ["c body", "tick0", "tick1", ["cancel", true], "tick2", ["c done", true, false], "tick3", "tick4", "tick5", "tick6", "tick7"],
        ["tick0", "d1 body", "tick1", "d1 end", "tick2", "d2 body", "tick3", "d2 end", "tick4", "tick5", ["d", [1, 2]], "tick6", "tick7"],
        ["body", "end", ["awaited", 5, false], "body", "end", ["error", "boom", false], "body", ["cancelled", true, false]],
      ]);
    });
  }
});

// asyncio's _LoopBoundMixin binds a primitive only where it creates a future (a wait that blocks):
// a bound Lock taken on its fast path by `async with` in a second asyncio.run() works; Queue.join()
// binds only the queue's internal Event, and a Barrier only its Condition (so Barrier(1), reset() and
// abort() work in any loop). Ours bound the Barrier and the Queue on every wait()/reset()/join(), ran
// use()'s body on the first loop's future ("Event loop is closed", leaving the lock held), and handed
// out a done future of the first loop, whose done callbacks never ran.
// python3.12 → [('b1', 0), ('use', 3), ('task use', 4), ('b1', 0), ('b1 broken', True), ('get', 2), 'ev callback',
//               ('lock', 'RuntimeError', True), ('b2', 'RuntimeError', True), ('locked', True)]
describe("CPython _LoopBoundMixin: primitives used from a second event loop", () => {
  for (const kind of KINDS) {
    it(`only a wait that blocks binds; fast paths work in any loop (${kind})`, async () => {
      const lock = new Lock();
      const q = new Queue<number>();
      const ev = new Event();
      const b1 = new Barrier(1);
      const b2 = new Barrier(2);
      const log: unknown[] = [];
      await run(async () => {
        // Each of lock, ev and b2's condition waits once here; join() binds only q's Event.
        await lock.acquire();
        const t = createTask(() => lock.acquire());
        await sleep(0);
        lock.release();
        await t;
        lock.release();
        const w = createTask(() => ev.wait());
        await sleep(0);
        ev.set();
        await w;
        await settle([createTask(() => b2.wait()), createTask(() => b2.wait())]);
        q.putNowait(1);
        const j = createTask(() => q.join());
        await sleep(0);
        q.getNowait();
        q.taskDone();
        await j;
        log.push(["b1", await b1.wait()]);
      });
      await run(async () => {
        const use = (v: number) =>
          lock.use(
            coroutine(kind, function* () {
              yield sleep(0);
              return v;
            }),
          );
        await spawn(kind, function* () {
          log.push(["use", yield use(3)]);
          log.push(["task use", yield createTask(coroutine(kind, function* () { return yield use(4); }))]);
          log.push(["b1", yield b1.wait()]);
          yield b1.reset();
          yield b1.abort();
          log.push(["b1 broken", b1.broken]);
          const g = ensureFuture(q.get());
          yield sleep(0);
          q.putNowait(2);
          log.push(["get", yield g]);
          ensureFuture(ev.wait()).addDoneCallback(() => log.push("ev callback"));
          yield sleep(0);
          yield lock.acquire();
        });
        const blocking: [string, () => Future<unknown>][] = [
          ["lock", () => lock.acquire()],
          ["b2", () => b2.wait()],
        ];
        for (const [name, op] of blocking) {
          const t = createTask(op);
          await sleep(0);
          log.push([name, errName(t.exception()), /is bound to a different event loop/.test((t.exception() as Error).message)]);
        }
        log.push(["locked", lock.locked()]);
      });
      expect(log).toEqual([
        ["b1", 0],
        ["use", 3],
        ["task use", 4],
        ["b1", 0],
        ["b1 broken", true],
        ["get", 2],
        "ev callback",
        ["lock", "RuntimeError", true],
        ["b2", "RuntimeError", true],
        ["locked", true],
      ]);
    });
  }
});

// Documented difference from CPython (README), most visible through ensureFuture()/gather():
// a primitive's blocking method runs its body *eagerly, at the call* (Operation's
// constructor, packages/sync/src/internal/inline.ts, calls #resume() at once, and
// Lock.acquire()/Queue.get()/Event.wait()... take their fast paths at the call),
// whereas CPython's `lock.acquire()` is a coroutine object that does nothing until
// a task runs it. So `ensure_future(ev.wait())` (or gather(ev.wait(), ...)) followed by
// `ev.set(); ev.clear()` keeps waiting in CPython, but our wait() had already
// registered its waiter and returns true; `ensure_future(lock.acquire())` leaves the
// lock unlocked until the next loop iteration in CPython, ours locks it at the call.
// (The README's claim "it then completes one loop iteration later, as
// create_task(lock.acquire()) would" is only true of the completion, not of the side
// effects.) Fix idea: start an Operation's body on its first drive (then()/iterator,
// which `await op` does synchronously) or, if nobody drives it, from a callSoon, as a
// task would; fast paths would then move into the body.
describe("documented difference (README): operations start at the call, not when a task runs them", () => {
  // python3.12 → ensure_future_event ['still waiting', False]; ensure_future_lock [False, True]
  // ours       → w.done() === true after set()+clear(); lock.locked() === true at the call
  // This pins ours, so that a change to it is a decision.
  it("ensureFuture(ev.wait()) then set(); clear(): the wait has started and sees the set()", async () => {
    const log: unknown[] = [];
    await runVirtual(async () => {
      const ev = new Event();
      const w = ensureFuture(ev.wait());
      ev.set();
      ev.clear();
      await sleep(0.1);
      log.push(w.done() ? "woke" : "still waiting");
      const lock = new Lock();
      ensureFuture(lock.acquire());
      log.push(lock.locked());
      await sleep(0);
      log.push(lock.locked());
    });
    expect(log).toEqual(["woke", true, true]);
  });
});
