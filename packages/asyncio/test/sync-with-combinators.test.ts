// Sync primitives under the combinators (test_locks.ConditionTests.test_timeout_in_block,
// test_queues' wait_for(queue.get()) tests, and more), with the trace recorded from python3.12.
import { EventLoop, getRunningLoop, VirtualClock } from "@asyncio-ts/loop";
import { describe, expect, it } from "vitest";
import { Barrier, Condition, createTask, ensureFuture, gather, Lock, Queue, run, Semaphore, shield, sleep, timeout, waitFor } from "../src/index.js";

describe("sync primitives with waitFor / timeout / gather / shield", () => {
  // python3.12 → ('get', 'TimeoutError', 0.1, 0), ('cond', 'TimeoutError', True, 0), ('lock held, timeout 0', 'TimeoutError', 0),
  //   ('timeout cm', 'TimeoutError', 0), ('gather cancelled', 0, 0), ('shield', True, 2), ('barrier', 0, 'filling, waiters:0/2]>'),
  //   ('sem race timeout', 1, False)
  it("a timed-out or cancelled operation leaves nothing queued, and loses no permit", async () => {
    const log: unknown[] = [];
    const name = (e: unknown) => (e as Error).name;
    await run(
      async () => {
        const loop = getRunningLoop();
        const q = new Queue<number>();
        const t0 = loop.time();
        try {
          await waitFor(q.get(), 0.1);
        } catch (e) {
          log.push(["get", name(e), loop.time() - t0, q.statistics().getters]);
        }
        const cond = new Condition();
        await cond.use(async () => {
          try {
            await waitFor(cond.wait(), 0.5);
          } catch (e) {
            log.push(["cond", name(e), cond.locked(), cond.statistics().waiters]);
          }
        });
        const lock = new Lock();
        await lock.acquire();
        try {
          await waitFor(lock.acquire(), 0);
        } catch (e) {
          log.push(["lock held, timeout 0", name(e), lock.statistics().waiters]);
        }
        try {
          await timeout(0.1, async () => {
            await lock.acquire();
          });
        } catch (e) {
          log.push(["timeout cm", name(e), lock.statistics().waiters]);
        }
        lock.release();
        // One get takes the item before the gather is cancelled: the item is gone with it, as in CPython.
        const g = gather(q.get(), q.get());
        await sleep(0);
        q.putNowait(1);
        await sleep(0);
        g.cancel();
        await g.then(
          () => null,
          () => log.push(["gather cancelled", q.qsize(), q.statistics().getters]),
        );
        const inner = ensureFuture(q.get());
        const t = createTask(async () => await shield(inner));
        await sleep(0);
        t.cancel();
        await sleep(0);
        q.putNowait(2);
        await sleep(0);
        log.push(["shield", t.cancelled(), inner.done() && inner.result()]);
        const b = new Barrier(2);
        try {
          await waitFor(b.wait(), 0.1);
        } catch {
          log.push(["barrier", b.nWaiting, String(b).split("[")[1]]);
        }
        // The permit arrives in the iteration the timeout fires (its timer first): TimeoutError, the permit kept.
        const sem = new Semaphore(0);
        loop.callLater(0.1, () => sem.release());
        try {
          log.push(["sem race", await waitFor(sem.acquire(), 0.1)]);
        } catch {
          log.push(["sem race timeout", sem.statistics().value, sem.locked()]);
        }
      },
      { loopFactory: () => new EventLoop({ clock: new VirtualClock() }) },
    );
    expect(log).toEqual([
      ["get", "TimeoutError", 0.1, 0],
      ["cond", "TimeoutError", true, 0],
      ["lock held, timeout 0", "TimeoutError", 0],
      ["timeout cm", "TimeoutError", 0],
      ["gather cancelled", 0, 0],
      ["shield", true, 2],
      ["barrier", 0, "filling, waiters:0/2]>"],
      ["sem race timeout", 1, false],
    ]);
  });
});
