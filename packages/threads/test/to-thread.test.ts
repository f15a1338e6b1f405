// Port of CPython's Lib/test/test_asyncio/test_threads.py (ToThreadTests),
// plus what is ours: the two ways to name a function, errors and cancellation.
import { describe, expect, it } from "vitest";
import { getRunningLoop, RuntimeError } from "@asyncio-ts/loop";
import { CancelledError, createTask, run, sleep } from "@asyncio-ts/tasks";
import { ThreadPoolExecutor, toThread, transfer } from "@asyncio-ts/threads";
import { sharedCounter, waitForWord, work } from "./helpers.js";

describe("toThread (CPython test_threads.py)", () => {
  it("test_to_thread: runs the function and returns its result", async () => {
    const result = await run(() => toThread((xs: number[]) => xs.reduce((a, b) => a + b, 0), [40, 2]));
    expect(result).toBe(42);
  });

  it("test_to_thread_exception: the worker's error is re-raised with its class", async () => {
    await run(async () => {
      const error = await toThread(work("raiseRuntime")).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(RuntimeError);
      expect((error as Error).message).toBe("test");
    });
  });

  it("test_to_thread_once: the function is called exactly once", async () => {
    const counter = sharedCounter();
    await run(() => toThread(work("count"), counter.buffer));
    expect(counter.value()).toBe(1);
  });

  it("test_to_thread_concurrent: ten calls, ten runs", async () => {
    const counter = sharedCounter();
    await run(async () => {
      const futures = Array.from({ length: 10 }, () => toThread(work("count"), counter.buffer));
      for (const f of futures) await f;
    });
    expect(counter.value()).toBe(10);
  });

  it("test_to_thread_args_kwargs: every argument reaches the function (an options object is just the last one)", async () => {
    const counter = sharedCounter();
    const rest = await run(() => toThread(work("count"), counter.buffer, "test", { something: true }));
    expect(rest).toEqual(["test", { something: true }]);
  });

  // test_to_thread_contextvars does not apply: no context crosses to a worker thread.
});

describe("toThread: naming the function", () => {
  it("a self-contained function is sent as source and may be a method or an async function", async () => {
    const helpers = {
      double(x: number): number {
        return x * 2;
      },
    };
    await run(async () => {
      expect(await toThread(helpers.double, 21)).toBe(42);
      expect(await toThread(async (x: number) => x + 1, 1)).toBe(2);
      expect(await toThread(function named() { return typeof globalThis.process; })).toBe("object");
    });
  });

  it("a function using a variable from around it fails with an explanation pointing to moduleFunction()", async () => {
    const factor = 3;
    await run(async () => {
      const error = (await toThread((x: number) => x * factor, 2).then(
        () => null,
        (e: unknown) => e,
      )) as ReferenceError;
      expect(error).toBeInstanceOf(ReferenceError);
      expect(error.message).toMatch(/factor is not defined/);
      expect(error.message).toMatch(/self-contained/);
      expect(error.message).toMatch(/moduleFunction\(/);
      expect((error.cause as Error).name).toBe("ReferenceError");
    });
  });

  it("bound and built-in functions are refused at the call", async () => {
    await run(async () => {
      expect(() => toThread(Math.max, 1, 2)).toThrow(/built-in or bound/);
      expect(() => toThread(((x: number) => x).bind(null), 1)).toThrow(TypeError);
      expect(() => toThread(42 as never)).toThrow(TypeError);
      expect(() => toThread(42 as never)).toThrow(/toThread\(\) needs a self-contained function or a moduleFunction\(url, name\), got 42/);
    });
  });

  it("outside a running loop it throws RuntimeError", () => {
    expect(() => toThread(() => 1)).toThrow(RuntimeError);
  });
});

describe("toThread: data", () => {
  it("errors keep class name, message, own properties and the worker's stack", async () => {
    await run(async () => {
      const error = (await toThread(work("raiseCustom")).then(
        () => null,
        (e: unknown) => e,
      )) as Error & { code?: string };
      expect(error.name).toBe("CustomError");
      expect(error.message).toBe("custom failure");
      expect(error.code).toBe("E_CUSTOM");
      expect(error.stack).toMatch(/raiseCustom/);
      expect(error.stack).toMatch(/jobs\.mjs/);
    });
  });

  it("non-cloneable arguments fail at the call; a non-cloneable result fails the future", async () => {
    await run(async () => {
      expect(() => toThread((f: unknown) => f, () => 1)).toThrow(/structured clone/);
      await expect(toThread(work("returnsFunction"))).rejects.toThrow(/cannot be sent back/);
    });
  });

  it("transfer() moves an ArrayBuffer instead of copying it, both ways", async () => {
    await run(async () => {
      const bytes = new Uint8Array(1024);
      expect(await toThread(work("byteLength"), transfer(bytes))).toBe(1024);
      expect(bytes.byteLength).toBe(0); // detached: moved, not copied
      const back = (await toThread(work("makeBuffer"), 16)) as Uint8Array;
      expect(back).toBeInstanceOf(Uint8Array);
      expect([...back]).toEqual(new Array(16).fill(7));
      expect(() => transfer({} as never)).toThrow(TypeError);
    });
  });
});

describe("toThread: cancellation", () => {
  it("a queued call that is cancelled never runs", async () => {
    const counter = sharedCounter();
    await run(async () => {
      const loop = getRunningLoop();
      loop.setDefaultExecutor(new ThreadPoolExecutor({ maxWorkers: 1 }));
      const busy = toThread(work("spin"), 200);
      const queued = createTask(() => toThread(work("count"), counter.buffer));
      await sleep(0.05);
      queued.cancel();
      await expect(queued).rejects.toBeInstanceOf(CancelledError);
      await busy;
      await toThread(() => 0); // the pool moved on
    });
    expect(counter.value()).toBe(0);
  });

  it("a running call sees its signal aborted and the caller's CancelledError arrives at once", async () => {
    const flags = new SharedArrayBuffer(4);
    await run(async () => {
      const task = createTask(() => toThread(work("waitForAbort"), flags));
      await waitForWord(flags, 1);
      const started = performance.now();
      task.cancel();
      await expect(task).rejects.toBeInstanceOf(CancelledError);
      expect(performance.now() - started).toBeLessThan(100);
      await waitForWord(flags, 2); // the worker saw the abort
    });
  });

  it("a synchronous loop polling signal.aborted stops when cancelled", async () => {
    await run(async () => {
      const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
      const future = pool.submit(work("spinPolling"), 10_000);
      await sleep(0.1);
      const started = performance.now();
      expect(future.cancel()).toBe(true);
      expect(future.cancelled()).toBe(true);
      expect(await pool.submit(work("add"), 1, 2)).toBe(3); // same worker, free again
      expect(performance.now() - started).toBeLessThan(1000);
      await pool.shutdown();
    });
  });
});

describe("toThread under process-wide flags", () => {
  it("works when the process runs with a heap-size flag, which workers may not inherit", async () => {
    const { execFileSync } = await import("node:child_process");
    const { fileURLToPath } = await import("node:url");
    const dist = fileURLToPath(new URL("../dist/index.js", import.meta.url));
    const script = `import { toThread } from ${JSON.stringify(dist)}; import { run } from "@asyncio-ts/tasks"; console.log(await run(() => toThread((a, b) => a + b, 40, 2)));`;
    const out = execFileSync(process.execPath, ["--max-old-space-size=512", "--input-type=module", "-e", script], {
      encoding: "utf8",
      cwd: fileURLToPath(new URL("..", import.meta.url)),
    });
    expect(out.trim()).toBe("42");
  });
});
