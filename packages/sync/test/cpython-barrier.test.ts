// Ports of CPython 3.12's test_asyncio/test_locks.py BarrierTests (asyncio.Barrier,
// new in 3.11), with traces recorded with python3.12 (identical under 3.13).
// `async with barrier as i` is `i = await barrier.wait()` (its __aexit__ does
// nothing). Workers run as both coroutine kinds.
import { CancelledError, createTask, sleep, type Task } from "@asyncio-ts/tasks";
import { describe, expect, it } from "vitest";
import { Barrier, BrokenBarrierError } from "../src/index.js";
import { type Body, errName, extras, type Kind, KINDS, runVirtual, settle, spawn } from "./helpers.js";

const N = 5;

/** Runs `n` copies of `body` as tasks and waits for all (gather, raising the first error). */
async function gatherTasks<T>(kind: Kind, n: number, body: Body<T>): Promise<T[]> {
  const tasks = Array.from({ length: n }, () => spawn(kind, body));
  const out: T[] = [];
  for (const t of tasks) out.push(await t);
  return out;
}

const isBroken = (e: unknown): boolean => e instanceof BrokenBarrierError;

/** `try: await aw / except BrokenBarrierError:` — true when `aw` raised BrokenBarrierError (other errors propagate). */
function* raisesBroken(aw: unknown): Generator<unknown, boolean, any> {
  try {
    yield aw;
    return false;
  } catch (e) {
    if (!isBroken(e)) throw e;
    return true;
  }
}

/**
 * The first round of test_abort_barrier_when_exception(_then_resetting): the task given the middle
 * index raises RuntimeError and aborts the barrier; r1 counts the tasks through a second wait(),
 * r2 those it broke.
 */
function* abortOnError(barrier: Barrier, count: { r1: number; r2: number }): Generator<unknown, void, any> {
  try {
    const i = yield barrier.wait();
    if (i === Math.floor(N / 2)) throw new Error("RuntimeError");
    yield barrier.wait();
    count.r1++;
  } catch (e) {
    if (isBroken(e)) count.r2++;
    else yield barrier.abort();
  }
}

/** create_task(barrier.wait()): its result is the index. */
const waitTask = (kind: Kind, barrier: Barrier): Task<unknown> =>
  spawn(kind, function* () {
    return yield barrier.wait();
  });

describe("CPython BarrierTests", () => {
  for (const kind of KINDS) {
    // test_locks.BarrierTests.test_repr, through filling, draining, resetting and broken.
    // python3.12 → ['[filling, waiters:0/5]', '[filling, waiters:2/5]', '[draining, waiters:0/5]', '[resetting, waiters:0/5]',
    //               '[broken]', True, [None x5, BrokenBarrierError x4], '[broken]']
    it(`test_repr: the states and the waiter count (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        const barrier = new Barrier(N);
        log.push(extras(barrier));
        const waiters: Task<unknown>[] = [];
        const wait = () =>
          spawn(kind, function* () {
            yield barrier.wait();
            return null;
          });
        for (let i = 0; i < 2; i++) waiters.push(wait());
        await sleep(0);
        log.push(extras(barrier));
        for (let i = barrier.parties - barrier.nWaiting; i > 0; i--) waiters.push(wait());
        await sleep(0);
        log.push(extras(barrier));
        for (let i = 0; i < 2; i++) waiters.push(wait());
        await sleep(0);
        await barrier.reset();
        log.push(extras(barrier));
        for (let i = 0; i < 2; i++) waiters.push(wait());
        await sleep(0);
        await barrier.abort();
        log.push(extras(barrier), barrier.broken);
        const r = await settle(waiters);
        log.push(r.map((x) => (x === null ? "NoneType" : errName(x))));
        log.push(extras(barrier));
      });
      expect(log).toEqual([
        "[filling, waiters:0/5]",
        "[filling, waiters:2/5]",
        "[draining, waiters:0/5]",
        "[resetting, waiters:0/5]",
        "[broken]",
        true,
        [...Array(5).fill("NoneType"), ...Array(4).fill("BrokenBarrierError")],
        "[broken]",
      ]);
    });

    // Indices are given in arrival order; the last arrival runs first; the last one to leave refills.
    // python3.12 → ['a enter n_waiting=0', 'b enter n_waiting=1', 'c enter n_waiting=2', 'c index=2 state=[draining, waiters:0/3]',
    //               'a index=0 state=[draining, waiters:0/3]', 'b index=1 state=[filling, waiters:0/3]', [0, 1, 2], '[filling, waiters:0/3]']
    it(`indices in arrival order, and who resumes first (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        const barrier = new Barrier(3);
        const w = (name: string) =>
          spawn(kind, function* () {
            log.push(`${name} enter n_waiting=${barrier.nWaiting}`);
            const i = (yield barrier.wait()) as number;
            log.push(`${name} index=${i} state=${extras(barrier)}`);
            return i;
          });
        const ts = ["a", "b", "c"].map(w);
        log.push(await settle(ts));
        log.push(extras(barrier));
      });
      expect(log).toEqual([
        "a enter n_waiting=0",
        "b enter n_waiting=1",
        "c enter n_waiting=2",
        "c index=2 state=[draining, waiters:0/3]",
        "a index=0 state=[draining, waiters:0/3]",
        "b index=1 state=[filling, waiters:0/3]",
        [0, 1, 2],
        "[filling, waiters:0/3]",
      ]);
    });

    // test_locks.BarrierTests.test_filling_one_task_twice → [0, (0, 0, True, True, 0, False)]
    it(`test_filling_one_task_twice (${kind})`, async () => {
      await runVirtual(async () => {
        const barrier = new Barrier(1);
        const wait = () => waitTask(kind, barrier);
        const t1 = wait();
        await sleep(0);
        expect(barrier.nWaiting).toBe(0);
        const t2 = wait();
        await sleep(0);
        expect([t1.result(), t2.result(), t1.done(), t2.done(), barrier.nWaiting, barrier.broken]).toEqual([0, 0, true, true, 0, false]);
      });
    });

    // test_locks.BarrierTests.test_filling_task_by_task
    // python3.12 → [(1, '[filling, waiters:1/3]'), (2, '[filling, waiters:2/3]'), (0, '[draining, waiters:0/3]', [False, False, True]), (0, False, [0, 1, 2])]
    it(`test_filling_task_by_task (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        const barrier = new Barrier(3);
        const wait = () => waitTask(kind, barrier);
        const t1 = wait();
        await sleep(0);
        log.push([barrier.nWaiting, extras(barrier)]);
        const t2 = wait();
        await sleep(0);
        log.push([barrier.nWaiting, extras(barrier)]);
        const t3 = wait();
        await sleep(0);
        log.push([barrier.nWaiting, extras(barrier), [t1, t2, t3].map((t) => t.done())]);
        const r = await settle([t1, t2, t3]);
        log.push([barrier.nWaiting, barrier.broken, r]);
      });
      expect(log).toEqual([
        [1, "[filling, waiters:1/3]"],
        [2, "[filling, waiters:2/3]"],
        [0, "[draining, waiters:0/3]", [false, false, true]],
        [0, false, [0, 1, 2]],
      ]);
    });

    // test_locks.BarrierTests.test_draining_state → [True, True, True, True, False] 0 False
    it(`test_draining_state: the last task out sees it filling again (${kind})`, async () => {
      const results: boolean[] = [];
      await runVirtual(async () => {
        const barrier = new Barrier(N);
        await gatherTasks(kind, N, function* () {
          yield barrier.wait();
          results.push(String(barrier).includes("draining"));
        });
        expect([barrier.nWaiting, barrier.broken]).toEqual([0, false]);
      });
      expect(results).toEqual([true, true, true, true, false]);
    });

    // test_locks.BarrierTests.test_filling_tasks_check_return_value: the second round's indices, per task.
    // python3.12 → 5 5 [0, 1, 2, 3, 4] [2, 3, 4, 0, 1] 0
    it(`test_filling_tasks_check_return_value: two rounds (${kind})`, async () => {
      await runVirtual(async () => {
        const barrier = new Barrier(N);
        let r1 = 0;
        let r2 = 0;
        const res = await gatherTasks(kind, N, function* () {
          yield barrier.wait();
          r1++;
          const i = (yield barrier.wait()) as number;
          r2++;
          return i;
        });
        expect([r1, r2]).toEqual([5, 5]);
        expect(res).toEqual([2, 3, 4, 0, 1]);
        expect(barrier.nWaiting).toBe(0);
      });
    });

    // test_locks.BarrierTests.test_blocking_tasks_while_draining, with each task's last index.
    // python3.12 → [('after', 4), ('after', 0), ('rewait', 1), ('rewait', 2), ('after', 3)]
    it(`test_blocking_tasks_while_draining (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        const rewait = 2;
        const barrier = new Barrier(N);
        const barrierNowaiting = new Barrier(N - rewait);
        let rewaitN = rewait;
        await gatherTasks(kind, N, function* () {
          yield barrier.wait();
          if (rewaitN > 0) {
            rewaitN--;
            const i = yield barrier.wait();
            log.push(["rewait", i]);
          } else {
            yield barrierNowaiting.wait();
            const i = yield barrier.wait();
            log.push(["after", i]);
          }
        });
      });
      expect(log).toEqual([
        ["after", 4],
        ["after", 0],
        ["rewait", 1],
        ["rewait", 2],
        ["after", 3],
      ]);
    });

    // test_locks.BarrierTests.test_reset_barrier_when_tasks_half_draining
    // python3.12 → [True, True] ['reset'] 0 [filling, waiters:0/5] False
    it(`test_reset_barrier_when_tasks_half_draining (${kind})`, async () => {
      const results1: boolean[] = [];
      const log: string[] = [];
      await runVirtual(async () => {
        const barrier = new Barrier(N);
        const rest = Math.floor(N / 2);
        let out = 0; // tasks that left wait() normally (N - barrier._count in CPython)
        await gatherTasks(kind, N, function* () {
          if (yield* raisesBroken(barrier.wait())) {
            results1.push(true);
            return;
          }
          out++;
          if (N - out === rest) {
            log.push("reset");
            yield barrier.reset();
          }
        });
        expect([barrier.nWaiting, extras(barrier), barrier.broken]).toEqual([0, "[filling, waiters:0/5]", false]);
      });
      expect(results1).toEqual([true, true]);
      expect(log).toEqual(["reset"]);
    });

    // test_locks.BarrierTests.test_reset_barrier_when_tasks_half_draining_half_blocking → [True, True] [] 0 filling False
    it(`test_reset_barrier_when_tasks_half_draining_half_blocking (${kind})`, async () => {
      const r1: boolean[] = [];
      const r2: boolean[] = [];
      await runVirtual(async () => {
        const barrier = new Barrier(N);
        const blocking = Math.floor(N / 2);
        let count = 0;
        await gatherTasks(kind, N, function* () {
          if (yield* raisesBroken(barrier.wait())) {
            r1.push(true);
            yield barrier.wait();
            return;
          }
          count++;
          if (count > blocking) {
            yield barrier.reset();
            yield barrier.wait();
          } else if (yield* raisesBroken(barrier.wait())) {
            r2.push(true);
          }
        });
        expect([barrier.nWaiting, extras(barrier), barrier.broken]).toEqual([0, "[filling, waiters:0/5]", false]);
      });
      expect(r1).toEqual([true, true]);
      expect(r2).toEqual([]);
    });

    // test_locks.BarrierTests.test_reset_barrier_while_tasks_waiting_and_waiting_again → False 4 5 0
    it(`test_reset_barrier_while_tasks_waiting_and_waiting_again (${kind})`, async () => {
      await runVirtual(async () => {
        const barrier = new Barrier(N);
        let r1 = 0;
        let r2 = 0;
        const tasks = Array.from({ length: N - 1 }, () =>
          spawn(kind, function* () {
            try {
              yield barrier.wait();
            } catch (e) {
              if (!isBroken(e)) throw e;
              r1++;
            } finally {
              yield barrier.wait();
              r2++;
            }
          }),
        );
        createTask(() => barrier.reset());
        await sleep(0);
        spawn(kind, function* () {
          yield barrier.wait();
          r2++;
        });
        await settle(tasks);
        expect([barrier.broken, r1, r2, barrier.nWaiting]).toEqual([false, 4, 5, 0]);
      });
    });

    // test_locks.BarrierTests.test_reset_barrier_while_tasks_draining → False 4 0 5 0
    it(`test_reset_barrier_while_tasks_draining (${kind})`, async () => {
      await runVirtual(async () => {
        const barrier = new Barrier(N);
        let r1 = 0;
        let r2 = 0;
        let r3 = 0;
        let count = 0;
        await gatherTasks(kind, N, function* () {
          yield barrier.wait();
          count++;
          if (count === N) {
            yield barrier.reset();
            yield barrier.wait();
          } else {
            try {
              yield barrier.wait();
              r1++;
            } catch {
              r2++;
            }
          }
          yield barrier.wait();
          r3++;
        });
        expect([barrier.broken, r1, r2, r3, barrier.nWaiting]).toEqual([false, 4, 0, 5, 0]);
      });
    });

    // test_locks.BarrierTests.test_abort_barrier_when_tasks_half_draining_half_blocking → True [True, True] [True, True] 0 [broken]
    it(`test_abort_barrier_when_tasks_half_draining_half_blocking (${kind})`, async () => {
      const r1: boolean[] = [];
      const r2: boolean[] = [];
      await runVirtual(async () => {
        const barrier = new Barrier(N);
        const blocking = Math.floor(N / 2);
        let count = 0;
        await gatherTasks(kind, N, function* () {
          if (yield* raisesBroken(barrier.wait())) {
            r1.push(true);
            return;
          }
          count++;
          if (count > blocking) {
            yield barrier.abort();
          } else if (yield* raisesBroken(barrier.wait())) {
            r2.push(true);
          }
        });
        expect([barrier.broken, barrier.nWaiting, extras(barrier)]).toEqual([true, 0, "[broken]"]);
      });
      expect(r1).toEqual([true, true]);
      expect(r2).toEqual([true, true]);
    });

    // test_locks.BarrierTests.test_abort_barrier_when_exception → True 0 4 0
    it(`test_abort_barrier_when_exception (${kind})`, async () => {
      await runVirtual(async () => {
        const barrier = new Barrier(N);
        const count = { r1: 0, r2: 0 };
        await gatherTasks(kind, N, function* () {
          yield* abortOnError(barrier, count);
        });
        expect([barrier.broken, count.r1, count.r2, barrier.nWaiting]).toEqual([true, 0, 4, 0]);
      });
    });

    // test_locks.BarrierTests.test_abort_barrier_when_exception_then_resetting → False 0 4 5 0
    it(`test_abort_barrier_when_exception_then_resetting (${kind})`, async () => {
      await runVirtual(async () => {
        const b1 = new Barrier(N);
        const b2 = new Barrier(N);
        const count = { r1: 0, r2: 0 };
        let r3 = 0;
        await gatherTasks(kind, N, function* () {
          yield* abortOnError(b1, count);
          const i = yield b2.wait();
          if (i === Math.floor(N / 2)) yield b1.reset();
          yield b2.wait();
          yield b1.wait();
          r3++;
        });
        expect([b1.broken, count.r1, count.r2, r3, b1.nWaiting]).toEqual([false, 0, 4, 5, 0]);
      });
    });

    // A task released by the barrier but cancelled before it resumed raises CancelledError;
    // the others still get their index and the barrier refills.
    // python3.12 → [(2, 2), '[draining, waiters:0/3]', (0, 'cancelled', '[draining, waiters:0/3]'), (1, 1), '[filling, waiters:0/3]']
    it(`a task cancelled while the barrier drains (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        const barrier = new Barrier(3);
        const w = (n: number) =>
          spawn(kind, function* () {
            try {
              const i = yield barrier.wait();
              log.push([n, i]);
            } catch (e) {
              if (e instanceof CancelledError) log.push([n, "cancelled", extras(barrier)]);
              throw e;
            }
          });
        const ts = [w(0), w(1)];
        await sleep(0);
        const t3 = w(2);
        await sleep(0);
        log.push(extras(barrier));
        ts[0].cancel();
        await settle([...ts, t3]);
        log.push(extras(barrier));
      });
      expect(log).toEqual([[2, 2], "[draining, waiters:0/3]", [0, "cancelled", "[draining, waiters:0/3]"], [1, 1], "[filling, waiters:0/3]"]);
    });
  }

  // test_locks.BarrierTests.test_barrier_parties / test_reset_barrier / test_abort_barrier, and wait() on a broken barrier.
  // python3.12 → ['parties must be > 0', 'parties must be > 0', ('Broken', 'Barrier aborted'), (False, '[filling, waiters:0/2]'), (0, False), (0, True)]
  it("parties validation, reset() and abort() of an idle barrier", async () => {
    const log: unknown[] = [];
    for (const p of [0, -4]) {
      try {
        new Barrier(p);
      } catch (e) {
        log.push([errName(e), (e as Error).message]);
      }
    }
    await runVirtual(async () => {
      const b = new Barrier(2);
      expect(b.parties).toBe(2);
      await b.abort();
      try {
        await b.wait();
      } catch (e) {
        log.push([errName(e), (e as Error).message]);
      }
      await b.reset();
      log.push([b.broken, extras(b)]);
      const b1 = new Barrier(1);
      createTask(() => b1.reset());
      await sleep(0);
      log.push([b1.nWaiting, b1.broken]);
      createTask(() => b1.abort());
      await sleep(0);
      log.push([b1.nWaiting, b1.broken]);
    });
    expect(log).toEqual([
      ["RangeError", "parties must be > 0"],
      ["RangeError", "parties must be > 0"],
      ["BrokenBarrierError", "Barrier aborted"],
      [false, "[filling, waiters:0/2]"],
      [0, false],
      [0, true],
    ]);
  });
});

describe("CPython Barrier: a task blocked while the barrier drains", () => {
  for (const kind of KINDS) {
    for (const action of ["cancel", "abort"] as const) {
      // Barrier(2): t1, t2 trip it; t3 arrives while it drains and blocks. Then t3 is cancelled, or the
      // barrier is aborted — which also fails t1, released but not yet resumed.
      // python3.12 (cancel) → [(2, 1, '[draining, waiters:0/2]'), ('after 1 turn', '[draining, waiters:0/2]', 0),
      //   (1, 0, '[filling, waiters:0/2]'), (3, 'CancelledError', '', '[filling, waiters:0/2]'), ['NoneType', 'NoneType', 'CancelledError'],
      //   '[filling, waiters:0/2]', (5, 1, '[draining, waiters:0/2]'), (4, 0, '[filling, waiters:0/2]'), '[filling, waiters:0/2]']
      // python3.12 (abort) → [(2, 1, '[draining, waiters:0/2]'), ('after 1 turn', '[draining, waiters:0/2]', 0),
      //   (1, 'BrokenBarrierError', 'Abort or reset of barrier', '[broken]'), (3, 'BrokenBarrierError', 'Barrier aborted', '[broken]'),
      //   ['BrokenBarrierError', 'NoneType', 'BrokenBarrierError'], '[broken]']
      it(`${action} while a newcomer is blocked by the draining barrier (${kind})`, async () => {
        const log: unknown[] = [];
        await runVirtual(async () => {
          const barrier = new Barrier(2);
          const w = (n: number) =>
            spawn(kind, function* () {
              try {
                const i = yield barrier.wait();
                log.push([n, i, extras(barrier)]);
                return null;
              } catch (e) {
                log.push([n, errName(e), (e as Error).message, extras(barrier)]);
                throw e;
              }
            });
          const [t1, t2, t3] = [w(1), w(2), w(3)];
          await sleep(0);
          log.push(["after 1 turn", extras(barrier), barrier.nWaiting]);
          if (action === "cancel") t3.cancel();
          else await barrier.abort();
          const r = await settle([t1, t2, t3]);
          log.push(r.map((x) => (x === null ? "NoneType" : errName(x))));
          log.push(extras(barrier));
          if (action === "cancel") {
            await settle([w(4), w(5)]);
            log.push(extras(barrier));
          }
        });
        expect(log).toEqual(
          action === "cancel"
            ? [
                [2, 1, "[draining, waiters:0/2]"],
                ["after 1 turn", "[draining, waiters:0/2]", 0],
                [1, 0, "[filling, waiters:0/2]"],
                [3, "CancelledError", "", "[filling, waiters:0/2]"],
                ["NoneType", "NoneType", "CancelledError"],
                "[filling, waiters:0/2]",
                [5, 1, "[draining, waiters:0/2]"],
                [4, 0, "[filling, waiters:0/2]"],
                "[filling, waiters:0/2]",
              ]
            : [
                [2, 1, "[draining, waiters:0/2]"],
                ["after 1 turn", "[draining, waiters:0/2]", 0],
                [1, "BrokenBarrierError", "Abort or reset of barrier", "[broken]"],
                [3, "BrokenBarrierError", "Barrier aborted", "[broken]"],
                ["BrokenBarrierError", "NoneType", "BrokenBarrierError"],
                "[broken]",
              ],
        );
      });
    }
  }
});

describe("CPython BarrierTests: more", () => {
  for (const kind of KINDS) {
    // test_locks.BarrierTests.test_filling_tasks_wait_twice (`async with barrier as i` twice) with the order
    // of events, and test_filling_one_task.
    // python3.12 → (4, 'first', 4) (0, 'first', 0) (1, 'first', 1) (2, 'first', 2) (3, 'first', 3) (2, 'second', 4)
    //              (3, 'second', 0) (4, 'second', 1) (0, 'second', 2) (1, 'second', 3) (0, False) (0, 0, 0, False)
    it(`test_filling_tasks_wait_twice and test_filling_one_task (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        const barrier = new Barrier(N);
        let started = 0;
        await gatherTasks(kind, N, function* () {
          const n = started++;
          const i = yield barrier.wait();
          log.push([n, "first", i]);
          const j = yield barrier.wait();
          log.push([n, "second", j]);
        });
        log.push([barrier.nWaiting, barrier.broken]);
        const b1 = new Barrier(1);
        const f = () =>
          spawn(kind, function* () {
            return yield b1.wait();
          });
        log.push([await f(), await f(), b1.nWaiting, b1.broken]);
      });
      expect(log).toEqual([
        [4, "first", 4],
        [0, "first", 0],
        [1, "first", 1],
        [2, "first", 2],
        [3, "first", 3],
        [2, "second", 4],
        [3, "second", 0],
        [4, "second", 1],
        [0, "second", 2],
        [1, "second", 3],
        [0, false],
        [0, 0, 0, false],
      ]);
    });

    // reset() with two tasks filling: they raise BrokenBarrierError; a task arriving while it resets waits for
    // them to leave, then fills. A filling task cancelled gives its index back: the next arrival gets it again.
    // python3.12 → ('filling', '[filling, waiters:2/3]'), ('after reset', '[resetting, waiters:0/3]'),
    //   ('t1', 'BrokenBarrierError', 'Abort or reset of barrier', '[resetting, waiters:0/3]'),
    //   ('t2', 'BrokenBarrierError', 'Abort or reset of barrier', '[filling, waiters:0/3]'),
    //   ('t3 arrived', '[filling, waiters:1/3]', 1), ('after', '[filling, waiters:1/3]', 1), ('t4 arrived', '[filling, waiters:2/3]', 2),
    //   ('t3', 'CancelledError', '', '[filling, waiters:1/3]'), ('t3 cancelled', '[filling, waiters:1/3]', 1),
    //   ('t6', 'index', 2, '[draining, waiters:0/3]'), ('t4', 'index', 1, '[draining, waiters:0/3]'),
    //   ('t5', 'index', 1, '[filling, waiters:0/3]'), ['BrokenBarrierError', 'BrokenBarrierError', 'CancelledError', 1, 1, 2],
    //   ('end', '[filling, waiters:0/3]')
    it(`reset() while filling, an arrival during the reset, and a cancelled filler (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        const b = new Barrier(3);
        const w = (name: string) =>
          spawn(kind, function* () {
            try {
              const i = yield b.wait();
              log.push([name, "index", i, extras(b)]);
              return i;
            } catch (e) {
              log.push([name, errName(e), (e as Error).message, extras(b)]);
              throw e;
            }
          });
        const t1 = w("t1");
        const t2 = w("t2");
        await sleep(0);
        log.push(["filling", extras(b)]);
        await b.reset();
        log.push(["after reset", extras(b)]);
        const t3 = w("t3");
        await sleep(0);
        log.push(["t3 arrived", extras(b), b.nWaiting]);
        await sleep(0);
        log.push(["after", extras(b), b.nWaiting]);
        const t4 = w("t4");
        await sleep(0);
        log.push(["t4 arrived", extras(b), b.nWaiting]);
        t3.cancel();
        await sleep(0);
        log.push(["t3 cancelled", extras(b), b.nWaiting]);
        const rest = [w("t5"), w("t6")];
        const res = await settle([t1, t2, t3, t4, ...rest]);
        log.push(res.map((x) => (x instanceof Error ? errName(x) : x)));
        log.push(["end", extras(b)]);
      });
      expect(log).toEqual([
        ["filling", "[filling, waiters:2/3]"],
        ["after reset", "[resetting, waiters:0/3]"],
        ["t1", "BrokenBarrierError", "Abort or reset of barrier", "[resetting, waiters:0/3]"],
        ["t2", "BrokenBarrierError", "Abort or reset of barrier", "[filling, waiters:0/3]"],
        ["t3 arrived", "[filling, waiters:1/3]", 1],
        ["after", "[filling, waiters:1/3]", 1],
        ["t4 arrived", "[filling, waiters:2/3]", 2],
        ["t3", "CancelledError", "", "[filling, waiters:1/3]"],
        ["t3 cancelled", "[filling, waiters:1/3]", 1],
        ["t6", "index", 2, "[draining, waiters:0/3]"],
        ["t4", "index", 1, "[draining, waiters:0/3]"],
        ["t5", "index", 1, "[filling, waiters:0/3]"],
        ["BrokenBarrierError", "BrokenBarrierError", "CancelledError", 1, 1, 2],
        ["end", "[filling, waiters:0/3]"],
      ]);
    });
  }
});
