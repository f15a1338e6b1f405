import { describe, expect, it } from "vitest";
import { CancelledError, createTask, Future, run, sleep } from "@asyncio-ts/tasks";
import { ConcurrentFuture, ThreadPoolExecutor, wrapFuture } from "@asyncio-ts/threads";
import { sharedCounter, work } from "./helpers.js";

describe("wrapFuture", () => {
  it("follows a concurrent future's result, error and cancellation", async () => {
    await run(async () => {
      const ok = new ConcurrentFuture<number>();
      const wrapped = wrapFuture(ok);
      expect(wrapped).toBeInstanceOf(Future);
      setTimeout(() => ok.setResult(3), 1);
      expect(await wrapped).toBe(3);

      const bad = new ConcurrentFuture();
      setTimeout(() => bad.setException(new RangeError("r")), 1);
      await expect(wrapFuture(bad)).rejects.toBeInstanceOf(RangeError);

      const gone = new ConcurrentFuture();
      setTimeout(() => gone.cancel(), 1);
      await expect(wrapFuture(gone)).rejects.toBeInstanceOf(CancelledError);
    });
  });

  it("cancelling the asyncio future cancels the concurrent one (a queued call never runs)", async () => {
    const counter = sharedCounter();
    const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    await run(async () => {
      const busy = wrapFuture(pool.submit(work("spin"), 100));
      const queued = pool.submit(work("count"), counter.buffer);
      const task = createTask(() => wrapFuture(queued));
      await sleep(0.01);
      task.cancel();
      await expect(task).rejects.toBeInstanceOf(CancelledError);
      expect(queued.cancelled()).toBe(true);
      await busy;
    });
    await pool.shutdown();
    expect(counter.value()).toBe(0);
  });

  it("returns an asyncio Future as it is, and refuses anything else", async () => {
    await run(async () => {
      const f = new Future<number>();
      expect(wrapFuture(f)).toBe(f);
      expect(() => wrapFuture(Promise.resolve(1) as never)).toThrow(TypeError);
    });
  });
});
