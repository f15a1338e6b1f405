// Ports of CPython's test_asyncio/test_locks.py ConditionTests, and traces recorded
// with python3.12 (python3.13 where the contract takes 3.13's Condition fix) that
// the other sync tests do not cover. Workers run as both coroutine kinds.
import { getRunningLoop, newEventLoop, RuntimeError } from "@asyncio-ts/loop";
import { CancelledError, createTask, currentTask, run, sleep } from "@asyncio-ts/tasks";
import { describe, expect, it } from "vitest";
import { Condition, Event, Lock } from "../src/index.js";
import { errName, extras, KINDS, runVirtual, settle, spawn, waitFor } from "./helpers.js";

/** `async with cond:` around a body written once for both kinds. */
function* holding<T>(cond: Condition | Lock, body: () => Generator<unknown, T, any>): Generator<unknown, T, any> {
  yield cond.acquire();
  try {
    return yield* body();
  } finally {
    cond.release();
  }
}

describe("CPython ConditionTests", () => {
  for (const kind of KINDS) {
    // test_locks.ConditionTests.test_repr, with real waiters.
    // python3.12 → ['[unlocked]', '[locked]', '[unlocked, waiters:2]', '[locked, waiters:2]', '[locked, waiters:2]', '[unlocked]']
    it(`test_repr: locked/unlocked and the waiter count (${kind})`, async () => {
      const log: string[] = [];
      await runVirtual(async () => {
        const cond = new Condition();
        log.push(extras(cond));
        await cond.acquire();
        log.push(extras(cond));
        const w = () => spawn(kind, () => holding(cond, function* () {
          yield cond.wait();
        }));
        const ts = [w(), w()];
        cond.release();
        await sleep(0);
        log.push(extras(cond));
        await cond.acquire();
        log.push(extras(cond));
        cond.notifyAll();
        log.push(extras(cond));
        cond.release();
        await settle(ts);
        log.push(extras(cond));
      });
      expect(log).toEqual(["[unlocked]", "[locked]", "[unlocked, waiters:2]", "[locked, waiters:2]", "[locked, waiters:2]", "[unlocked]"]);
    });

    // wait_for returns the predicate's (truthy) value itself, with the lock held.
    // python3.12 → [('notified', 0), ('done?', False), ('notified', 5), ('got', [5], True), ('done?', True), [5]]
    it(`wait_for returns the predicate's truthy value, not true (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        const cond = new Condition();
        let v = 0;
        const t = spawn(kind, () => holding(cond, function* () {
          const r = yield cond.waitFor(() => v && [v]);
          log.push(["got", r, cond.locked()]);
          return r;
        }));
        await sleep(0);
        for (const value of [0, 5]) {
          await cond.acquire();
          v = value;
          cond.notify();
          log.push(["notified", value]);
          cond.release();
          await sleep(0);
          log.push(["done?", t.done()]);
        }
        log.push(await t);
      });
      expect(log).toEqual([["notified", 0], ["done?", false], ["notified", 5], ["got", [5], true], ["done?", true], [5]]);
    });

    // A predicate that raises after a wake-up: the error leaves wait_for() with the lock held
    // (the `inner` task sees it held; the other sees it released by its `async with`).
    // python3.12 → [('ValueError', 'boom', 'released before catch', False), ('after', False), ('inner', 'inner', True), 2]
    it(`wait_for: an error from the predicate propagates, lock held (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        const cond = new Condition();
        let calls = 0;
        const pred = () => {
          calls++;
          if (calls === 2) throw new RangeError("boom");
          return false;
        };
        const t = spawn(kind, function* () {
          try {
            yield* holding(cond, function* () {
              yield cond.waitFor(pred);
            });
          } catch (e) {
            log.push([errName(e), (e as Error).message, "released before catch", cond.locked()]);
          }
          log.push(["after", cond.locked()]);
        });
        // Record whether the lock is held when the error leaves waitFor().
        const inner = spawn(kind, function* () {
          yield cond.acquire();
          try {
            yield cond.waitFor(() => {
              if (calls >= 2) throw new RangeError("inner");
              return false;
            });
          } catch (e) {
            log.push(["inner", (e as Error).message, cond.locked()]);
          } finally {
            cond.release();
          }
        });
        await sleep(0);
        await cond.acquire();
        cond.notifyAll();
        cond.release();
        await settle([t, inner]);
        log.push(calls);
      });
      expect(log).toEqual([
        ["RangeError", "boom", "released before catch", false],
        ["after", false],
        ["inner", "inner", true],
        2,
      ]);
    });

    // notify(0) wakes nobody; notify(n) skips waiters already notified; notify(n > waiters) wakes all.
    // python3.12 → [('after notify(0)', 5), ('waiters still listed', 5), 0, 1, 2, 3, ('remaining', 1), 4]
    it(`notify(n) counts: 0 is a no-op, notified waiters are skipped (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        const cond = new Condition();
        const w = (n: number) =>
          spawn(kind, () => holding(cond, function* () {
            yield cond.wait();
            log.push(n);
          }));
        const ts = [0, 1, 2, 3, 4].map(w);
        await sleep(0);
        await cond.acquire();
        cond.notify(0);
        cond.release();
        await sleep(0);
        log.push(["after notify(0)", cond.statistics().waiters]);
        await cond.acquire();
        cond.notify(2);
        log.push(["waiters still listed", cond.statistics().waiters]);
        cond.notify(2);
        cond.release();
        await sleep(0);
        await sleep(0);
        log.push(["remaining", cond.statistics().waiters]);
        await cond.acquire();
        cond.notify(10);
        cond.release();
        await settle(ts);
      });
      expect(log).toEqual([["after notify(0)", 5], ["waiters still listed", 5], 0, 1, 2, 3, ["remaining", 1], 4]);
    });

    // Two conditions sharing one lock: each notify() wakes only its own waiters.
    // python3.12 → [('c1 locked', True, 'c2 locked', True), ('c2', True), ('t1', False, 't2', True), ('c1', True),
    //               ('RuntimeError', 'cannot notify on un-acquired lock')]
    it(`two conditions on one lock (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        const lock = new Lock();
        const c1 = new Condition(lock);
        const c2 = new Condition(lock);
        const w = (c: Condition, name: string) =>
          spawn(kind, () => holding(c, function* () {
            yield c.wait();
            log.push([name, lock.locked()]);
          }));
        const t1 = w(c1, "c1");
        const t2 = w(c2, "c2");
        await sleep(0);
        await lock.acquire();
        log.push(["c1 locked", c1.locked(), "c2 locked", c2.locked()]);
        c2.notify();
        lock.release();
        await sleep(0);
        log.push(["t1", t1.done(), "t2", t2.done()]);
        await c1.acquire();
        c1.notify();
        c1.release();
        await t1;
        try {
          c1.notify();
        } catch (e) {
          log.push([errName(e), (e as Error).message]);
        }
      });
      expect(log).toEqual([
        ["c1 locked", true, "c2 locked", true],
        ["c2", true],
        ["t1", false, "t2", true],
        ["c1", true],
        ["RuntimeError", "cannot notify on un-acquired lock"],
      ]);
    });

    // notify_all: every waiter wakes, but they re-acquire the lock one at a time, in FIFO order.
    // python3.12 → ['0 waiting', '1 waiting', '2 waiting', 'notified all', '0 woke', '0 releasing',
    //               '1 woke', '1 releasing', '2 woke', '2 releasing']
    it(`notify_all: woken waiters re-acquire one by one in FIFO order (${kind})`, async () => {
      const log: string[] = [];
      await runVirtual(async () => {
        const cond = new Condition();
        const w = (n: number) =>
          spawn(kind, () => holding(cond, function* () {
            log.push(`${n} waiting`);
            yield cond.wait();
            log.push(`${n} woke`);
            yield sleep(0);
            log.push(`${n} releasing`);
          }));
        const ts = [0, 1, 2].map(w);
        await sleep(0);
        await cond.acquire();
        cond.notifyAll();
        log.push("notified all");
        cond.release();
        await settle(ts);
      });
      expect(log).toEqual(["0 waiting", "1 waiting", "2 waiting", "notified all", "0 woke", "0 releasing", "1 woke", "1 releasing", "2 woke", "2 releasing"]);
    });

    // A waiter cancelled before any notify: under 3.13's fix (the contract's choice) it passes a
    // (spurious) wake-up to the next waiter, so notify(1) then wakes the third one.
    // python3.13 → ['0 cancelled, locked=True', '1 woke', '2 woke', [True, True, True]]
    // (python3.12 → ['0 cancelled, locked=True', '1 woke', [True, True, False], '2 woke'])
    it(`a cancelled waiter hands a wake-up to the next one (3.13 fix) (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        const cond = new Condition();
        const w = (n: number) =>
          spawn(kind, () => holding(cond, function* () {
            try {
              yield cond.wait();
              log.push(`${n} woke`);
            } catch (e) {
              if (e instanceof CancelledError) log.push(`${n} cancelled, locked=${cond.locked()}`);
              throw e;
            }
          }));
        const ts = [0, 1, 2].map(w);
        await sleep(0);
        ts[0].cancel();
        await sleep(0);
        await cond.acquire();
        cond.notify(1);
        cond.release();
        await sleep(0);
        log.push(ts.map((t) => t.done()));
        await cond.acquire();
        cond.notify(1);
        cond.release();
        await settle(ts);
      });
      expect(log).toEqual(["0 cancelled, locked=true", "1 woke", "2 woke", [true, true, true]]);
    });

    // test_locks.ConditionTests.test_timeout_in_block: wait_for(cond.wait(), 0.5) times out, the lock is held again.
    // python3.12 → [('timeout', True, 0), False]
    it(`test_timeout_in_block: a timed-out wait() re-acquires the lock (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        const cond = new Condition();
        const t = spawn(kind, () =>
          holding(cond, function* () {
            yield* waitFor(
              () => cond.wait(),
              0.5,
              () => log.push(["timeout", cond.locked(), cond.statistics().waiters]),
            );
          }),
        );
        await t;
        log.push(cond.locked());
        log.push(getRunningLoop().time());
      });
      expect(log).toEqual([["timeout", true, 0], false, 0.5]);
    });
  }

  // test_locks.ConditionTests.test_explicit_lock: `async with cond` and `async with lock` are interchangeable.
  it("test_explicit_lock: cond.use() and lock.use() hold the same lock", async () => {
    await runVirtual(async () => {
      const f = async (lock?: Lock, cond?: Condition) => {
        lock ??= new Lock();
        cond ??= new Condition(lock);
        expect(lock.locked()).toBe(false);
        expect(cond.locked()).toBe(false);
        await cond.use(async () => {
          expect(lock!.locked()).toBe(true);
          expect(cond!.locked()).toBe(true);
        });
        expect([lock.locked(), cond.locked()]).toEqual([false, false]);
        await lock.use(async () => {
          expect(lock!.locked()).toBe(true);
          expect(cond!.locked()).toBe(true);
        });
        expect([lock.locked(), cond.locked()]).toEqual([false, false]);
      };
      await f();
      await f(new Lock());
      const lock = new Lock();
      await f(lock, new Condition(lock));
    });
  });

  // test_locks.ConditionTests.test_ambiguous_loops: a lock bound to one loop (by a wait on it)
  // can still be taken on its fast path from another loop, but waiting there is a RuntimeError.
  // python3.12 → ['fast path ok', ('RuntimeError', True), ('ev RuntimeError', True), True, 1]
  it("test_ambiguous_loops: waiting on a primitive bound to another loop is a RuntimeError", async () => {
    const lock = new Lock();
    const ev = new Event();
    await run(async () => {
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
      ev.clear();
    });
    const log: unknown[] = [];
    await run(
      async () => {
        await lock.acquire();
        log.push("fast path ok");
        const cond = new Condition(lock);
        try {
          await cond.acquire();
        } catch (e) {
          log.push([errName(e), e instanceof RuntimeError && /is bound to a different event loop/.test((e as Error).message)]);
        }
        lock.release();
        try {
          await ev.wait();
        } catch (e) {
          log.push(["ev " + errName(e), e instanceof RuntimeError && /is bound to a different event loop/.test((e as Error).message)]);
        }
        ev.set();
        log.push(await ev.wait());
      },
      { loopFactory: () => newEventLoop() },
    );
    expect(log).toEqual(["fast path ok", ["RuntimeError", true], ["ev RuntimeError", true], true]);
  });
});

describe("CPython Condition: more", () => {
  for (const kind of KINDS) {
    // A notified waiter cancelled twice while re-acquiring the lock: it keeps trying, ends holding
    // the lock, raises CancelledError once, and the task counts both requests.
    // python3.12 → [('t done', False, 1), ('cancelled; locked', True, 2), 't cancelled', False]
    it(`wait() cancelled twice while re-acquiring still re-acquires (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        const cond = new Condition();
        const t = spawn(kind, () => holding(cond, function* () {
          try {
            yield cond.wait();
          } catch (e) {
            log.push(["cancelled; locked", cond.locked(), currentTask()!.cancelling()]);
            throw e;
          }
        }));
        await sleep(0);
        await cond.acquire();
        cond.notify();
        await sleep(0);
        t.cancel();
        await sleep(0);
        t.cancel();
        await sleep(0);
        log.push(["t done", t.done(), cond.statistics().lock.waiters]);
        cond.release();
        try {
          await t;
        } catch (e) {
          if (e instanceof CancelledError) log.push("t cancelled");
        }
        log.push(cond.locked());
      });
      expect(log).toEqual([["t done", false, 1], ["cancelled; locked", true, 2], "t cancelled", false]);
    });
  }

  // notify() only checks that the lock is locked, not who holds it.
  // python3.12 → ['notified from non-holder']
  it("notify() from a task that does not hold the (locked) lock is allowed", async () => {
    const log: string[] = [];
    await runVirtual(async () => {
      const cond = new Condition();
      await cond.acquire();
      await createTask(async () => {
        cond.notify();
        cond.notifyAll();
        log.push("notified from non-holder");
      });
    });
    expect(log).toEqual(["notified from non-holder"]);
  });
});

describe("CPython Condition.notify(n): argument values", () => {
  // notify(n) wakes waiters while `idx < n`: -1 and 0 wake none, 1.5 two, NaN every one; a str or None is a
  // TypeError (Python raises it only once a waiter is compared; misuse throws at the call here). Ours woke
  // every waiter for "1" (0 >= "1" is false in JS) and none for null.
  // python3.12 → [("'1'", 'TypeError'), ("'1'", 0), ('None', 'TypeError'), ('None', 0), ('-1', 0), ('0', 0), ('1.5', 2), ('nan', 3)]
  for (const kind of KINDS) {
    it(`negative, zero, fractional and NaN counts; a non-number is a TypeError (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        const cond = new Condition();
        const ts = [0, 1, 2].map(() =>
          spawn(kind, () =>
            holding(cond, function* () {
              yield cond.wait();
            }),
          ),
        );
        await sleep(0);
        for (const n of ["1", null, -1, 0, 1.5, NaN]) {
          await cond.acquire();
          try {
            cond.notify(n as number);
          } catch (e) {
            log.push([String(n), errName(e)]);
          }
          cond.release();
          for (let i = 0; i < 3; i++) await sleep(0);
          log.push([String(n), ts.filter((t) => t.done()).length]);
        }
      });
      expect(log).toEqual([["1", "TypeError"], ["1", 0], ["null", "TypeError"], ["null", 0], ["-1", 0], ["0", 0], ["1.5", 2], ["NaN", 3]]);
    });
  }
});

describe("CPython ConditionTests, as both coroutine kinds", () => {
  // condition.test.ts ports these with async workers only; here each worker runs as both kinds,
  // with the state after every step.
  // python3.12 →
  //   test_wait [([], False), ([], True), ([1], True), ([1], True), ([1, 2], True), ([1, 2, 3], True, [True, True, True])]
  //   test_wait_cancel_contested [False, 'cancelled', True]
  //   test_wait_cancel_after_notify [(True, True, False)]
  //   test_wait_for [[], [], ([1], True)]
  //   test_notify [[1], [1, 2, 3], [True, True, True], [1, 2, 3, 4, 5]]
  for (const kind of KINDS) {
    it(`test_wait, test_wait_cancel_contested, test_wait_cancel_after_notify, test_wait_for, test_notify (${kind})`, async () => {
      const out: Record<string, unknown> = {};
      await runVirtual(async () => {
        {
          const cond = new Condition();
          const result: number[] = [];
          const log: unknown[] = [];
          const state = (...more: unknown[]) => log.push([[...result], cond.locked(), ...more]);
          const ts = [1, 2, 3].map((n) =>
            spawn(kind, function* () {
              yield cond.acquire();
              if (yield cond.wait()) result.push(n);
              return true;
            }),
          );
          await sleep(0);
          state();
          await cond.acquire();
          cond.notify();
          await sleep(0);
          state();
          cond.release();
          await sleep(0);
          state();
          cond.notify(2);
          await sleep(0);
          state();
          cond.release();
          await sleep(0);
          state();
          cond.release();
          await sleep(0);
          state(ts.map((t) => t.result()));
          out.test_wait = log;
        }
        {
          const cond = new Condition();
          const log: unknown[] = [];
          await cond.acquire();
          const wt = spawn(kind, function* () {
            return yield cond.wait();
          });
          await sleep(0);
          log.push(cond.locked());
          await cond.acquire();
          cond.notify();
          const loop = getRunningLoop();
          loop.callSoon(() => wt.cancel());
          loop.callSoon(() => cond.release());
          try {
            log.push(["result", await wt]);
          } catch (e) {
            if (!(e instanceof CancelledError)) throw e;
            log.push("cancelled");
          }
          log.push(cond.locked());
          out.test_wait_cancel_contested = log;
        }
        {
          const cond = new Condition();
          let waited = false;
          const wt = spawn(kind, () =>
            holding(cond, function* () {
              waited = true;
              yield cond.wait();
            }),
          );
          await sleep(0);
          await cond.acquire();
          cond.notify();
          await sleep(0);
          wt.cancel();
          await sleep(0);
          cond.release();
          await sleep(0);
          out.test_wait_cancel_after_notify = [[wt.cancelled(), waited, cond.locked()]];
        }
        {
          const cond = new Condition();
          let presult = false;
          const result: number[] = [];
          const log: unknown[] = [];
          const t = spawn(kind, function* () {
            yield cond.acquire();
            if (yield cond.waitFor(() => presult)) {
              result.push(1);
              cond.release();
            }
            return true;
          });
          await sleep(0);
          log.push([...result]);
          await cond.acquire();
          cond.notify();
          cond.release();
          await sleep(0);
          log.push([...result]);
          presult = true;
          await cond.acquire();
          cond.notify();
          cond.release();
          await sleep(0);
          log.push([[...result], t.done() && t.result()]);
          out.test_wait_for = log;
        }
        {
          const cond = new Condition();
          const result: number[] = [];
          const log: unknown[] = [];
          const c = (n: number) =>
            spawn(kind, function* () {
              yield cond.acquire();
              if (yield cond.wait()) {
                result.push(n);
                cond.release();
              }
              return true;
            });
          const ts = [1, 2, 3].map(c);
          await sleep(0);
          await cond.acquire();
          cond.notify(1);
          cond.release();
          await sleep(0);
          log.push([...result]);
          await cond.acquire();
          cond.notify(1);
          cond.notify(2048);
          cond.release();
          await sleep(0);
          log.push([...result]);
          log.push(ts.map((t) => t.result()));
          [4, 5].map(c);
          await sleep(0);
          await cond.acquire();
          cond.notifyAll();
          cond.release();
          await sleep(0);
          log.push([...result]);
          out.test_notify = log;
        }
      });
      expect(out).toEqual({
        test_wait: [
          [[], false],
          [[], true],
          [[1], true],
          [[1], true],
          [[1, 2], true],
          [[1, 2, 3], true, [true, true, true]],
        ],
        test_wait_cancel_contested: [false, "cancelled", true],
        test_wait_cancel_after_notify: [[true, true, false]],
        test_wait_for: [[], [], [[1], true]],
        test_notify: [[1], [1, 2, 3], [true, true, true], [1, 2, 3, 4, 5]],
      });
    });
  }
});
