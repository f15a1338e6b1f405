// A pool keeps the next call on a busy worker before the running one ends
// (PIPELINE_DEPTH calls per worker). A call sent ahead has not started: it is
// cancelled without running, moved to a worker that has nothing to do, and
// rescheduled when its worker dies; its future never gets stuck.
import { describe, expect, it } from "vitest";
import { CancelledError } from "@asyncio-ts/tasks";
import { moduleFunction, ThreadPoolExecutor } from "@asyncio-ts/threads";
import { sharedCounter, waitForWord, work } from "./helpers.js";

describe("ThreadPoolExecutor: calls sent ahead to a busy worker", () => {
  it("count as queued, not running, until the worker starts them", async () => {
    const flags = new SharedArrayBuffer(4);
    const pool = new ThreadPoolExecutor({ maxWorkers: 1, cancelGracePeriod: 5 });
    const running = pool.submit(work("waitForAbort"), flags);
    const ahead = pool.submit(work("add"), 1, 2); // sent to the worker, behind the running call
    const queued = pool.submit(work("add"), 2, 3); // waits in the pool
    await waitForWord(flags, 1);
    expect(running.running()).toBe(true);
    expect([ahead.running(), queued.running()]).toEqual([false, false]);
    expect(pool.statistics()).toEqual({ workers: 1, busy: 1, queued: 2 });
    expect(String(ahead)).toBe("<ConcurrentFuture state=pending>");
    running.cancel();
    expect(await ahead).toBe(3);
    expect(await queued).toBe(5);
    await pool.shutdown();
  });

  it("a call sent ahead and then cancelled never runs; the worker goes on", async () => {
    const counter = sharedCounter();
    const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const first = await pool.submit(work("threadId"));
    const busy = pool.submit(work("spin"), 150);
    const ahead = pool.submit(work("count"), counter.buffer);
    const queued = pool.submit(work("count"), counter.buffer);
    expect(ahead.cancel()).toBe(true);
    expect(queued.cancel()).toBe(true);
    await expect(ahead).rejects.toBeInstanceOf(CancelledError);
    expect(await busy).toBe(150);
    expect(await pool.submit(work("threadId"))).toBe(first); // same thread
    expect(counter.value()).toBe(0);
    await pool.shutdown();
  });

  it("cancelled at any moment, each call runs at most once and every future settles", async () => {
    const n = 200;
    const runs = new SharedArrayBuffer(4 * n);
    const pool = new ThreadPoolExecutor({ maxWorkers: 2 });
    const futures = [];
    for (let i = 0; i < n; i++) {
      futures.push(pool.submit(work("countRun"), runs, i));
      if (i % 3 === 1) futures[i - 1].cancel();
      if (i % 7 === 0) await new Promise((resolve) => setImmediate(resolve));
      if (i % 5 === 4) futures[i].cancel();
    }
    const outcomes = await Promise.allSettled(futures);
    const counts = new Int32Array(runs);
    for (let i = 0; i < n; i++) {
      expect(counts[i]).toBeLessThanOrEqual(1);
      if (outcomes[i].status === "fulfilled") expect([i, counts[i]]).toEqual([i, 1]);
      else expect((outcomes[i] as PromiseRejectedResult).reason).toBeInstanceOf(CancelledError);
    }
    await pool.shutdown();
  });

  it("a call waiting behind a long one moves to a worker that has nothing to do", async () => {
    const pool = new ThreadPoolExecutor({ maxWorkers: 2 });
    const [one, two] = await Promise.all([pool.submit(work("threadId")), pool.submit(work("threadId"))]);
    const long = pool.submit(work("spin"), 1000); // on one worker
    const quick = pool.submit(work("spin"), 30); // on the other
    const behind = pool.submit(work("threadId")); // sent ahead to one of them
    const started = performance.now();
    const ranOn = await behind;
    expect(performance.now() - started).toBeLessThan(700); // not after the long call
    expect([one, two]).toContain(ranOn);
    expect(long.done()).toBe(false);
    await quick;
    await long;
    await pool.shutdown();
  });

  it("cancelFutures at shutdown cancels calls sent ahead; the running call finishes", async () => {
    const counter = sharedCounter();
    const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    await pool.submit(work("threadId"));
    const running = pool.submit(work("spin"), 100);
    const ahead = pool.submit(work("count"), counter.buffer);
    await new Promise((resolve) => setTimeout(resolve, 30));
    await pool.shutdown({ cancelFutures: true });
    expect(running.result()).toBe(100);
    expect(ahead.cancelled()).toBe(true);
    expect(counter.value()).toBe(0);
  });
});

describe("ThreadPoolExecutor: a worker dies with calls sent ahead", () => {
  it("a stray error fails the running call; the calls behind it run on a new thread", async () => {
    const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const crashed = await pool.submit(work("threadId"));
    const crashing = pool.submit(work("crashLater"));
    const behind = [pool.submit(work("add"), 1, 2), pool.submit(work("add"), 2, 2), pool.submit(work("threadId"))];
    await expect(crashing).rejects.toThrow("stray error");
    const [three, four, ranOn] = await Promise.all(behind);
    expect([three, four]).toEqual([3, 4]);
    expect(ranOn).not.toBe(crashed);
    await pool.shutdown();
  });

  it("process.exit() fails that call; the call sent ahead runs elsewhere, even for a thread blocked in result()", async () => {
    const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const exiting = pool.submit(work("exitThread"), 5);
    const ahead = pool.submit(work("add"), 20, 22);
    expect(ahead.result(10)).toBe(42); // blocking: the replacement starts without the event loop
    await expect(exiting).rejects.toThrow(/process\.exit\(5\)/);
    await pool.shutdown();
  });

  it("a call sent ahead with transferred arguments fails instead of running without them", async () => {
    const { transfer } = await import("@asyncio-ts/threads");
    const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const exiting = pool.submit(work("exitThread"), 6);
    const ahead = pool.submit(work("byteLength"), transfer(new Uint8Array(64)));
    await expect(exiting).rejects.toThrow(/process\.exit\(6\)/);
    await expect(ahead).rejects.toThrow(/never started.*transfer/);
    expect(await pool.submit(work("add"), 1, 1)).toBe(2);
    await pool.shutdown();
  });

  it("running out of memory fails the running call; the call sent ahead runs on a new thread", async () => {
    const pool = new ThreadPoolExecutor({ maxWorkers: 1, resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 } });
    await pool.submit(work("threadId"));
    const hog = pool.submit(work("exhaustHeap"));
    const ahead = pool.submit(work("add"), 5, 5);
    await expect(hog).rejects.toMatchObject({ code: "ERR_WORKER_OUT_OF_MEMORY" });
    expect(await ahead).toBe(10);
    await pool.shutdown();
  });

  it("a module that ends the thread as it loads fails the call that imported it, once", async () => {
    const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const exitsOnLoad = moduleFunction("data:text/javascript,process.exit(7); export const f = () => 1;", "f");
    const failing = pool.submit(exitsOnLoad);
    const behind = pool.submit(work("add"), 3, 4);
    await expect(failing).rejects.toThrow(/process\.exit\(7\)/);
    expect(await behind).toBe(7);
    await pool.shutdown();
  });
});

describe("ThreadPoolExecutor: a cancelled call that ignores its signal", () => {
  it("is ended after the grace period even when it started before the previous call's outcome was read", async () => {
    const flags = new SharedArrayBuffer(4);
    const word = new Int32Array(flags);
    const pool = new ThreadPoolExecutor({ maxWorkers: 1, cancelGracePeriod: 0.1 });
    const first = await pool.submit(work("threadId"));
    const quick = pool.submit(work("spin"), 20);
    const stuck = pool.submit(work("spinForever"), flags); // sent ahead: starts as soon as `quick` ends
    // Block this thread until the stuck call has started, so quick's outcome is still unread.
    for (const end = Date.now() + 5000; Atomics.load(word, 0) === 0 && Date.now() < end; ) Atomics.wait(word, 0, 0, 1);
    expect(Atomics.load(word, 0)).toBe(1);
    expect(quick.done()).toBe(false);
    expect(stuck.cancel()).toBe(true);
    expect(await quick).toBe(20);
    const next = await pool.submit(work("threadId"));
    expect(next).not.toBe(first); // the stuck thread was replaced
    await pool.shutdown();
  });
});
