import { CancelledError, createTask, sleep } from "@asyncio-ts/tasks";
import { describe, expect, it } from "vitest";
import { Event } from "../src/index.js";
import { runVirtual, tracer, turns } from "./helpers.js";

describe("Event", () => {
  // test_locks.EventTests.test_wait
  it("set() wakes every waiter in order; wait() is immediate once set", async () => {
    const { trace, log } = tracer();
    await runVirtual(async () => {
      const ev = new Event();
      expect(ev.isSet()).toBe(false);
      const c = (n: number) => async () => {
        if (await ev.wait()) log(n);
      };
      const t1 = createTask(c(1));
      const t2 = createTask(c(2));
      await sleep(0);
      expect(trace).toEqual([]);
      expect(ev.statistics()).toEqual({ isSet: false, waiters: 2 });
      const t3 = createTask(c(3));
      ev.set();
      await sleep(0);
      expect(trace).toEqual(["3", "1", "2"]);
      expect(t1.done() && t2.done() && t3.done()).toBe(true);
      expect(String(ev)).toBe("<Event [set]>");
      expect(ev.wait().done()).toBe(true);
      ev.clear();
      expect(ev.isSet()).toBe(false);
    });
  });

  // test_locks.EventTests.test_wait_cancel / test_clear_with_waiters
  for (const kind of ["async", "generator"] as const) {
    it(`a cancelled wait leaves no waiter behind (${kind})`, async () => {
      await runVirtual(async () => {
        const ev = new Event();
        const t =
          kind === "async"
            ? createTask(() => ev.wait())
            : createTask(
                (function* () {
                  return yield* ev.wait();
                })(),
              );
        await turns(1);
        t.cancel();
        await expect(t).rejects.toThrow(CancelledError);
        expect(ev.statistics().waiters).toBe(0);
      });
    });
  }

  it("clear() right after set() still wakes those already waiting", async () => {
    await runVirtual(async () => {
      const ev = new Event();
      let result: unknown = null;
      const t = createTask(async () => {
        result = await ev.wait();
      });
      await sleep(0);
      ev.set();
      ev.clear();
      expect(ev.isSet()).toBe(false);
      await t;
      expect(result).toBe(true);
      expect(ev.statistics().waiters).toBe(0);
    });
  });
});
