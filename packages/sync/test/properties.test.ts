// Property-based: cancel waiters at random moments and check that no permit,
// item or wake-up is lost or duplicated, for both coroutine kinds.
import { CancelledError, createTask, sleep, type Task } from "@asyncio-ts/tasks";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Condition, Lock, Queue, Semaphore } from "../src/index.js";
import { runVirtual } from "./helpers.js";

interface Actor {
  /** Virtual time when the actor starts. */
  start: number;
  /** How long it holds / works. */
  hold: number;
  /** Virtual time at which it is cancelled, if any. */
  cancelAt: number | null;
  generator: boolean;
}

const actor = fc.record({
  start: fc.integer({ min: 0, max: 5 }).map((x) => x / 2),
  hold: fc.integer({ min: 0, max: 4 }).map((x) => x / 2),
  cancelAt: fc.option(fc.integer({ min: 0, max: 12 }).map((x) => x / 4), { nil: null }),
  generator: fc.boolean(),
});

function cancelLater(task: Task<unknown>, at: number | null): void {
  if (at !== null) task.getLoop().callAt(at, () => task.cancel());
}

async function settle(tasks: Task<unknown>[]): Promise<void> {
  for (const t of tasks) {
    try {
      await t;
    } catch (error) {
      if (!(error instanceof CancelledError)) throw error;
    }
  }
}

describe("properties", () => {
  it("Semaphore/Lock: never more holders than permits, and every permit comes back", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 3 }), fc.array(actor, { minLength: 1, maxLength: 8 }), fc.boolean(), async (permits, actors, useLock) => {
        await runVirtual(async () => {
          const sem = useLock ? null : new Semaphore(permits);
          const lock = useLock ? new Lock() : null;
          const limit = useLock ? 1 : permits;
          let holders = 0;
          let peak = 0;
          const acquire = () => (lock ?? sem!).acquire();
          const release = () => (lock ?? sem!).release();
          const enter = () => {
            holders++;
            peak = Math.max(peak, holders);
          };
          const tasks = actors.map((a) => {
            const task = a.generator
              ? createTask(
                  (function* () {
                    yield* sleep(a.start);
                    yield* acquire();
                    enter();
                    try {
                      yield* sleep(a.hold);
                    } finally {
                      holders--;
                      release();
                    }
                  })(),
                )
              : createTask(async () => {
                  await sleep(a.start);
                  await acquire();
                  enter();
                  try {
                    await sleep(a.hold);
                  } finally {
                    holders--;
                    release();
                  }
                });
            cancelLater(task, a.cancelAt);
            return task;
          });
          await settle(tasks);
          expect(peak).toBeLessThanOrEqual(limit);
          expect(holders).toBe(0);
          if (sem) expect(sem.statistics()).toEqual({ value: permits, locked: false, waiters: 0 });
          if (lock) expect(lock.statistics().locked).toBe(false);
          if (lock) expect(lock.statistics().waiters).toBe(0);
          // Nothing is stuck: a fresh acquire succeeds at once.
          expect(acquire().done()).toBe(true);
        });
      }),
      { numRuns: 150 },
    );
  });

  it("Queue: every item put is got exactly once or is still queued; cancelled puts put nothing", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.array(actor, { minLength: 1, maxLength: 6 }),
        fc.array(actor, { minLength: 1, maxLength: 6 }),
        async (maxsize, producers, consumers) => {
          await runVirtual(async () => {
            const q = new Queue<number>({ maxsize });
            const put = new Set<number>();
            const got: number[] = [];
            const tasks: Task<unknown>[] = [];
            producers.forEach((a, p) => {
              const items = [0, 1, 2].map((i) => p * 10 + i);
              const task = a.generator
                ? createTask(
                    (function* () {
                      yield* sleep(a.start);
                      for (const item of items) {
                        yield* q.put(item);
                        put.add(item);
                        yield* sleep(a.hold);
                      }
                    })(),
                  )
                : createTask(async () => {
                    await sleep(a.start);
                    for (const item of items) {
                      await q.put(item);
                      put.add(item);
                      await sleep(a.hold);
                    }
                  });
              // A producer can block forever once every consumer is gone: stop it late.
              cancelLater(task, a.cancelAt ?? 25);
              tasks.push(task);
            });
            consumers.forEach((a) => {
              const task = a.generator
                ? createTask(
                    (function* () {
                      yield* sleep(a.start);
                      for (;;) {
                        got.push(yield* q.get());
                        yield* sleep(a.hold);
                      }
                    })(),
                  )
                : createTask(async () => {
                    await sleep(a.start);
                    for (;;) {
                      got.push(await q.get());
                      await sleep(a.hold);
                    }
                  });
              // Consumers loop forever: always cancel them eventually.
              cancelLater(task, a.cancelAt ?? 20);
              tasks.push(task);
            });
            await settle(tasks);
            const remaining: number[] = [];
            while (!q.empty()) remaining.push(q.getNowait());
            const all = [...got, ...remaining].sort((x, y) => x - y);
            expect(all).toEqual([...put].sort((x, y) => x - y));
            const stats = q.statistics();
            expect(stats.getters + stats.putters).toBe(0);
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it("Condition: a notified consumer that is cancelled never loses the wake-up", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(actor, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 5 }), async (cancellable, items) => {
        await runVirtual(async () => {
          const cond = new Condition();
          let state = 0;
          let consumed = 0;
          const consumer = (a: Actor | null): Task<unknown> => {
            const generator = a?.generator ?? false;
            const task = generator
              ? createTask(
                  (function* () {
                    yield* cond.use(
                      (function* () {
                        for (;;) {
                          yield* cond.waitFor(() => state !== 0);
                          if (state < 0) return;
                          state--;
                          consumed++;
                        }
                      })(),
                    );
                  })(),
                )
              : createTask(() =>
                  cond.use(async () => {
                    for (;;) {
                      await cond.waitFor(() => state !== 0);
                      if (state < 0) return;
                      state--;
                      consumed++;
                    }
                  }),
                );
            if (a !== null) cancelLater(task, a.cancelAt ?? 0.25);
            return task;
          };
          const tasks = cancellable.map(consumer);
          const survivor = consumer(null);
          for (let i = 0; i < items; i++) {
            await sleep(0.25);
            await cond.use(async () => {
              state++;
              cond.notify(1);
            });
          }
          await sleep(10);
          expect(consumed).toBe(items);
          expect(state).toBe(0);
          await cond.use(async () => {
            state = -1;
            cond.notifyAll();
          });
          await settle([...tasks, survivor]);
          expect(cond.locked()).toBe(false);
          expect(cond.statistics().waiters).toBe(0);
        });
      }),
      { numRuns: 150 },
    );
  });
});
