import { CancelledError, createTask, sleep, type Task } from "@asyncio-ts/tasks";
import { describe, expect, it } from "vitest";
import { LifoQueue, PriorityQueue, Queue, QueueEmpty, QueueFull, QueueShutDown } from "../src/index.js";
import { runVirtual, turns } from "./helpers.js";

describe("Queue", () => {
  it("validates options and reports state", async () => {
    expect(() => new Queue({ maxsize: "1" as never })).toThrow(TypeError);
    expect(() => new Queue({ maxsize: NaN })).toThrow(RangeError);
    await runVirtual(async () => {
      const q = new Queue<number>({ maxsize: 2 });
      expect(q.maxsize).toBe(2);
      expect(q.empty()).toBe(true);
      q.putNowait(1);
      q.putNowait(2);
      expect(q.full()).toBe(true);
      expect(() => q.putNowait(3)).toThrow(QueueFull);
      expect(String(q)).toBe("<Queue maxsize=2 _queue=[1, 2] tasks=2>");
      expect(q.statistics()).toEqual({ qsize: 2, maxsize: 2, getters: 0, putters: 0, unfinishedTasks: 2, shutdown: false });
      expect(q.getNowait()).toBe(1);
      expect(await q.get()).toBe(2);
      expect(() => q.getNowait()).toThrow(QueueEmpty);
      expect(new QueueEmpty().name).toBe("QueueEmpty");
      expect(new Queue().full()).toBe(false);
    });
  });

  // test_queues.test_float_maxsize
  it("a float maxsize works like Python's", async () => {
    await runVirtual(async () => {
      const q = new Queue({ maxsize: 1.3 });
      q.putNowait(1);
      q.putNowait(2);
      expect(q.full()).toBe(true);
      expect(() => q.putNowait(3)).toThrow(QueueFull);
    });
  });

  // test_queues.test_blocking_get_wait / test_put_with_waiting_getters
  it("get() waits for a put(); put() waits for a free slot", async () => {
    await runVirtual(async () => {
      const q = new Queue<string>({ maxsize: 1 });
      const t = createTask(() => q.get());
      await sleep(0);
      await q.put("a");
      expect(await t).toBe("a");
      await q.put("b");
      const p = createTask(() => q.put("c"));
      await sleep(0);
      expect(p.done()).toBe(false);
      expect(q.statistics().putters).toBe(1);
      expect(q.getNowait()).toBe("b");
      await p;
      expect(q.getNowait()).toBe("c");
    });
  });

  // test_queues.test_get_cancelled_race
  for (const kind of ["async", "generator"] as const) {
    const getTask = (q: Queue<string>): Task<string> =>
      kind === "async"
        ? createTask(() => q.get())
        : createTask(
            (function* () {
              return yield* q.get();
            })(),
          );
    it(`a cancelled getter takes nothing (${kind})`, async () => {
      await runVirtual(async () => {
        const q = new Queue<string>();
        const t1 = getTask(q);
        const t2 = getTask(q);
        await sleep(0);
        t1.cancel();
        await sleep(0);
        expect(t1.done()).toBe(true);
        await q.put("a");
        await sleep(0);
        expect(await t2).toBe("a");
        expect(q.statistics().getters).toBe(0);
      });
    });

    it(`a getter woken then cancelled passes the item's wake-up on (${kind})`, async () => {
      await runVirtual(async () => {
        const q = new Queue<string>();
        const t1 = getTask(q);
        const t2 = getTask(q);
        await sleep(0);
        q.putNowait("a"); // wakes t1
        t1.cancel(); // before it runs
        await expect(t1).rejects.toThrow(CancelledError);
        expect(await t2).toBe("a");
        expect(q.qsize()).toBe(0);
      });
    });
  }

  // test_queues.test_put_cancelled_race
  it("a cancelled putter puts nothing", async () => {
    await runVirtual(async () => {
      const q = new Queue<string>({ maxsize: 1 });
      const putA = createTask(() => q.put("a"));
      const putB = createTask(() => q.put("b"));
      const putC = createTask(() => q.put("X"));
      await sleep(0);
      expect(putA.done()).toBe(true);
      expect(putB.done()).toBe(false);
      putC.cancel();
      await sleep(0);
      expect(putC.done()).toBe(true);
      expect(q.getNowait()).toBe("a");
      await sleep(0);
      expect(q.getNowait()).toBe("b");
      await putB;
      expect(q.empty()).toBe(true);
    });
  });

  // test_queues.test_put_cancel_drop / test_cancelled_put_silence_value_error_exception
  for (const kind of ["async", "generator"] as const) {
    it(`a putter woken then cancelled does not put, and passes the slot on (${kind})`, async () => {
      await runVirtual(async () => {
        const q = new Queue<number>({ maxsize: 1 });
        q.putNowait(1);
        const put = (n: number): Task<void> =>
          kind === "async"
            ? createTask(() => q.put(n))
            : createTask(
                (function* () {
                  yield* q.put(n);
                })(),
              );
        const writer = put(2);
        const other = put(3);
        await sleep(0);
        expect(q.getNowait()).toBe(1); // wakes writer
        writer.cancel();
        await expect(writer).rejects.toThrow(CancelledError);
        await other;
        expect(q.getNowait()).toBe(3);
        expect(q.qsize()).toBe(0);
        expect(q.statistics().putters).toBe(0);
      });
    });
  }

  // test_queues.test_why_are_putters_waiting
  it("putters all finish when a getter drains", async () => {
    await runVirtual(async () => {
      const queue = new Queue<number>({ maxsize: 2 });
      const getter = createTask(async () => {
        await sleep(0);
        const n = queue.qsize();
        for (let i = 0; i < n; i++) queue.getNowait();
      });
      const putters = [0, 1, 2, 3].map((i) => createTask(() => queue.put(i)));
      await Promise.all([getter, ...putters]);
      expect(queue.qsize()).toBe(2);
    });
  });

  // test_queues._QueueJoinTestMixin
  it("taskDone() and join()", async () => {
    await runVirtual(async () => {
      const q = new Queue<number>();
      expect(() => q.taskDone()).toThrow(RangeError);
      expect(q.join().done()).toBe(true);
      for (let i = 0; i < 100; i++) q.putNowait(i);
      let accumulator = 0;
      let running = true;
      const worker = async () => {
        while (running) {
          accumulator += await q.get();
          q.taskDone();
        }
      };
      const tasks = [createTask(worker), createTask(worker)];
      await q.join();
      expect(accumulator).toBe(4950);
      running = false;
      for (let i = 0; i < tasks.length; i++) q.putNowait(0);
      await Promise.all(tasks);
    });
  });

  // test_queues.test_shutdown_*
  it("shutdown(): puts fail, gets drain then fail, waiters wake", async () => {
    await runVirtual(async () => {
      const q = new Queue<string>({ maxsize: 1 });
      q.putNowait("a");
      const putter = createTask(() => q.put("b"));
      await sleep(0);
      q.shutdown();
      await expect(putter).rejects.toThrow(QueueShutDown);
      expect(() => q.putNowait("c")).toThrow(QueueShutDown);
      await expect(q.put("c")).rejects.toThrow(QueueShutDown);
      expect(await q.get()).toBe("a");
      await expect(q.get()).rejects.toThrow(QueueShutDown);
      expect(() => q.getNowait()).toThrow(QueueShutDown);
      const empty = new Queue<string>();
      const getter = createTask(() => empty.get());
      await sleep(0);
      empty.shutdown();
      await expect(getter).rejects.toThrow(QueueShutDown);
    });
  });

  it("shutdown(true) drops items, counts them done and releases join()", async () => {
    await runVirtual(async () => {
      const q = new Queue<number>();
      q.putNowait(1);
      q.putNowait(2);
      const joiner = createTask(() => q.join());
      await sleep(0);
      q.shutdown(true);
      await joiner;
      expect(q.qsize()).toBe(0);
      expect(() => q.getNowait()).toThrow(QueueShutDown);
      expect(q.statistics().shutdown).toBe(true);
    });
  });

  it("get() completes at once, with no loop turn, when an item is there", async () => {
    await runVirtual(async () => {
      const q = new Queue<number>();
      q.putNowait(5);
      const f = q.get();
      expect(f.done()).toBe(true);
      expect(f.result()).toBe(5);
      expect(q.put(6).done()).toBe(true);
      await turns(0);
    });
  });
});

describe("LifoQueue and PriorityQueue", () => {
  it("LifoQueue returns the newest first", async () => {
    await runVirtual(async () => {
      const q = new LifoQueue<number>();
      for (const i of [1, 3, 2]) await q.put(i);
      expect([await q.get(), await q.get(), await q.get()]).toEqual([2, 3, 1]);
    });
  });

  it("PriorityQueue orders numbers, strings and arrays like Python tuples", async () => {
    await runVirtual(async () => {
      const q = new PriorityQueue<number>();
      for (const i of [1, 3, 2]) await q.put(i);
      expect([await q.get(), await q.get(), await q.get()]).toEqual([1, 2, 3]);
      const t = new PriorityQueue<[number, string]>();
      for (const item of [[2, "b"], [1, "z"], [2, "a"], [1, "y"]] as [number, string][]) t.putNowait(item);
      expect([t.getNowait(), t.getNowait(), t.getNowait(), t.getNowait()]).toEqual([[1, "y"], [1, "z"], [2, "a"], [2, "b"]]);
      const s = new PriorityQueue<string | number[]>();
      s.putNowait("b");
      s.putNowait("a");
      expect(s.getNowait()).toBe("a");
      const a = new PriorityQueue<number[]>();
      a.putNowait([1, 2]);
      a.putNowait([1]);
      expect(a.getNowait()).toEqual([1]);
      const bad = new PriorityQueue<unknown>();
      bad.putNowait("x");
      expect(() => bad.putNowait(1)).toThrow(TypeError);
      const custom = new PriorityQueue<{ p: number }>({ compare: (x, y) => y.p - x.p });
      custom.putNowait({ p: 1 });
      custom.putNowait({ p: 9 });
      expect(custom.getNowait()).toEqual({ p: 9 });
    });
  });

  it("PriorityQueue pops equal keys in heapq's order", async () => {
    // python3 -c "import heapq; h=[]; [heapq.heappush(h,(k,i)) for i,k in enumerate([3,1,3,1,2,3,1])]; print([heapq.heappop(h) for _ in range(7)])"
    await runVirtual(async () => {
      const q = new PriorityQueue<{ k: number; i: number }>({ compare: (a, b) => a.k - b.k });
      [3, 1, 3, 1, 2, 3, 1].forEach((k, i) => q.putNowait({ k, i }));
      const out = Array.from({ length: 7 }, () => q.getNowait());
      expect(out.map((x) => x.k)).toEqual([1, 1, 1, 2, 3, 3, 3]);
    });
  });
});
