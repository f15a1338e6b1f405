import { CancelledError, createTask, sleep } from "@asyncio-ts/tasks";
import { describe, expect, it } from "vitest";
import { Barrier, BrokenBarrierError } from "../src/index.js";
import { runVirtual } from "./helpers.js";

describe("Barrier", () => {
  it("validates parties", () => {
    expect(() => new Barrier(0)).toThrow(RangeError);
    expect(() => new Barrier("2" as never)).toThrow(TypeError);
  });

  // test_locks.BarrierTests.test_filling_tasks_check_return_value / test_draining_state
  it("releases all parties together with distinct indices, and is reusable", async () => {
    await runVirtual(async () => {
      const barrier = new Barrier(3);
      expect(String(barrier)).toBe("<Barrier [filling, waiters:0/3]>");
      const waiter = () => createTask(() => barrier.wait());
      const first = [waiter(), waiter()];
      await sleep(0);
      expect(barrier.nWaiting).toBe(2);
      const last = waiter();
      const indices = await Promise.all([...first, last]);
      expect([...indices].sort()).toEqual([0, 1, 2]);
      expect(barrier.nWaiting).toBe(0);
      expect(barrier.statistics().state).toBe("filling");
      const again = await Promise.all([waiter(), waiter(), waiter()]);
      expect([...again].sort()).toEqual([0, 1, 2]);
      expect(barrier.parties).toBe(3);
    });
  });

  // test_locks.BarrierTests.test_filling_tasks_cancel_one
  for (const kind of ["async", "generator"] as const) {
    it(`a cancelled waiter leaves the barrier (${kind})`, async () => {
      await runVirtual(async () => {
        const barrier = new Barrier(3);
        const t1 = createTask(() => barrier.wait());
        const t2 =
          kind === "async"
            ? createTask(() => barrier.wait())
            : createTask(
                (function* () {
                  return yield* barrier.wait();
                })(),
              );
        await sleep(0);
        expect(barrier.nWaiting).toBe(2);
        t2.cancel();
        await expect(t2).rejects.toThrow(CancelledError);
        expect(barrier.nWaiting).toBe(1);
        const t3 = createTask(() => barrier.wait());
        const t4 = createTask(() => barrier.wait());
        const indices = await Promise.all([t1, t3, t4]);
        expect([...indices].sort()).toEqual([0, 1, 2]);
      });
    });
  }

  // test_locks.BarrierTests.test_abort_barrier / test_reset_barrier_while_tasks_waiting
  it("abort() breaks it; reset() wakes waiters with BrokenBarrierError", async () => {
    await runVirtual(async () => {
      const barrier = new Barrier(3);
      const waiting = [createTask(() => barrier.wait()), createTask(() => barrier.wait())];
      await sleep(0);
      await barrier.reset();
      for (const t of waiting) await expect(t).rejects.toThrow(BrokenBarrierError);
      expect(barrier.broken).toBe(false);
      expect(barrier.statistics().state).toBe("filling");
      const w = createTask(() => barrier.wait());
      await sleep(0);
      await barrier.abort();
      await expect(w).rejects.toThrow("Abort or reset of barrier");
      expect(barrier.broken).toBe(true);
      await expect(barrier.wait()).rejects.toThrow("Barrier aborted");
      await barrier.reset();
      expect(barrier.broken).toBe(false);
      expect(new BrokenBarrierError().name).toBe("BrokenBarrierError");
    });
  });

  it("a single party never blocks", async () => {
    await runVirtual(async () => {
      const barrier = new Barrier(1);
      expect(await barrier.wait()).toBe(0);
      expect(await barrier.wait()).toBe(0);
    });
  });
});
