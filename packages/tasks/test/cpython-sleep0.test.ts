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
import { counter, KINDS, runVirtual } from "./helpers.js";

/**
 * Runs the task `start` makes (given the iteration counter, the log, and a function that
 * queues `t.cancel()` with call_soon), waits for it to end, and returns the log.
 */
async function traceWorker(start: (it: () => number, log: unknown[], cancelSoon: () => void) => Task<void>): Promise<unknown[]> {
  const log: unknown[] = [];
  await runVirtual(async () => {
    const loop = getRunningLoop();
    const it = counter();
    const t: Task<void> = start(it, log, () => loop.callSoon(() => t.cancel()));
    await t.then(undefined, () => undefined);
  });
  return log;
}

/** `worker()` above as a generator, suspending at `yield* pause()` (a bare yield, or sleep(0)). */
function* worker(pause: () => Iterable<unknown>, it: () => number, log: unknown[], cancelSoon: () => void): Generator<unknown, void, unknown> {
  yield* pause();
  log.push(["start", it()]);
  cancelSoon();
  try {
    yield* pause();
    log.push(["no cancel", it()]);
  } catch (e) {
    log.push(["cancelled at", it()]);
    throw e;
  }
}

/** A bare `yield` (CPython's bare yield, what its sleep(0) does), to be delegated to with `yield*`. */
function* bareYield(): Generator<unknown, void, unknown> {
  yield;
}

describe.each(KINDS)("cancel() racing a queued wake-up (%s coroutines)", (kind) => {
  // worker2 above: the awaited future completes, then cancel() (fut_waiter done -> _must_cancel)
  // -> the CancelledError arrives two iterations after start2, at the wake-up the result would have used
  it("a future completed just before cancel(): CancelledError at the wake-up the result would have used", async () => {
    const log = await traceWorker((it, log, cancelSoon) => {
      const loop = getRunningLoop();
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
        cancelSoon();
        return f;
      };
      return kind === "async"
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
    });
    expect(log).toEqual([["cancelled after", 2]]);
  });
});

describe("cancel() of a generator task suspended at a bare yield", () => {
  // A bare `yield` is CPython's bare yield (what sleep(0) does): the step is queued with
  // no _fut_waiter, so a cancel() made before it runs is delivered by that very step.
  // -> ('start', 2), ('cancelled at', 3)
  it("is delivered by the step already queued", async () => {
    const log = await traceWorker((it, log, cancelSoon) => createTask(worker(bareYield, it, log, cancelSoon)));
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
    const log = await traceWorker((it, log, cancelSoon) =>
      kind === "async"
        ? createTask(async () => {
            await sleep(0);
            log.push(["start", it()]);
            cancelSoon();
            try {
              await sleep(0);
              log.push(["no cancel", it()]);
            } catch (e) {
              log.push(["cancelled at", it()]);
              throw e;
            }
          })
        : createTask(worker(() => sleep(0), it, log, cancelSoon)),
    );
    expect(log).toEqual([
      ["start", 2],
      ["cancelled at", 3],
    ]);
  });
});
