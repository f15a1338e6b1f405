// When exactly a cancel() reaches a task whose wake-up is already queued, counted
// in loop iterations by a callback that re-queues itself. CPython 3.12 trace
// (~/.pyenv/versions/3.12.1/bin/python3):
//
//   it = 0; def tick(): it += 1; if it < 10: loop.call_soon(tick)
//   async def worker():
//       await asyncio.sleep(0); log("start", it)
//       loop.call_soon(t.cancel)          # queued before the worker's own wake-up
//       try: await asyncio.sleep(0); log("no cancel", it)
//       except CancelledError: log("cancelled at", it); raise
//   async def worker2():
//       await asyncio.sleep(0); log("start2", it)
//       f = loop.create_future(); loop.call_soon(f.set_result, 1); loop.call_soon(t2.cancel)
//       try: await f ... except CancelledError: log("cancelled2 at", it)
//   -> [('start', 2), ('cancelled at', 3), ('start2', 6), ('cancelled2 at', 8)]
import { describe, expect, it } from "vitest";
import { getRunningLoop } from "@asyncio-ts/loop";
import { createTask, sleep, type Future, type Task } from "@asyncio-ts/tasks";
import { runVirtual } from "./helpers.js";

const KINDS = ["async", "generator"] as const;

/** Starts the iteration counter; returns a reader. */
function counter(): () => number {
  const loop = getRunningLoop();
  let n = 0;
  const tick = (): void => {
    n++;
    if (n < 20) loop.callSoon(tick);
  };
  loop.callSoon(tick);
  return () => n;
}

describe.each(KINDS)("cancel() racing a queued wake-up (%s coroutines)", (kind) => {
  // worker2 above: the awaited future completes, then cancel() (fut_waiter done -> _must_cancel)
  // -> the CancelledError arrives two iterations after start2, at the wake-up the result would have used
  it("a future completed just before cancel(): CancelledError at the wake-up the result would have used", async () => {
    const log: unknown[] = [];
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const it = counter();
      let t!: Task<void>;
      let start = 0;
      const body = function* (f: Future<number>): Generator<unknown, void, unknown> {
        try {
          yield* f;
          log.push(["no cancel", it() - start]);
        } catch (e) {
          log.push(["cancelled after", it() - start]);
          throw e;
        }
      };
      const setup = (): Future<number> => {
        start = it();
        const f = loop.createFuture() as Future<number>;
        loop.callSoon(() => f.setResult(1));
        loop.callSoon(() => t.cancel());
        return f;
      };
      t =
        kind === "async"
          ? createTask(async () => {
              await sleep(0);
              const f = setup();
              try {
                await f;
                log.push(["no cancel", it() - start]);
              } catch (e) {
                log.push(["cancelled after", it() - start]);
                throw e;
              }
            })
          : createTask(
              (function* () {
                yield* sleep(0);
                yield* body(setup());
              })(),
            );
      await t.then(undefined, () => undefined);
    });
    expect(log).toEqual([["cancelled after", 2]]);
  });
});

describe("cancel() of a generator task suspended at a bare yield", () => {
  // A bare `yield` is CPython's bare yield (what sleep(0) does): the step is queued with
  // no _fut_waiter, so a cancel() made before it runs is delivered by that very step.
  // -> ('start', 2), ('cancelled at', 3)
  it("is delivered by the step already queued", async () => {
    const log: unknown[] = [];
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const it = counter();
      const t: Task<void> = createTask(
        (function* () {
          yield;
          log.push(["start", it()]);
          loop.callSoon(() => t.cancel());
          try {
            yield;
            log.push(["no cancel", it()]);
          } catch (e) {
            log.push(["cancelled at", it()]);
            throw e;
          }
        })(),
      );
      await t.then(undefined, () => undefined);
    });
    expect(log).toEqual([
      ["start", 2],
      ["cancelled at", 3],
    ]);
  });
});

describe("a cancel() that reaches a task in sleep(0) is delivered at its queued step", () => {
  // CPython (worker above): ('start', 2), ('cancelled at', 3): sleep(0) is a bare
  // yield, the task's step is already queued with _fut_waiter None, so cancel()
  // only sets _must_cancel and that queued step throws CancelledError.
  // Ours treats a pending sleep(0) the same way: Task.cancel leaves it be and
  // the queued wake-up delivers the cancel.
  it.each(KINDS)("delivers CancelledError at the wake-up already queued (%s)", async (kind) => {
    const log: unknown[] = [];
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const it = counter();
      let t!: Task<void>;
      if (kind === "async") {
        t = createTask(async () => {
          await sleep(0);
          log.push(["start", it()]);
          loop.callSoon(() => t.cancel());
          try {
            await sleep(0);
            log.push(["no cancel", it()]);
          } catch (e) {
            log.push(["cancelled at", it()]);
            throw e;
          }
        });
      } else {
        t = createTask(
          (function* () {
            yield* sleep(0);
            log.push(["start", it()]);
            loop.callSoon(() => t.cancel());
            try {
              yield* sleep(0);
              log.push(["no cancel", it()]);
            } catch (e) {
              log.push(["cancelled at", it()]);
              throw e;
            }
          })(),
        );
      }
      await t.then(undefined, () => undefined);
    });
    expect(log).toEqual([
      ["start", 2],
      ["cancelled at", 3],
    ]);
  });
});
