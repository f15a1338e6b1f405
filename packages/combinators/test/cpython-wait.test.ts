// wait() behaviours of CPython 3.12 (test_tasks.py test_wait_*) not covered by
// wait.test.ts, with the virtual clock standing in for CPython's test loop.
import { describe, expect, it } from "vitest";
import { createTask, getRunningLoop, sleep, type Task } from "./imports.js";
import { FIRST_COMPLETED, FIRST_EXCEPTION, wait } from "@asyncio-ts/combinators";
import { KINDS, runVirtual, type Kind } from "./helpers.js";

function sleeper(kind: Kind, zeros: number): Task<void> {
  return kind === "async"
    ? createTask(async () => {
        for (let i = 0; i < zeros; i++) await sleep(0);
      })
    : createTask(
        (function* () {
          for (let i = 0; i < zeros; i++) yield* sleep(0);
        })(),
      );
}

describe.each(KINDS)("wait (%s coroutines)", (kind) => {
  // test_wait_really_done: a = coro1() (one sleep(0)), b = coro2() (two sleep(0))
  // task = create_task(wait([b, a], return_when=FIRST_COMPLETED)) -> done == {a, b} (b finished before wait resumed)
  it("FIRST_COMPLETED: futures that finished before the waiter resumed are in done too", async () => {
    await runVirtual(async () => {
      const a = sleeper(kind, 1);
      const b = sleeper(kind, 2);
      const t = createTask(async () => await wait([b, a], { returnWhen: FIRST_COMPLETED }));
      const [done, pending] = await t;
      expect(done).toEqual(new Set([a, b]));
      expect(pending.size).toBe(0);
      expect([a.result(), b.result()]).toEqual([undefined, undefined]);
    });
  });

  // test_wait_first_exception: a = task(sleep(10)); b = task(exc()) raising at once
  // wait([b, a], return_when=FIRST_EXCEPTION) -> done {b}, pending {a}, loop.time() == 0
  // test_wait_first_exception_in_wait: b sleeps 0.01 then raises -> done {b}, pending {a}, loop.time() == 0.01
  it("FIRST_EXCEPTION returns at the first error, whether it is there already or arrives while waiting", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const t0 = loop.time();
      const a = createTask(() => sleep(10));
      const failing = (delay: number | null) =>
        kind === "async"
          ? createTask(async () => {
              if (delay !== null) await sleep(delay);
              throw new RangeError("err");
            })
          : createTask(
              (function* (): Generator<unknown, void, unknown> {
                if (delay !== null) yield* sleep(delay);
                throw new RangeError("err");
              })(),
            );
      let b = failing(null);
      let [done, pending] = await wait([b, a], { returnWhen: FIRST_EXCEPTION });
      expect([done, pending, loop.time() - t0]).toEqual([new Set([b]), new Set([a]), 0]);
      b.exception();
      b = failing(0.01);
      [done, pending] = await wait([b, a], { returnWhen: FIRST_EXCEPTION });
      expect([done, pending, Math.round((loop.time() - t0) * 1000) / 1000]).toEqual([new Set([b]), new Set([a]), 0.01]);
      b.exception();
      a.cancel();
    });
  });
});

describe("wait with a timeout and iterators", () => {
  // test_wait_concurrent_complete: a = task(sleep(0.1)), b = task(sleep(0.15)); wait([b, a], timeout=0.1)
  // -> done {a}, pending {b}, loop.time() == 0.1 (a finishing at the deadline counts as done)
  it("a future finishing at the very deadline is in done", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const a = createTask(() => sleep(0.1));
      const b = createTask(() => sleep(0.15));
      // run_until_complete(wait(...)) runs wait in a task created after a and b: its timer is armed after a's.
      const [done, pending] = await createTask(async () => await wait([b, a], { timeout: 0.1 }));
      expect([done, pending, loop.time()]).toEqual([new Set([a]), new Set([b]), 0.1]);
      await b;
    });
  });

  // test_wait_with_iterator_of_tasks: wait(iter([b, a])) -> done {a, b}, pending empty, time 0.15
  it("takes an iterator of tasks", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const a = createTask(() => sleep(0.1));
      const b = createTask(() => sleep(0.15));
      const [done, pending] = await wait([b, a][Symbol.iterator]());
      expect([done, pending.size, loop.time()]).toEqual([new Set([a, b]), 0, 0.15]);
    });
  });
});
