import { CancelledError, createTask, sleep, type Task } from "@asyncio-ts/tasks";
import { describe, expect, it } from "vitest";
import { BoundedSemaphore, Semaphore } from "../src/index.js";
import { runVirtual, tracer, turns } from "./helpers.js";

describe("Semaphore", () => {
  it("validates its value", () => {
    expect(() => new Semaphore(-1)).toThrow(RangeError);
    expect(() => new Semaphore("1" as never)).toThrow(TypeError);
    expect(new Semaphore().statistics().value).toBe(1);
  });

  // test_locks.SemaphoreTests.test_acquire
  it("limits concurrent holders and serves waiters FIFO", async () => {
    const { trace, log } = tracer();
    await runVirtual(async () => {
      const sem = new Semaphore(3);
      const active: number[] = [];
      let peak = 0;
      const worker = (n: number) => () =>
        sem.use(async () => {
          active.push(n);
          peak = Math.max(peak, active.length);
          log("start", n);
          await sleep(1);
          active.splice(active.indexOf(n), 1);
        });
      await Promise.all([1, 2, 3, 4, 5, 6, 7].map((n) => createTask(worker(n))));
      expect(peak).toBe(3);
      expect(sem.statistics()).toEqual({ value: 3, locked: false, waiters: 0 });
    });
    expect(trace).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => `start ${n}`));
  });

  // test_locks.SemaphoreTests.test_acquire_cancel_before_awoken / test_acquire_hang
  for (const kind of ["async", "generator"] as const) {
    it(`a waiter woken then cancelled gives its permit on (${kind})`, async () => {
      const { trace, log } = tracer();
      await runVirtual(async () => {
        const sem = new Semaphore(0);
        const make = (name: string): Task<unknown> =>
          kind === "async"
            ? createTask(async () => {
                await sem.acquire();
                log(name);
              })
            : createTask(
                (function* () {
                  yield* sem.acquire();
                  log(name);
                })(),
              );
        const t1 = make("t1");
        const t2 = make("t2");
        const t3 = make("t3");
        await turns(1);
        sem.release(); // wakes t1
        t1.cancel(); // cancelled before it runs
        await turns(3);
        expect(t1.cancelled()).toBe(true);
        expect(trace).toEqual(["t2"]);
        expect(sem.statistics().value).toBe(0);
        sem.release();
        await turns(2);
        expect(trace).toEqual(["t2", "t3"]);
        await Promise.allSettled([t1, t2, t3]);
      });
    });
  }

  // test_locks.SemaphoreTests.test_acquire_fifo_order_3 (no barging)
  it("a newcomer does not jump the queue while a woken waiter has not run", async () => {
    const { trace, log } = tracer();
    await runVirtual(async () => {
      const sem = new Semaphore(0);
      const c = (name: string) => async () => {
        await sem.acquire();
        log(name);
        sem.release();
      };
      const a = createTask(c("a"));
      await sleep(0);
      sem.release();
      expect(sem.locked()).toBe(true); // a is woken, the permit is its
      const b = createTask(c("b"));
      await Promise.all([a, b]);
    });
    expect(trace).toEqual(["a", "b"]);
  });

  it("cancelled waiters are skipped and leave nothing queued", async () => {
    await runVirtual(async () => {
      const sem = new Semaphore(1);
      await sem.acquire();
      const tasks = [0, 1, 2].map(() => createTask(() => sem.acquire()));
      await sleep(0);
      tasks[0].cancel();
      tasks[1].cancel();
      await sleep(0);
      sem.release();
      await tasks[2];
      expect(sem.statistics()).toEqual({ value: 0, locked: true, waiters: 0 });
    });
  });
});

describe("BoundedSemaphore", () => {
  it("over-release is a RangeError", async () => {
    await runVirtual(async () => {
      const sem = new BoundedSemaphore(2);
      await sem.acquire();
      sem.release();
      expect(() => sem.release()).toThrow(RangeError);
      expect(() => sem.release()).toThrow("BoundedSemaphore released too many times");
      expect(sem instanceof Semaphore).toBe(true);
      expect(String(sem)).toBe("<BoundedSemaphore [unlocked, value:2]>");
    });
  });
  it("acquireDisposable() gives the permit back exactly once", async () => {
    await runVirtual(async () => {
      const sem = new BoundedSemaphore(1);
      {
        using held = await sem.acquireDisposable();
        expect(sem.locked()).toBe(true);
        held.release();
        expect(held.released).toBe(true);
      }
      expect(sem.statistics().value).toBe(1);
      await expect(
        (async () => {
          await using _held = await sem.acquireDisposable();
          throw new CancelledError("x");
        })(),
      ).rejects.toThrow(CancelledError);
      expect(sem.statistics().value).toBe(1);
    });
  });
});
