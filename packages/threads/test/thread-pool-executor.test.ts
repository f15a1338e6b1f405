import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { getRunningLoop, RuntimeError } from "@asyncio-ts/loop";
import { CancelledError, createTask, Future, run, sleep } from "@asyncio-ts/tasks";
import { ThreadPoolExecutor, TimeoutError, wrapFuture } from "@asyncio-ts/threads";
import { sharedCounter, waitForWord, work } from "./helpers.js";

describe("ThreadPoolExecutor", () => {
  it("submit() returns a ConcurrentFuture; results can be awaited or blocked on", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 2 });
    const future = pool.submit((a: number, b: number) => a + b, 2, 3);
    expect(await future).toBe(5);
    expect(future.done()).toBe(true);
    expect(future.result()).toBe(5);
    // Blocking on the main thread for a worker's result is allowed: the worker completes it.
    expect(pool.submit(work("spin"), 20).result(5)).toBe(20);
    expect(() => pool.submit(work("spin"), 500).result(0.05)).toThrow(TimeoutError);
  });

  it("runs calls in parallel on up to maxWorkers threads, starting them lazily", async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 2 });
    expect(pool.statistics()).toEqual({ workers: 0, busy: 0, queued: 0 });
    const ids = await Promise.all([pool.submit(work("threadId")), pool.submit(work("threadId")), pool.submit(work("threadId"))]);
    expect(new Set(ids).size).toBe(2);
    expect(pool.statistics().workers).toBe(2);
  });

  it("map() yields results in order, with a timeout, and cancels the rest when left early", async () => {
    const pool = new ThreadPoolExecutor({ maxWorkers: 2 });
    const out: number[] = [];
    for await (const sum of pool.map((a: number, b: number) => a + b, [1, 2, 3], [10, 20, 30, 40])) out.push(sum);
    expect(out).toEqual([11, 22, 33]);
    const slow = pool.map(work("spin"), [300, 300], { timeout: 0.05 });
    await expect(slow.next()).rejects.toBeInstanceOf(TimeoutError);
    expect(() => pool.map((x: number) => x, 42 as never)).toThrow(TypeError);
    await pool.shutdown();
  });

  it("loop.runInExecutor(pool, ...) and the default executor", async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
      expect(await loop.runInExecutor(pool, (x: number) => x * 2, 21)).toBe(42);
      expect(await loop.runInExecutor(null, (x: number) => x + 1, 41)).toBe(42);
      await pool.shutdown();
    });
  });

  it("runInExecutor(pool) hands out a future of the loop itself; cancelling it cancels the call", async () => {
    await run(async () => {
      const loop = getRunningLoop();
      await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
      const counter = sharedCounter();
      const busy = loop.runInExecutor(pool, work("spin"), 200);
      const queued = loop.runInExecutor(pool, work("count"), counter.buffer);
      // No wrapping: the pool's own asyncio Future of this loop (submitOnLoop).
      expect(queued).toBeInstanceOf(Future);
      expect(queued.getLoop()).toBe(loop);
      expect(queued.cancel()).toBe(true);
      expect(await busy).toBe(200);
      await sleep(0.05);
      expect(counter.value()).toBe(0); // the cancelled call never ran
      expect(pool.statistics().queued).toBe(0);
    });
  });

  it("a closed executor refuses work at the call", async () => {
    const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    await pool.shutdown();
    expect(() => pool.submit(() => 1)).toThrow(RuntimeError);
    expect(() => pool.submit(() => 1)).toThrow(/after shutdown/);
    await run(async () => {
      const loop = getRunningLoop();
      await loop.shutdownDefaultExecutor();
      expect(() => loop.runInExecutor(null, () => 1)).toThrow(RuntimeError);
    });
  });

  it("validates its options", () => {
    expect(() => new ThreadPoolExecutor({ maxWorkers: 0 })).toThrow(RangeError);
    expect(() => new ThreadPoolExecutor({ maxWorkers: "2" as never })).toThrow(TypeError);
    expect(() => new ThreadPoolExecutor({ cancelGracePeriod: -1 })).toThrow(RangeError);
    expect(new ThreadPoolExecutor().maxWorkers).toBeGreaterThanOrEqual(1);
  });
});

describe("ThreadPoolExecutor: cancellation at each stage", () => {
  it("queued: removed, never runs", async () => {
    const counter = sharedCounter();
    const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const busy = pool.submit(work("spin"), 150);
    const queued = pool.submit(work("count"), counter.buffer);
    expect(queued.running()).toBe(false);
    expect(queued.cancel()).toBe(true);
    expect(queued.cancelled()).toBe(true);
    expect(() => queued.result()).toThrow(CancelledError);
    await busy;
    await pool.shutdown();
    expect(counter.value()).toBe(0);
  });

  it("running, honouring its signal: the worker is kept", async () => {
    const flags = new SharedArrayBuffer(4);
    const pool = new ThreadPoolExecutor({ maxWorkers: 1, cancelGracePeriod: 5 });
    const first = await pool.submit(work("threadId"));
    const future = pool.submit(work("waitForAbort"), flags);
    await waitForWord(flags, 1);
    expect(future.running()).toBe(true);
    expect(future.cancel()).toBe(true);
    await expect(future).rejects.toBeInstanceOf(CancelledError);
    await waitForWord(flags, 2);
    expect(await pool.submit(work("threadId"))).toBe(first);
    await pool.shutdown();
  });

  it("running, ignoring its signal: after the grace period the worker is terminated and replaced", async () => {
    const flags = new SharedArrayBuffer(4);
    const pool = new ThreadPoolExecutor({ maxWorkers: 1, cancelGracePeriod: 0.1 });
    const first = await pool.submit(work("threadId"));
    const stuck = pool.submit(work("spinForever"), flags);
    await waitForWord(flags, 1);
    const next = pool.submit(work("threadId")); // queued behind the stuck call
    const started = performance.now();
    expect(stuck.cancel()).toBe(true);
    await expect(stuck).rejects.toBeInstanceOf(CancelledError);
    expect(performance.now() - started).toBeLessThan(50); // the caller does not wait for the grace period
    const replacement = await next;
    expect(replacement).not.toBe(first);
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
    expect(pool.statistics().workers).toBe(1);
    await pool.shutdown();
  });

  it("a task awaiting a stuck call is cancelled promptly too (wrapFuture / toThread)", async () => {
    const flags = new SharedArrayBuffer(4);
    const pool = new ThreadPoolExecutor({ maxWorkers: 1, cancelGracePeriod: 0 });
    await run(async () => {
      const task = createTask(() => wrapFuture(pool.submit(work("spinForever"), flags)));
      await waitForWord(flags, 1);
      task.cancel();
      await expect(task).rejects.toBeInstanceOf(CancelledError);
      expect(await wrapFuture(pool.submit((x: number) => x, 7))).toBe(7);
    });
    await pool.shutdown();
  });
});

describe("ThreadPoolExecutor: shutdown", () => {
  it("waits for running and queued calls, which still run", async () => {
    const counter = sharedCounter();
    const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const futures = [pool.submit(work("spin"), 50), pool.submit(work("count"), counter.buffer), pool.submit(work("count"), counter.buffer)];
    await pool.shutdown({ wait: true });
    expect(futures.every((f) => f.done() && !f.cancelled())).toBe(true);
    expect(counter.value()).toBe(2);
    expect(pool.statistics().workers).toBe(0);
  });

  it("cancelFutures cancels the queued calls; the running one finishes", async () => {
    const counter = sharedCounter();
    const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const running = pool.submit(work("spin"), 50);
    const queued = [pool.submit(work("count"), counter.buffer), pool.submit(work("count"), counter.buffer)];
    await pool.shutdown({ cancelFutures: true });
    expect(running.result()).toBe(50);
    expect(queued.every((f) => f.cancelled())).toBe(true);
    expect(counter.value()).toBe(0);
  });

  it("wait: false returns at once; the threads end when their work is done", async () => {
    const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const running = pool.submit(work("spin"), 50);
    await pool.shutdown({ wait: false });
    expect(running.done()).toBe(false);
    expect(await running).toBe(50);
    await pool.shutdown();
    expect(pool.statistics().workers).toBe(0);
  });
});

describe("ThreadPoolExecutor: workers that die", () => {
  it("process.exit() in a worker fails that call and the pool replaces the thread", async () => {
    const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    await expect(pool.submit(work("exitThread"), 3)).rejects.toThrow(/process\.exit\(3\)/);
    expect(await pool.submit(work("add"), 1, 2)).toBe(3);
    await pool.shutdown();
  });

  it("a stray error in a worker fails the running call with that error; the pool goes on", async () => {
    const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const error = (await pool.submit(work("crashLater")).then(
      () => null,
      (e: unknown) => e,
    )) as Error;
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe("stray error");
    expect(await pool.submit(work("add"), 2, 2)).toBe(4);
    await pool.shutdown();
  });

  it("blocking result() sees a worker's process.exit() instead of hanging", async () => {
    const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    expect(() => pool.submit(work("exitThread"), 4).result(10)).toThrow(/process\.exit\(4\)/);
    await pool.shutdown();
  });
});

describe("process lifetime", () => {
  it("idle workers do not keep the process alive; busy ones do", () => {
    const index = fileURLToPath(new URL("../dist/index.js", import.meta.url));
    const script = `
      import { ThreadPoolExecutor } from ${JSON.stringify(index)};
      const pool = new ThreadPoolExecutor({ maxWorkers: 2 });
      pool.submit((ms) => { const end = Date.now() + ms; while (Date.now() < end); return "done"; }, 200)
        .then((v) => console.log(v));
      pool.submit(() => 1).then((v) => console.log("quick", v));
      // no shutdown: the process must still exit once the calls are done
    `;
    const dir = mkdtempSync(join(tmpdir(), "threads-lifetime-"));
    const file = join(dir, "main.mjs");
    writeFileSync(file, script);
    const started = Date.now();
    let out: string;
    try {
      out = execFileSync(process.execPath, [file], { encoding: "utf8", timeout: 15_000 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(out.trim().split("\n").sort()).toEqual(["done", "quick 1"]);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
