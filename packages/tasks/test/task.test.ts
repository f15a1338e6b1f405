// Ported from CPython's test_tasks.py: task lifecycle and cancellation, both coroutine kinds.
import { describe, expect, it } from "vitest";
import { getRunningLoop, RuntimeError } from "@asyncio-ts/loop";
import { allTasks, CancelledError, createTask, currentTask, ensureFuture, Future, isAwaitable, sleep, Task, iscoroutine } from "@asyncio-ts/tasks";
import { runVirtual, tracer } from "./helpers.js";

describe("createTask", () => {
  it("rejects what is not a coroutine, saying what to pass instead", async () => {
    await runVirtual(async () => {
      const promise = Promise.resolve(1);
      expect(() => createTask(promise as never)).toThrow(TypeError);
      expect(() => createTask(promise as never)).toThrow(/pass the async function itself.*or use ensureFuture\(\)/);
      expect(() => createTask(42 as never)).toThrow(/expects a coroutine .*got 42/);
    });
  });

  it("a function that returns a plain value (not a promise) ends its task with that value", async () => {
    await runVirtual(async () => {
      for (const value of [undefined, null, 42, "text", { then: 1 }]) {
        expect(await createTask((() => value) as never)).toBe(value);
      }
      const subclassed = createTask(() => new (class extends Promise<number> {})((resolve) => resolve(7)));
      expect(await subclassed).toBe(7);
      const failing = createTask(() => Promise.reject(new RangeError("no")));
      await expect(failing).rejects.toThrow(RangeError);
    });
  });

  it("needs a running loop", () => {
    expect(() => createTask(async () => 1)).toThrow(new RuntimeError("no running event loop"));
  });

  it("names tasks Task-N unless named, and setName stringifies", async () => {
    await runVirtual(async () => {
      const a = createTask(async () => 1);
      const b = createTask(async () => 2, { name: "worker" });
      expect(a.getName()).toMatch(/^Task-\d+$/);
      expect(b.getName()).toBe("worker");
      b.setName(7);
      expect(b.getName()).toBe("7");
      expect(String(b)).toBe("<Task pending name='7' coro=<<anonymous>()>>");
      await a;
      await b;
      expect(String(b)).toBe("<Task finished name='7' coro=<<anonymous>()> result=2>");
    });
  });

  it("accepts a generator function uncalled, and knows coroutines", async () => {
    await runVirtual(async () => {
      const t = createTask(function* () {
        yield* sleep(1);
        return "gen";
      });
      expect(await t).toBe("gen");
      expect(iscoroutine(async () => 1)).toBe(true);
      expect(iscoroutine((function* () {})())).toBe(true);
      expect(iscoroutine(() => 1)).toBe(false);
      expect(iscoroutine(Promise.resolve())).toBe(false);
    });
  });

  it("isAwaitable: what ensureFuture takes, and nothing else", async () => {
    await runVirtual(async () => {
      const accepted: unknown[] = [new Future(), async () => 1, (function* () {})(), Promise.resolve(1), { then() {} }];
      for (const value of accepted) expect(isAwaitable(value)).toBe(true);
      for (const value of [42, "x", null, undefined, {}, [], { then: 1 }, Symbol("s")]) {
        expect(isAwaitable(value)).toBe(false);
        expect(() => ensureFuture(value as never)).toThrow(TypeError);
      }
    });
  });

  it("Task.setResult / setException are RuntimeErrors", async () => {
    await runVirtual(async () => {
      const t = createTask(async () => 1);
      expect(() => t.setResult(2)).toThrow(RuntimeError);
      expect(() => t.setException(new Error())).toThrow(RuntimeError);
      await t;
    });
  });
});

describe.each(["async", "generator"] as const)("cancellation (%s coroutines)", (kind) => {
  /** A coroutine that sleeps `delay` then returns `value`, optionally logging cancellation. */
  function sleeper(delay: number, value: string, log?: (...a: unknown[]) => void) {
    if (kind === "async") {
      return async () => {
        try {
          await sleep(delay);
          return value;
        } finally {
          log?.("finally");
        }
      };
    }
    return (function* () {
      try {
        yield* sleep(delay);
        return value;
      } finally {
        log?.("finally");
      }
    })();
  }

  it("delivers CancelledError at the suspension point and runs finally", async () => {
    const { trace, log } = tracer();
    await runVirtual(async () => {
      const t = createTask(sleeper(10, "x", log));
      await sleep(1);
      expect(t.cancel("why")).toBe(true);
      expect(t.cancelling()).toBe(1);
      expect(t.cancelled()).toBe(false);
      await expect(t.then()).rejects.toThrow(new CancelledError("why"));
      expect(t.cancelled()).toBe(true);
      expect(t.cancel()).toBe(false);
      expect(getRunningLoop().time()).toBe(1);
    });
    expect(trace).toEqual(["finally"]);
  });

  it("cancelled before its first step, the coroutine never runs", async () => {
    const { trace, log } = tracer();
    await runVirtual(async () => {
      const t = createTask(sleeper(10, "x", log));
      t.cancel();
      await expect(t.then()).rejects.toBeInstanceOf(CancelledError);
      expect(t.cancelled()).toBe(true);
    });
    expect(trace).toEqual([]);
  });

  it("cancelling a task cancels the task it awaits", async () => {
    await runVirtual(async () => {
      const inner = createTask(sleeper(10, "inner"));
      const outer = createTask(
        kind === "async"
          ? async () => await inner
          : (function* () {
              return yield* inner;
            })(),
      );
      await sleep(1);
      outer.cancel();
      await expect(outer.then()).rejects.toBeInstanceOf(CancelledError);
      expect(inner.cancelled()).toBe(true);
    });
  });

  it("uncancel() withdraws a request", async () => {
    await runVirtual(async () => {
      const t = createTask(sleeper(10, "x"));
      await sleep(0);
      t.cancel();
      t.cancel();
      expect(t.cancelling()).toBe(2);
      expect(t.uncancel()).toBe(1);
      expect(t.uncancel()).toBe(0);
      expect(t.uncancel()).toBe(0);
      await expect(t.then()).rejects.toBeInstanceOf(CancelledError);
    });
  });

  it("a task cannot await itself", async () => {
    await runVirtual(async () => {
      let self: Task<unknown> | null = null;
      const t = createTask(
        kind === "async"
          ? async () => {
              await sleep(0);
              return await self!;
            }
          : (function* () {
              yield* sleep(0);
              return yield* self!;
            })(),
      );
      self = t;
      await expect(t.then()).rejects.toThrow(/Task cannot await on itself/);
    });
  });

  it("the signal aborts on cancel with the CancelledError as reason, and is fresh after uncancel", async () => {
    await runVirtual(async () => {
      const t = createTask(sleeper(10, "x"));
      const signal = t.signal;
      expect(signal.aborted).toBe(false);
      expect(t.signal).toBe(signal);
      await sleep(0);
      t.cancel("stop");
      expect(signal.aborted).toBe(true);
      expect(signal.reason).toBeInstanceOf(CancelledError);
      expect((signal.reason as Error).message).toBe("stop");
      t.uncancel();
      expect(t.signal.aborted).toBe(false);
      await expect(t.then()).rejects.toBeInstanceOf(CancelledError);
    });
  });
});

describe("async-coroutine specifics", () => {
  it("a cancel while awaiting a foreign promise arrives at the next await of a library future", async () => {
    const { trace, log } = tracer();
    await runVirtual(async () => {
      let release!: () => void;
      const foreign = new Promise<void>((r) => (release = r));
      const t = createTask(async () => {
        await foreign;
        log("after foreign");
        try {
          await sleep(1);
          log("not reached");
        } catch (e) {
          log("cancelled at sleep", (e as Error).name);
          throw e;
        }
      });
      await sleep(0);
      t.cancel();
      release();
      await expect(t.then()).rejects.toBeInstanceOf(CancelledError);
    });
    expect(trace).toEqual(["after foreign", "cancelled at sleep CancelledError"]);
  });

  it("a coroutine that returns before a pending cancel is delivered ends cancelled", async () => {
    await runVirtual(async () => {
      let release!: () => void;
      const foreign = new Promise<void>((r) => (release = r));
      const t = createTask(async () => {
        await foreign;
        return "done";
      });
      await sleep(0);
      t.cancel("late");
      release();
      await expect(t.then()).rejects.toThrow(new CancelledError("late"));
      expect(t.cancelled()).toBe(true);
    });
  });

  it("the signal stops a foreign API", async () => {
    await runVirtual(async () => {
      const t = createTask(async () => {
        const signal = currentTask()!.signal;
        await new Promise((_resolve, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
      });
      await sleep(0);
      t.cancel("enough");
      await expect(t.then()).rejects.toThrow(new CancelledError("enough"));
      expect(t.cancelled()).toBe(true);
    });
  });
});

describe("async-coroutine specifics (continued)", () => {
  it("a thenable returned by an async coroutine runs its then() on behalf of the task", async () => {
    const seen: boolean[] = [];
    await runVirtual(async () => {
      // A minimal thenable, as a foreign library might return (typed loosely on purpose).
      const t: Task<number> = createTask((() => ({
        then(resolve: (v: number) => void) {
          seen.push(currentTask() === t);
          void (async () => {
            await sleep(0);
            seen.push(currentTask() === t);
            resolve(1);
          })();
        },
      })) as unknown as () => PromiseLike<number>);
      expect(await t).toBe(1);
    });
    expect(seen).toEqual([true, true]);
  });
});

describe("generator-coroutine specifics", () => {
  it("a bare yield gives up exactly one iteration", async () => {
    const { trace, log } = tracer();
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const t = createTask(
        (function* () {
          log("step 1");
          yield;
          log("step 2");
        })(),
      );
      loop.callSoon(() => loop.callSoon(() => log("two iterations later")));
      await t;
    });
    expect(trace).toEqual(["step 1", "step 2", "two iterations later"]);
  });

  it("`yield future` instead of `yield* future` is a RuntimeError naming the fix", async () => {
    await runVirtual(async () => {
      const t = createTask(
        (function* () {
          yield sleep(1);
        })(),
      );
      await expect(t.then()).rejects.toThrow(/yield was used instead of yield\* .*write "yield\* future"/);
      const bad = createTask(
        (function* () {
          yield 42;
        })(),
      );
      await expect(bad.then()).rejects.toThrow("Task got bad yield: 42");
    });
  });
});

describe("currentTask and allTasks", () => {
  it("is the task in its steps, in plain async functions it calls, and null in plain callbacks", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const main = currentTask();
      expect(main).toBeInstanceOf(Task);
      // Identities are compared inside: a Task is a thenable, and returning one
      // from an async function awaits it (JavaScript's rule, not ours).
      async function helper(): Promise<boolean> {
        await new Promise((r) => setTimeout(r, 1));
        return currentTask() === t;
      }
      const t: Task<boolean[]> = createTask(async () => {
        const direct = currentTask() === t;
        const viaHelper = await helper();
        const inCallback = new Future<boolean>();
        loop.callSoon(() => inCallback.setResult(currentTask() === null));
        return [direct, viaHelper, await inCallback];
      });
      expect(await t).toEqual([true, true, true]);
      // (A task's result is compared, not returned: `await` unwraps thenables.)
      let seen: unknown = null;
      const g = createTask(
        (function* () {
          seen = currentTask();
        })(),
      );
      await g;
      expect(seen).toBe(g);
    });
    expect(() => currentTask()).toThrow(new RuntimeError("no running event loop"));
  });

  it("allTasks() holds the tasks not done", async () => {
    await runVirtual(async () => {
      const a = createTask(() => sleep(1));
      const b = createTask(() => sleep(2));
      expect(allTasks()).toEqual(new Set([currentTask(), a, b]));
      await a;
      expect(allTasks()).toEqual(new Set([currentTask(), b]));
      await b;
    });
  });
});
