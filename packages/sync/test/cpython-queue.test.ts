// Ports of CPython 3.12's test_asyncio/test_queues.py, and of 3.13's shutdown
// tests (the contract takes Queue.shutdown from 3.13), with traces recorded with
// python3.12 / python3.13 that the other sync tests do not cover.
// Workers run as both coroutine kinds.
import { getRunningLoop } from "@asyncio-ts/loop";
import { CancelledError, createTask, sleep, type Task } from "@asyncio-ts/tasks";
import { describe, expect, it } from "vitest";
import { Event, LifoQueue, PriorityQueue, Queue, QueueEmpty, QueueFull, QueueShutDown } from "../src/index.js";
import { errName, type Kind, KINDS, runVirtual, settle, spawn, waitFor } from "./helpers.js";

const QUEUES = [Queue, LifoQueue, PriorityQueue] as const;

/** create_task(q.get()) */
const getTask = <T>(kind: Kind, q: Queue<T>): Task<T> =>
  spawn(kind, function* () {
    return (yield q.get()) as T;
  });

/**
 * `task.cancel()`, then `try: await task / except CancelledError: task = again(); await task` (the "try
 * again" of test_get_cancel_drop_one_pending_reader / test_put_cancel_drop), logging `<name> cancelled`
 * or `<name> finished`. Returns the result of the task that ran to the end.
 */
async function cancelOrRetry<T>(task: Task<T>, again: () => Task<T>, log: unknown[], name: string): Promise<T> {
  task.cancel();
  try {
    const result = await task;
    log.push(`${name} finished`);
    return result;
  } catch (e) {
    if (!(e instanceof CancelledError)) throw e;
    log.push(`${name} cancelled`);
    return await again();
  }
}

describe("CPython QueueBasicTests / QueueGetTests / QueuePutTests", () => {
  for (const kind of KINDS) {
    // test_queues.QueueBasicTests.test_maxsize → [2, [0, 1], 0, [0, 1, 2], 1, 2, (True, True)]
    it(`test_maxsize: the putter blocks after two items, resumes after one get (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        const q = new Queue<number>({ maxsize: 2 });
        log.push(q.maxsize);
        const have: number[] = [];
        const t = spawn(kind, function* () {
          for (let i = 0; i < 3; i++) {
            yield q.put(i);
            have.push(i);
          }
          return true;
        });
        for (let i = 0; i < 2; i++) await sleep(0);
        log.push([...have], await q.get());
        await sleep(0);
        log.push([...have], await q.get(), await q.get());
        log.push([t.done(), t.result()]);
      });
      expect(log).toEqual([2, [0, 1], 0, [0, 1, 2], 1, 2, [true, true]]);
    });

    // test_queues.QueueGetTests.test_get_with_waiting_putters → ['a', 'b']
    it(`test_get_with_waiting_putters (${kind})`, async () => {
      await runVirtual(async () => {
        const q = new Queue<string>({ maxsize: 1 });
        spawn(kind, function* () {
          yield q.put("a");
        });
        spawn(kind, function* () {
          yield q.put("b");
        });
        expect(await q.get()).toBe("a");
        expect(await q.get()).toBe("b");
      });
    });

    // test_queues.QueuePutTests.test_get_cancel_drop_one_pending_reader → ['reader cancelled', 1, 1]
    it(`test_get_cancel_drop_one_pending_reader: the cancelled reader takes nothing (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        const q = new Queue<number>();
        const get = () => getTask(kind, q);
        const reader = get();
        await sleep(0);
        q.putNowait(1);
        q.putNowait(2);
        const result = await cancelOrRetry(reader, get, log, "reader");
        log.push(result, q.qsize());
      });
      expect(log).toEqual(["reader cancelled", 1, 1]);
    });

    // test_queues.QueuePutTests.test_get_cancel_drop_many_pending_readers → ['r1 cancelled', (1, 2, 0, 0)]
    it(`test_get_cancel_drop_many_pending_readers (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        const q = new Queue<number>();
        const [r1, r2, r3] = [getTask(kind, q), getTask(kind, q), getTask(kind, q)];
        await sleep(0);
        q.putNowait(1);
        q.putNowait(2);
        r1.cancel();
        await expect(r1).rejects.toBeInstanceOf(CancelledError);
        log.push("r1 cancelled");
        await r3;
        log.push([r2.result(), r3.result(), q.qsize(), q.statistics().getters]);
      });
      expect(log).toEqual(["r1 cancelled", [1, 2, 0, 0]]);
    });

    // test_queues.QueuePutTests.test_put_cancel_drop → [1, 'writer cancelled', 2, 0]
    it(`test_put_cancel_drop: the cancelled writer puts nothing (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        const q = new Queue<number>({ maxsize: 1 });
        q.putNowait(1);
        const put = () =>
          spawn(kind, function* () {
            yield q.put(2);
          });
        const writer = put();
        await sleep(0);
        log.push(q.getNowait());
        await cancelOrRetry(writer, put, log, "writer");
        log.push(q.getNowait(), q.qsize());
      });
      expect(log).toEqual([1, "writer cancelled", 2, 0]);
    });

    // test_queues.QueuePutTests.test_cancelled_puts_not_being_held_in_self_putters → [1, 'cancelled', (0, 1)]
    it(`test_cancelled_puts_not_being_held_in_self_putters (${kind})`, async () => {
      await runVirtual(async () => {
        const q = new Queue<number>({ maxsize: 1 });
        q.putNowait(1);
        const putTask = spawn(kind, function* () {
          yield q.put(1);
        });
        await sleep(0);
        expect(q.statistics().putters).toBe(1);
        putTask.cancel();
        await expect(putTask).rejects.toBeInstanceOf(CancelledError);
        expect([q.statistics().putters, q.qsize()]).toEqual([0, 1]);
      });
    });

    // test_queues.QueueGetTests.test_cancelled_getters_not_being_held_in_self_getters:
    // wait_for(queue.get(), 0.1) times out → ['timeout', 0]
    it(`test_cancelled_getters_not_being_held_in_self_getters (timeout) (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        const q = new Queue<number>({ maxsize: 5 });
        const t = spawn(kind, function* () {
          yield* waitFor(
            () => q.get(),
            0.1,
            () => log.push("timeout"),
          );
        });
        await t;
        log.push(q.statistics().getters, getRunningLoop().time());
      });
      expect(log).toEqual(["timeout", 0, 0.1]);
    });

    // test_queues.QueuePutTests.test_blocking_put_wait: the second put() waits for the get_nowait at 0.01 s.
    // python3.12 → [('put 1', ~0), ('put 2', 0.01), [2]]
    it(`test_blocking_put_wait (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        const q = new Queue<number>({ maxsize: 1 });
        const loop = getRunningLoop();
        const t0 = loop.time();
        loop.callLater(0.01, () => q.getNowait());
        await spawn(kind, function* () {
          yield q.put(1);
          log.push(["put 1", loop.time() - t0]);
          yield q.put(2);
          log.push(["put 2", loop.time() - t0]);
        });
        log.push([q.getNowait()]);
      });
      expect(log).toEqual([["put 1", 0], ["put 2", 0.01], [2]]);
    });

    // A woken getter that finds the item gone (taken by get_nowait) waits again, at the back.
    // python3.12 → [('stolen', 'a'), 2, (2, 'b'), (1, 'c')]
    it(`a getter robbed by get_nowait() re-queues behind the others (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        const q = new Queue<string>();
        const g = (n: number) =>
          spawn(kind, function* () {
            const v = yield q.get();
            log.push([n, v]);
          });
        const t1 = g(1);
        const t2 = g(2);
        await sleep(0);
        q.putNowait("a");
        log.push(["stolen", q.getNowait()]);
        await sleep(0);
        log.push(q.statistics().getters);
        q.putNowait("b");
        q.putNowait("c");
        await settle([t1, t2]);
      });
      expect(log).toEqual([["stolen", "a"], 2, [2, "b"], [1, "c"]]);
    });

    // Blocked putters are served in FIFO order.
    // python3.12 → ['put a', 'put b', 'put c', ['x', 'a', 'b', 'c']]
    it(`blocked putters complete in FIFO order (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        const q = new Queue<string>({ maxsize: 1 });
        q.putNowait("x");
        for (const v of ["a", "b", "c"]) {
          spawn(kind, function* () {
            yield q.put(v);
            log.push(`put ${v}`);
          });
        }
        await sleep(0);
        const out: string[] = [];
        for (let i = 0; i < 4; i++) {
          out.push(await q.get());
          await sleep(0);
        }
        log.push(out);
      });
      expect(log).toEqual(["put a", "put b", "put c", ["x", "a", "b", "c"]]);
    });

    // test_queues.QueueGetTests.test_why_are_getters_waiting (a producer and a consumer, maxsize 1)
    it(`test_why_are_getters_waiting: producer and consumer both finish (${kind})`, async () => {
      await runVirtual(async () => {
        const q = new Queue<number>({ maxsize: 1 });
        const got: number[] = [];
        const producer = spawn(kind, function* () {
          for (let i = 0; i < 5; i++) yield q.put(i);
        });
        const consumer = spawn(kind, function* () {
          for (let i = 0; i < 5; i++) got.push((yield q.get()) as number);
        });
        await settle([producer, consumer]);
        expect(got).toEqual([0, 1, 2, 3, 4]);
        expect(q.statistics()).toMatchObject({ getters: 0, putters: 0, qsize: 0 });
      });
    });
  }

  // test_queues.QueueBasicTests.test_str (the id-less form), followed through getters and putters.
  // python3.12 → ['<Queue maxsize=0>', '<Queue maxsize=0 _getters[1]>', '<Queue maxsize=0 _queue=[0] tasks=1>', 0,
  //  '<Queue maxsize=0 tasks=1>', '<Queue maxsize=1 _queue=[1] _putters[1] tasks=1>', '<Queue maxsize=1 tasks=1>',
  //  '<Queue maxsize=1 _queue=[2] tasks=2>', '<Queue maxsize=0 _queue=[1] tasks=1>', "<LifoQueue maxsize=-1 _queue=['a', 'b'] tasks=2>",
  //  '<PriorityQueue maxsize=0 _queue=[1, 3, 2] tasks=3>']
  it("test_str: maxsize, _queue, _getters, _putters, tasks", async () => {
    const log: unknown[] = [];
    await runVirtual(async () => {
      let q = new Queue<number>();
      log.push(String(q));
      const g = createTask(() => q.get());
      await sleep(0);
      log.push(String(q));
      q.putNowait(0);
      log.push(String(q));
      log.push(await g);
      log.push(String(q));
      q = new Queue<number>({ maxsize: 1 });
      q.putNowait(1);
      const p = createTask(() => q.put(2));
      await sleep(0);
      log.push(String(q));
      q.getNowait();
      log.push(String(q));
      await p;
      log.push(String(q));
      q = new Queue<number>();
      q.putNowait(1);
      log.push(String(q));
      const l = new LifoQueue<string>({ maxsize: -1 });
      l.putNowait("a");
      l.putNowait("b");
      log.push(String(l));
      const pq = new PriorityQueue<number>();
      for (const x of [3, 1, 2]) pq.putNowait(x);
      log.push(String(pq));
    });
    expect(log).toEqual([
      "<Queue maxsize=0>",
      "<Queue maxsize=0 _getters[1]>",
      "<Queue maxsize=0 _queue=[0] tasks=1>",
      0,
      "<Queue maxsize=0 tasks=1>",
      "<Queue maxsize=1 _queue=[1] _putters[1] tasks=1>",
      "<Queue maxsize=1 tasks=1>",
      "<Queue maxsize=1 _queue=[2] tasks=2>",
      "<Queue maxsize=0 _queue=[1] tasks=1>",
      `<LifoQueue maxsize=-1 _queue=["a", "b"] tasks=2>`,
      "<PriorityQueue maxsize=0 _queue=[1, 3, 2] tasks=3>",
    ]);
  });

  // maxsize <= 0 is unbounded; empty/full/qsize; QueueFull / QueueEmpty.
  // python3.12 → [(0, 1000, False, False), (-1, 1000, False, False), (True, False), (False, True, 1), QueueFull(), QueueEmpty()]
  it("test_empty / test_full / unbounded maxsize <= 0 / put_nowait and get_nowait errors", async () => {
    const log: unknown[] = [];
    await runVirtual(async () => {
      for (const m of [0, -1]) {
        const q = new Queue<number>({ maxsize: m });
        for (let i = 0; i < 1000; i++) q.putNowait(i);
        log.push([q.maxsize, q.qsize(), q.full(), q.empty()]);
      }
      const q = new Queue<number>({ maxsize: 1 });
      log.push([q.empty(), q.full()]);
      await q.put(1);
      log.push([q.empty(), q.full(), q.qsize()]);
      try {
        q.putNowait(2);
      } catch (e) {
        log.push([errName(e), e instanceof QueueFull]);
      }
      q.getNowait();
      try {
        q.getNowait();
      } catch (e) {
        log.push([errName(e), e instanceof QueueEmpty]);
      }
    });
    expect(log).toEqual([
      [0, 1000, false, false],
      [-1, 1000, false, false],
      [true, false],
      [false, true, 1],
      ["QueueFull", true],
      ["QueueEmpty", true],
    ]);
  });

  // test_queues.LifoQueueTests.test_order / PriorityQueueTests.test_order, tuples, and a LIFO getter woken by two puts.
  // python3.12 → [[2, 3, 1], [1, 2, 3], [(0, 'x'), (1, 'y'), (1, 'z'), (2, 'a'), (2, 'b')], 2]
  it("LifoQueue / PriorityQueue order; a woken LIFO getter takes the newest item", async () => {
    const log: unknown[] = [];
    await runVirtual(async () => {
      const l = new LifoQueue<number>();
      for (const i of [1, 3, 2]) await l.put(i);
      log.push([await l.get(), await l.get(), await l.get()]);
      const p = new PriorityQueue<number>();
      for (const i of [1, 3, 2]) await p.put(i);
      log.push([await p.get(), await p.get(), await p.get()]);
      const t = new PriorityQueue<[number, string]>();
      for (const it of [[2, "b"], [1, "z"], [2, "a"], [1, "y"], [0, "x"]] as [number, string][]) t.putNowait(it);
      log.push(Array.from({ length: 5 }, () => t.getNowait()));
      const lifo = new LifoQueue<number>();
      const g = createTask(() => lifo.get());
      await sleep(0);
      lifo.putNowait(1);
      lifo.putNowait(2);
      log.push(await g);
    });
    expect(log).toEqual([
      [2, 3, 1],
      [1, 2, 3],
      [
        [0, "x"],
        [1, "y"],
        [1, "z"],
        [2, "a"],
        [2, "b"],
      ],
      2,
    ]);
  });
});

describe("CPython PriorityQueue: items that cannot be ordered", () => {
  // heapq.heappush appends, then sifts by swapping: a comparison that raises TypeError leaves the item in
  // the heap (qsize counts it, tasks does not); heappop's re-heapify raising loses the smallest item. Ours
  // sifted a hole and never filled it on the error: the item was lost and a parent duplicated.
  // python3.12 → [('put_nowait', 'TypeError'), (4, "<PriorityQueue maxsize=0 _queue=[(0, 'x'), (0, 5), (2, 2), (1, 1)] tasks=3>"),
  //               ([(0, 'x'), (0, 5), (0, 6), (1, 1), (2, 2)], 4), ('get_nowait', 'TypeError'),
  //               (2, "<PriorityQueue maxsize=0 _queue=[(1, 'x'), (1, 5)] tasks=3>")]
  it("a put whose comparison raises TypeError leaves the heap a permutation, as heapq does", async () => {
    const log: unknown[] = [];
    await runVirtual(async () => {
      let q = new PriorityQueue<[number, unknown]>();
      for (const x of [[0, "x"], [1, 1], [2, 2]] as [number, unknown][]) q.putNowait(x);
      try {
        q.putNowait([0, 5]); // [0, 5] < [1, 1], then 5 against "x"
      } catch (e) {
        log.push(["put_nowait", errName(e)]);
      }
      log.push([q.qsize(), String(q)]);
      await q.put([0, 6]);
      const out: unknown[] = [];
      while (!q.empty()) out.push(q.getNowait());
      log.push([out, q.statistics().unfinishedTasks]);
      q = new PriorityQueue<[number, unknown]>();
      for (const x of [[0, "a"], [1, "x"], [1, 5]] as [number, unknown][]) q.putNowait(x);
      try {
        q.getNowait();
      } catch (e) {
        log.push(["get_nowait", errName(e)]);
      }
      log.push([q.qsize(), String(q)]);
    });
    expect(log).toEqual([
      ["put_nowait", "TypeError"],
      [4, `<PriorityQueue maxsize=0 _queue=[[0, "x"], [0, 5], [2, 2], [1, 1]] tasks=3>`],
      [
        [
          [0, "x"],
          [0, 5],
          [0, 6],
          [1, 1],
          [2, 2],
        ],
        4,
      ],
      ["get_nowait", "TypeError"],
      [2, `<PriorityQueue maxsize=0 _queue=[[1, "x"], [1, 5]] tasks=3>`],
    ]);
  });
});

describe("CPython PriorityQueue: NaN priorities", () => {
  // A tuple comparison decides at the first element that is not ==: (nan, 'a') against (1, 'b') is decided by
  // nan < 1, false either way, so the payloads are never compared. Ours went on to the payloads ('a' < 'b').
  // python3.12 → [(0, 'c'), (nan, 'a'), (1, 'b')], [(nan, 'a'), (nan, 'b')] (one nan object), [1, nan, 2]
  it("a NaN against a number decides the tuple comparison (neither is less)", async () => {
    await runVirtual(async () => {
      const q = new PriorityQueue<unknown>();
      const out = (n: number) => Array.from({ length: n }, () => q.getNowait());
      for (const x of [[1, "b"], [NaN, "a"], [0, "c"]]) q.putNowait(x);
      expect(out(3)).toEqual([
        [0, "c"],
        [NaN, "a"],
        [1, "b"],
      ]);
      for (const x of [[NaN, "b"], [NaN, "a"]]) q.putNowait(x);
      expect(out(2)).toEqual([
        [NaN, "a"],
        [NaN, "b"],
      ]);
      for (const x of [2, NaN, 1]) q.putNowait(x);
      expect(out(3)).toEqual([1, NaN, 2]);
    });
  });
});

describe("CPython PriorityQueue: str order", () => {
  // Python orders str by code point; JS's < by UTF-16 code unit, so a character from U+10000 up (a surrogate
  // pair) came out before U+E000..U+FFFF.
  // python3.12 → ['0x61', '0xd7ff', '0xe000', '0xffff', '0x10000', '0x1f600'], [('0xffff', 0), ('0xffff', 1), ('0x10000', 2)]
  it("strings by code point, alone and in tuples", async () => {
    await runVirtual(async () => {
      const q = new PriorityQueue<string>();
      for (const s of ["\u{1F600}", "\uffff", "a", "\ue000", "\u{10000}", "\ud7ff"]) q.putNowait(s);
      const out: string[] = [];
      while (!q.empty()) out.push(`0x${q.getNowait().codePointAt(0)!.toString(16)}`);
      expect(out).toEqual(["0x61", "0xd7ff", "0xe000", "0xffff", "0x10000", "0x1f600"]);
      const t = new PriorityQueue<[string, number]>();
      for (const x of [["\uffff", 1], ["\u{10000}", 2], ["\uffff", 0]] as [string, number][]) t.putNowait(x);
      expect(Array.from({ length: 3 }, () => t.getNowait()).map(([a, b]) => [`0x${a.codePointAt(0)!.toString(16)}`, b])).toEqual([
        ["0xffff", 0],
        ["0xffff", 1],
        ["0x10000", 2],
      ]);
    });
  });
});

describe("CPython _QueueJoinTestMixin", () => {
  for (const Q of QUEUES) {
    // test_task_done_underflow / test_task_done / test_join_empty_queue / test_format, per queue class.
    // python3.12 → ('<Q>', 'task_done() called too many times'), ('<Q>', 45, '<Q maxsize=0 _getters[2]>')
    it(`task_done() and join() on ${Q.name}`, async () => {
      await runVirtual(async () => {
        const q = new Q<number>();
        expect(() => q.taskDone()).toThrow(RangeError);
        expect(() => q.taskDone()).toThrow("task_done() called too many times".replace("task_done", "taskDone"));
        await q.join();
        await q.join();
        expect(String(q)).toBe(`<${Q.name} maxsize=0>`);
        for (let i = 0; i < 10; i++) q.putNowait(i);
        let acc = 0;
        const worker = () =>
          createTask(async () => {
            for (;;) {
              acc += await q.get();
              q.taskDone();
            }
          });
        const ws = [worker(), worker()];
        await q.join();
        expect([acc, String(q)]).toEqual([45, `<${Q.name} maxsize=0 _getters[2]>`]);
        for (const w of ws) w.cancel();
        await settle(ws);
      });
    });
  }

  for (const kind of KINDS) {
    // join() waiters are released together, after the last task_done().
    // python3.12 → ['empty join ok', 'task_done 0', 'task_done 1', 'task_done 2', 'joiner 0 released', 'joiner 1 released',
    //               ('ValueError', 'task_done() called too many times'), '<Queue maxsize=0 _queue=[9] tasks=1>', '<Queue maxsize=0 _queue=[9]>']
    it(`join() releases every joiner after the last taskDone() (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        const q = new Queue<number>();
        await q.join();
        await q.join();
        log.push("empty join ok");
        for (let i = 0; i < 3; i++) q.putNowait(i);
        const js = [0, 1].map((n) =>
          spawn(kind, function* () {
            yield q.join();
            log.push(`joiner ${n} released`);
          }),
        );
        await sleep(0);
        for (let i = 0; i < 3; i++) {
          q.getNowait();
          q.taskDone();
          log.push(`task_done ${i}`);
          await sleep(0);
        }
        await settle(js);
        try {
          q.taskDone();
        } catch (e) {
          log.push([errName(e), e instanceof RangeError]);
        }
        q.putNowait(9);
        log.push(String(q));
        q.taskDone();
        log.push(String(q));
      });
      expect(log).toEqual([
        "empty join ok",
        "task_done 0",
        "task_done 1",
        "task_done 2",
        "joiner 0 released",
        "joiner 1 released",
        ["RangeError", true],
        "<Queue maxsize=0 _queue=[9] tasks=1>",
        "<Queue maxsize=0 _queue=[9]>",
      ]);
    });

    // A cancelled join() changes nothing in the queue.
    // python3.12 → ['join cancelled', '<Queue maxsize=0 _queue=[1] tasks=1>', 'join ok']
    it(`a cancelled join() leaves the queue as it was (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        const q = new Queue<number>();
        q.putNowait(1);
        const j = spawn(kind, function* () {
          yield q.join();
        });
        await sleep(0);
        j.cancel();
        try {
          await j;
        } catch (e) {
          if (e instanceof CancelledError) log.push("join cancelled");
        }
        log.push(String(q));
        q.getNowait();
        q.taskDone();
        await q.join();
        log.push("join ok");
      });
      expect(log).toEqual(["join cancelled", "<Queue maxsize=0 _queue=[1] tasks=1>", "join ok"]);
    });
  }
});

describe("CPython 3.13 _QueueShutdownTestMixin", () => {
  // test_queues._QueueShutdownTestMixin.test_format → 'maxsize=0 shutdown'
  // python3.13 → ['<Queue maxsize=0 shutdown>', '<Queue maxsize=0 _queue=[1] tasks=1 shutdown>']
  it("test_format", async () => {
    await runVirtual(async () => {
      const q = new Queue<number>();
      q.shutdown();
      expect(String(q)).toBe("<Queue maxsize=0 shutdown>");
      const r = new Queue<number>();
      r.putNowait(1);
      r.shutdown();
      expect(String(r)).toBe("<Queue maxsize=0 _queue=[1] tasks=1 shutdown>");
    });
  });

  for (const Q of QUEUES) {
    for (const kind of KINDS) {
      // test_shutdown_empty
      // python3.13 → [0, 'join ok', True, QueueShutDown(), put/put_nowait/get/get_nowait: QueueShutDown]
      it(`test_shutdown_empty on ${Q.name} (${kind})`, async () => {
        const log: unknown[] = [];
        await runVirtual(async () => {
          const q = new Q<string>();
          const get = getTask(kind, q);
          await sleep(0);
          q.shutdown(false);
          log.push(q.qsize());
          await q.join();
          log.push("join ok");
          await sleep(0);
          log.push(get.done());
          try {
            await get;
          } catch (e) {
            log.push(errName(e));
          }
          const ops: [string, () => unknown][] = [
            ["put", () => q.put("d")],
            ["putNowait", () => q.putNowait("d")],
            ["get", () => q.get()],
            ["getNowait", () => q.getNowait()],
          ];
          for (const [name, op] of ops) {
            try {
              await op();
              log.push([name, "ok"]);
            } catch (e) {
              log.push([name, errName(e)]);
            }
          }
        });
        expect(log).toEqual([
          0,
          "join ok",
          true,
          "QueueShutDown",
          ["put", "QueueShutDown"],
          ["putNowait", "QueueShutDown"],
          ["get", "QueueShutDown"],
          ["getNowait", "QueueShutDown"],
        ]);
      });

      // test_shutdown_nonempty
      // python3.13 → [False, 1, True, 'put ShutDown', 'data', False, 'get_nowait ShutDown', True, 'ValueError']
      it(`test_shutdown_nonempty on ${Q.name} (${kind})`, async () => {
        const log: unknown[] = [];
        await runVirtual(async () => {
          const q = new Q<string>({ maxsize: 1 });
          q.putNowait("data");
          const join = spawn(kind, function* () {
            yield q.join();
          });
          const put = spawn(kind, function* () {
            yield q.put("data2");
          });
          await sleep(0);
          log.push(put.done());
          q.shutdown(false);
          log.push(q.qsize());
          await sleep(0);
          log.push(put.done());
          try {
            await put;
          } catch (e) {
            if (e instanceof QueueShutDown) log.push("put ShutDown");
          }
          log.push(await q.get());
          await sleep(0);
          log.push(join.done());
          try {
            q.getNowait();
          } catch (e) {
            if (e instanceof QueueShutDown) log.push("get_nowait ShutDown");
          }
          q.taskDone();
          await sleep(0);
          log.push(join.done());
          try {
            q.taskDone();
          } catch (e) {
            if (e instanceof RangeError) log.push("ValueError");
          }
        });
        expect(log).toEqual([false, 1, true, "put ShutDown", "data", false, "get_nowait ShutDown", true, "ValueError"]);
      });
    }
  }

  // test_shutdown_immediate → [0, True, 'ValueError']
  it("test_shutdown_immediate: items dropped and counted done, join() released", async () => {
    const log: unknown[] = [];
    await runVirtual(async () => {
      const q = new Queue<string>();
      q.putNowait("data");
      const j = createTask(() => q.join());
      q.shutdown(true);
      log.push(q.qsize());
      await sleep(0);
      log.push(j.done());
      try {
        q.taskDone();
      } catch (e) {
        if (e instanceof RangeError) log.push("ValueError");
      }
    });
    expect(log).toEqual([0, true, "ValueError"]);
  });

  // test_shutdown_immediate_with_unfinished → ['data', (0, '<Queue maxsize=0 tasks=1 shutdown>'), False, 'ValueError', True]
  it("test_shutdown_immediate_with_unfinished: an item already got still needs taskDone()", async () => {
    const log: unknown[] = [];
    await runVirtual(async () => {
      const q = new Queue<string>();
      q.putNowait("data");
      q.putNowait("data");
      const j = createTask(() => q.join());
      log.push(await q.get());
      q.shutdown(true);
      log.push([q.qsize(), String(q)]);
      await sleep(0);
      log.push(j.done());
      q.taskDone();
      try {
        q.taskDone();
      } catch (e) {
        if (e instanceof RangeError) log.push("ValueError");
      }
      await sleep(0);
      log.push(j.done());
    });
    expect(log).toEqual(["data", [0, "<Queue maxsize=0 tasks=1 shutdown>"], false, "ValueError", true]);
  });

  for (const kind of KINDS) {
    // shutdown() right after a put: the first woken getter still gets the item, the others QueueShutDown.
    // python3.13 → [(0, 'x'), (1, 'ShutDown'), (2, 'ShutDown')]
    it(`getters woken by shutdown(): the item goes to the first (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        const q = new Queue<string>();
        const ts = [0, 1, 2].map((n) =>
          spawn(kind, function* () {
            try {
              const v = yield q.get();
              log.push([n, v]);
            } catch (e) {
              if (!(e instanceof QueueShutDown)) throw e;
              log.push([n, "ShutDown"]);
            }
          }),
        );
        await sleep(0);
        q.putNowait("x");
        q.shutdown();
        await settle(ts);
      });
      expect(log).toEqual([
        [0, "x"],
        [1, "ShutDown"],
        [2, "ShutDown"],
      ]);
    });

    // shutdown(immediate=True) with blocked putters: the queue empties, yet the putters raise QueueShutDown.
    // python3.13 → ['<Queue maxsize=1 shutdown>', (1, 'ShutDown'), (2, 'ShutDown'), ('g', 9, 'ShutDown')]
    it(`putters woken by shutdown(true) raise QueueShutDown (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        const q = new Queue<number>({ maxsize: 1 });
        q.putNowait(0);
        const ts = [1, 2].map((n) =>
          spawn(kind, function* () {
            try {
              yield q.put(n);
              log.push([n, "put"]);
            } catch (e) {
              if (!(e instanceof QueueShutDown)) throw e;
              log.push([n, "ShutDown"]);
            }
          }),
        );
        await sleep(0);
        q.shutdown(true);
        log.push(String(q));
        await settle(ts);
        try {
          log.push(["g", 9, await q.get()]);
        } catch (e) {
          log.push(["g", 9, e instanceof QueueShutDown ? "ShutDown" : errName(e)]);
        }
      });
      expect(log).toEqual(["<Queue maxsize=1 shutdown>", [1, "ShutDown"], [2, "ShutDown"], ["g", 9, "ShutDown"]]);
    });
  }
});

describe("CPython Queue: a newcomer and a woken putter", () => {
  for (const kind of KINDS) {
    // A putter woken by get_nowait() runs before a put() started after the wake-up; the newcomer waits.
    // python3.12 → [('got', 'x'), 'put A', ('putters', 1, ['A']), ('got', 'A'), []]
    it(`a woken putter beats a later put() to the free slot (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        const q = new Queue<string>({ maxsize: 1 });
        q.putNowait("x");
        const p = (v: string) =>
          spawn(kind, function* () {
            yield q.put(v);
            log.push(`put ${v}`);
          });
        const a = p("A");
        await sleep(0);
        log.push(["got", q.getNowait()]);
        const b = p("B");
        await sleep(0);
        log.push(["putters", q.statistics().putters, String(q)]);
        log.push(["got", q.getNowait()]);
        await a;
        log.push(q.qsize());
        await b;
      });
      expect(log).toEqual([["got", "x"], "put A", ["putters", 1, "<Queue maxsize=1 _queue=[\"A\"] _putters[1] tasks=2>"], ["got", "A"], 0, "put B"]);
    });
  }
});

describe("CPython 3.13 Queue.shutdown(): waiters caught in transition", () => {
  for (const kind of KINDS) {
    // a. a putter woken by get_nowait(), then shutdown() before it runs: QueueShutDown, nothing put.
    // b. a getter woken by put_nowait(), then shutdown(immediate=True) before it runs: the item is dropped, QueueShutDown.
    // c. shutdown() does not release join(); draining and task_done() do.
    // d. shutdown(immediate=True) counts the dropped items done; an item already got still holds join().
    // e. a putter cancelled after shutdown() woke it raises CancelledError; the other QueueShutDown.
    // f. shutdown() twice keeps the items; shutdown(True) after it drops them.
    // g. a getter woken by put_nowait() and cancelled, then shutdown(): the next getter gets the item.
    // h. on a full shut-down queue: put raises, get drains then raises, put_nowait raises, task_done/join work.
    // python3.13 →
    //   ('a got', 'x', '<Queue maxsize=1 tasks=1>'), ('a', 'QueueShutDown', '<Queue maxsize=1 tasks=1 shutdown>'),
    //   ('b put', "<Queue maxsize=0 _queue=['x'] tasks=1>"), ('b shutdown', '<Queue maxsize=0 shutdown>'), ('b', 'QueueShutDown', '<Queue maxsize=0 shutdown>'),
    //   ('c after shutdown', False, '<Queue maxsize=0 _queue=[1, 2] tasks=2 shutdown>'), ('c got', 1, 2), ('c one done', False), ('c all done', True),
    //   ('d', [False, False], '<Queue maxsize=0 tasks=1 shutdown>'), ('d done', [True, True], '<Queue maxsize=0 shutdown>'),
    //   ('e', ['CancelledError', 'QueueShutDown'], '<Queue maxsize=1 _queue=[0] tasks=1 shutdown>'),
    //   ('f', '<Queue maxsize=0 _queue=[1] tasks=1 shutdown>'), ('f', '<Queue maxsize=0 shutdown>'),
    //   ('g', ['CancelledError', 'x'], '<Queue maxsize=0 tasks=1 shutdown>'),
    //   ('h', 'Queue', ['QueueShutDown', 1, 'QueueShutDown', 'QueueShutDown', None, None], '<Queue maxsize=1 shutdown>'), (same for LifoQueue, PriorityQueue)
    it(`putters, getters and joiners around shutdown() (${kind})`, async () => {
      const log: unknown[] = [];
      const ex = (r: unknown) => (r instanceof Error ? errName(r) : r);
      await runVirtual(async () => {
        const put = <T>(q: Queue<T>, x: T) =>
          spawn(kind, function* () {
            return yield q.put(x);
          });
        const join = <T>(q: Queue<T>) =>
          spawn(kind, function* () {
            return yield q.join();
          });
        {
          const q = new Queue<string>({ maxsize: 1 });
          q.putNowait("x");
          const p = put(q, "y");
          await sleep(0);
          log.push(["a got", q.getNowait(), String(q)]);
          q.shutdown();
          log.push(["a", ex((await settle([p]))[0]), String(q)]);
        }
        {
          const q = new Queue<string>();
          const g = getTask(kind, q);
          await sleep(0);
          q.putNowait("x");
          log.push(["b put", String(q)]);
          q.shutdown(true);
          log.push(["b shutdown", String(q)]);
          log.push(["b", ex((await settle([g]))[0]), String(q)]);
        }
        {
          const q = new Queue<number>();
          q.putNowait(1);
          q.putNowait(2);
          const j = join(q);
          await sleep(0);
          q.shutdown();
          await sleep(0);
          log.push(["c after shutdown", j.done(), String(q)]);
          log.push(["c got", await q.get(), q.getNowait()]);
          q.taskDone();
          await sleep(0);
          log.push(["c one done", j.done()]);
          q.taskDone();
          await sleep(0);
          log.push(["c all done", j.done()]);
        }
        {
          const q = new Queue<number>();
          for (let i = 0; i < 3; i++) q.putNowait(i);
          q.getNowait();
          const js = [join(q), join(q)];
          await sleep(0);
          q.shutdown(true);
          await sleep(0);
          log.push(["d", js.map((j) => j.done()), String(q)]);
          q.taskDone();
          await sleep(0);
          log.push(["d done", js.map((j) => j.done()), String(q)]);
        }
        {
          const q = new Queue<number>({ maxsize: 1 });
          q.putNowait(0);
          const ps = [put(q, 1), put(q, 2)];
          await sleep(0);
          q.shutdown();
          ps[0].cancel();
          log.push(["e", (await settle(ps)).map(ex), String(q)]);
        }
        {
          const q = new Queue<number>();
          q.putNowait(1);
          q.shutdown();
          q.shutdown();
          log.push(["f", String(q)]);
          q.shutdown(true);
          log.push(["f", String(q)]);
        }
        {
          const q = new Queue<string>();
          const gs = [getTask(kind, q), getTask(kind, q)];
          await sleep(0);
          q.putNowait("x");
          gs[0].cancel();
          q.shutdown();
          log.push(["g", (await settle(gs)).map(ex), String(q)]);
        }
        for (const Q of QUEUES) {
          const q = new Q<number>({ maxsize: 1 });
          q.putNowait(1);
          q.shutdown();
          const res: unknown[] = [];
          for (const op of [() => q.put(2), () => q.get(), () => q.get(), () => q.putNowait(3), () => q.taskDone(), () => q.join()]) {
            try {
              const r = op();
              res.push(r === undefined ? null : ex(await r) ?? null);
            } catch (e) {
              res.push(errName(e));
            }
          }
          log.push(["h", Q.name, res, String(q)]);
        }
      });
      expect(log).toEqual([
        ["a got", "x", "<Queue maxsize=1 tasks=1>"],
        ["a", "QueueShutDown", "<Queue maxsize=1 tasks=1 shutdown>"],
        ["b put", `<Queue maxsize=0 _queue=["x"] tasks=1>`],
        ["b shutdown", "<Queue maxsize=0 shutdown>"],
        ["b", "QueueShutDown", "<Queue maxsize=0 shutdown>"],
        ["c after shutdown", false, "<Queue maxsize=0 _queue=[1, 2] tasks=2 shutdown>"],
        ["c got", 1, 2],
        ["c one done", false],
        ["c all done", true],
        ["d", [false, false], "<Queue maxsize=0 tasks=1 shutdown>"],
        ["d done", [true, true], "<Queue maxsize=0 shutdown>"],
        ["e", ["CancelledError", "QueueShutDown"], "<Queue maxsize=1 _queue=[0] tasks=1 shutdown>"],
        ["f", "<Queue maxsize=0 _queue=[1] tasks=1 shutdown>"],
        ["f", "<Queue maxsize=0 shutdown>"],
        ["g", ["CancelledError", "x"], "<Queue maxsize=0 tasks=1 shutdown>"],
        ...QUEUES.map((Q) => ["h", Q.name, ["QueueShutDown", 1, "QueueShutDown", "QueueShutDown", null, null], `<${Q.name} maxsize=1 shutdown>`]),
      ]);
    });

    // test_queues.QueuePutTests.test_put_cancelled (the putter's result) and QueueGetTests.test_get_with_putters
    // with a real blocked putter: get() wakes it; it puts on its next step.
    // python3.12 → [1, (True, True), ('before get', '<Queue maxsize=1 _queue=[1] _putters[1] tasks=1>'),
    //               ('get', 1, '<Queue maxsize=1 tasks=1>', False), ('putter', True, None, '<Queue maxsize=1 _queue=[2] tasks=2>')]
    it(`test_put_cancelled and test_get_with_putters (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        let q = new Queue<number>();
        const t = spawn(kind, function* () {
          yield q.put(1);
          return true;
        });
        log.push(await getTask(kind, q));
        log.push([t.done(), t.result()]);
        q = new Queue<number>({ maxsize: 1 });
        await q.put(1);
        const p = spawn(kind, function* () {
          return (yield q.put(2)) ?? null;
        });
        await sleep(0);
        log.push(["before get", String(q)]);
        log.push(["get", await q.get(), String(q), p.done()]);
        await sleep(0);
        log.push(["putter", p.done(), p.result(), String(q)]);
      });
      expect(log).toEqual([
        1,
        [true, true],
        ["before get", "<Queue maxsize=1 _queue=[1] _putters[1] tasks=1>"],
        ["get", 1, "<Queue maxsize=1 tasks=1>", false],
        ["putter", true, null, "<Queue maxsize=1 _queue=[2] tasks=2>"],
      ]);
    });
  }
});

describe("CPython QueuePutTests / QueueGetTests, as both coroutine kinds", () => {
  for (const kind of KINDS) {
    // test_put_cancelled_race, test_why_are_putters_waiting and test_blocking_get_wait (queue.test.ts ports
    // them with async workers only), with the queue's state at each step.
    // python3.12 → [(True, False, "<Queue maxsize=1 _queue=['a'] _putters[2] tasks=1>"), (True, 'a', '<Queue maxsize=1 tasks=1>'),
    //   ('b', True, '<Queue maxsize=1 tasks=2>'), ('put', 0, 1), ('put', 1, 2), ('got', 0), ('got', 1), ('put', 2, 1), ('put', 3, 2),
    //   '<Queue maxsize=2 _queue=[2, 3] tasks=4>', ('started', False), ('got', 1, True, True)]
    it(`test_put_cancelled_race, test_why_are_putters_waiting, test_blocking_get_wait (${kind})`, async () => {
      const log: unknown[] = [];
      await runVirtual(async () => {
        const loop = getRunningLoop();
        const put = <T>(q: Queue<T>, x: T, after?: () => void) =>
          spawn(kind, function* () {
            yield q.put(x);
            after?.();
          });
        const q = new Queue<string>({ maxsize: 1 });
        const [putA, putB, putC] = [put(q, "a"), put(q, "b"), put(q, "X")];
        await sleep(0);
        log.push([putA.done(), putB.done(), String(q)]);
        putC.cancel();
        await sleep(0);
        log.push([putC.cancelled(), q.getNowait(), String(q)]);
        await sleep(0);
        log.push([q.getNowait(), putB.done(), String(q)]);
        await putB;
        const queue = new Queue<number>({ maxsize: 2 });
        const getter = spawn(kind, function* () {
          yield sleep(0);
          for (let n = queue.qsize(); n > 0; n--) log.push(["got", queue.getNowait()]);
        });
        await settle([getter, ...[0, 1, 2, 3].map((i) => put(queue, i, () => log.push(["put", i, queue.qsize()])))]);
        log.push(String(queue));
        const q2 = new Queue<number>();
        const started = new Event();
        let finished = false;
        const t = spawn(kind, function* () {
          started.set();
          const res = yield q2.get();
          finished = true;
          return res;
        });
        await started.wait();
        log.push(["started", finished]);
        const t0 = loop.time();
        loop.callLater(0.01, () => q2.putNowait(1));
        log.push(["got", await t, finished, loop.time() - t0 >= 0.01]);
      });
      expect(log).toEqual([
        [true, false, `<Queue maxsize=1 _queue=["a"] _putters[2] tasks=1>`],
        [true, "a", "<Queue maxsize=1 tasks=1>"],
        ["b", true, "<Queue maxsize=1 tasks=2>"],
        ["put", 0, 1],
        ["put", 1, 2],
        ["got", 0],
        ["got", 1],
        ["put", 2, 1],
        ["put", 3, 2],
        "<Queue maxsize=2 _queue=[2, 3] tasks=4>",
        ["started", false],
        ["got", 1, true, true],
      ]);
    });
  }
});
