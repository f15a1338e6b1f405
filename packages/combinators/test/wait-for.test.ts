import { describe, expect, it } from "vitest";
import { CancelledError, createTask, currentTask, Future, sleep, Task, getRunningLoopFuture, RuntimeError } from "./imports.js";
import { shield, TimeoutError, waitFor } from "@asyncio-ts/combinators";
import { cpython, en, runVirtual, Trace } from "./helpers.js";

function asyncScenario(tr: Trace) {
  return async (): Promise<void> => {
    tr.start("waitfor");
    const me = currentTask()!;
    const inner = async (): Promise<void> => {
      try {
        await sleep(10);
      } catch (e) {
        tr.P("inner cancelled", tr.T());
        await sleep(1);
        tr.P("inner cleanup done", tr.T());
        throw e;
      }
    };
    try {
      await waitFor(inner, 2);
    } catch (e) {
      tr.P("timeout", en(e), tr.T(), ((e as Error).cause as Error).name);
    }
    const swallow = async (): Promise<string | undefined> => {
      try {
        await sleep(10);
      } catch {
        tr.P("swallowed", tr.T());
        return "value";
      }
    };
    tr.P("swallow ->", await waitFor(swallow, 1), tr.T());
    const t = createTask(() => sleep(1, "r"));
    tr.P("zero done?", t.done());
    try {
      await waitFor(t, 0);
    } catch (e) {
      if (!(e instanceof TimeoutError)) throw e;
      tr.P("zero timeout", tr.T(), t.cancelled());
    }
    const f = getRunningLoopFuture<number>();
    f.setResult(3);
    tr.P("zero done fut", await waitFor(f, 0));
    tr.P("none", await waitFor(sleep(2, "n"), null), tr.T());
    const c = createTask(async () => await waitFor(inner, 5));
    await sleep(1);
    c.cancel();
    try {
      await c;
    } catch {
      tr.P("caller cancelled", tr.T());
    }
    const task = createTask(() => sleep(3, "shielded"));
    try {
      await waitFor(shield(task), 1);
    } catch (e) {
      if (!(e instanceof TimeoutError)) throw e;
      tr.P("shield timeout", tr.T(), task.cancelled());
    }
    tr.P("task", await task, tr.T());
    try {
      await waitFor(waitFor(sleep(10), 2), 1);
    } catch (e) {
      if (!(e instanceof TimeoutError)) throw e;
      tr.P("nested outer", tr.T());
    }
    try {
      await waitFor(waitFor(sleep(10), 1), 2);
    } catch (e) {
      if (!(e instanceof TimeoutError)) throw e;
      tr.P("nested inner", tr.T());
    }
    await waitFor(async () => {
      tr.P("same task", currentTask() === me);
    }, 1);
    tr.P("cancelling", me.cancelling());
  };
}

function* generatorScenario(tr: Trace): Generator<unknown, void, unknown> {
  tr.start("waitfor");
  const me = currentTask()!;
  function* inner(): Generator<unknown, void, unknown> {
    try {
      yield* sleep(10);
    } catch (e) {
      tr.P("inner cancelled", tr.T());
      yield* sleep(1);
      tr.P("inner cleanup done", tr.T());
      throw e;
    }
  }
  try {
    yield* waitFor(inner(), 2);
  } catch (e) {
    tr.P("timeout", en(e), tr.T(), ((e as Error).cause as Error).name);
  }
  function* swallow(): Generator<unknown, string | undefined, unknown> {
    try {
      yield* sleep(10);
    } catch {
      tr.P("swallowed", tr.T());
      return "value";
    }
  }
  tr.P("swallow ->", yield* waitFor(swallow(), 1), tr.T());
  const t = createTask(() => sleep(1, "r"));
  tr.P("zero done?", t.done());
  try {
    yield* waitFor(t, 0);
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    tr.P("zero timeout", tr.T(), t.cancelled());
  }
  const f = getRunningLoopFuture<number>();
  f.setResult(3);
  tr.P("zero done fut", yield* waitFor(f, 0));
  tr.P("none", yield* waitFor(sleep(2, "n"), null), tr.T());
  const c = createTask(
    (function* () {
      return yield* waitFor(inner(), 5);
    })(),
  );
  yield* sleep(1);
  c.cancel();
  try {
    yield* c;
  } catch {
    tr.P("caller cancelled", tr.T());
  }
  const task = createTask(() => sleep(3, "shielded"));
  try {
    yield* waitFor(shield(task), 1);
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    tr.P("shield timeout", tr.T(), task.cancelled());
  }
  tr.P("task", yield* task, tr.T());
  try {
    yield* waitFor(waitFor(sleep(10), 2), 1);
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    tr.P("nested outer", tr.T());
  }
  try {
    yield* waitFor(waitFor(sleep(10), 1), 2);
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    tr.P("nested inner", tr.T());
  }
  yield* waitFor(
    (function* () {
      tr.P("same task", currentTask() === me);
    })(),
    1,
  );
  tr.P("cancelling", me.cancelling());
}

describe("waitFor: CPython trace", () => {
  it("timeout waits for the cleanup; swallowing returns the value; 0, null, caller cancel, shield, nesting (async)", async () => {
    const tr = new Trace();
    await runVirtual(asyncScenario(tr));
    expect(tr.toString()).toBe(cpython("waitfor"));
  });

  it("the same, with generator coroutines", async () => {
    const tr = new Trace();
    await runVirtual(() => generatorScenario(tr));
    expect(tr.toString()).toBe(cpython("waitfor"));
  });
});

describe("waitFor: more cases (test_waitfor.py)", () => {
  it("returns the result when the future finishes in time; no timer is left", async () => {
    await runVirtual(async () => {
      const loop = currentTask()!.getLoop();
      expect(await waitFor(sleep(1, "x"), 10)).toBe("x");
      expect(loop.time()).toBe(1);
      await sleep(0);
      expect(loop.time()).toBe(1);
    });
  });

  it("a result arriving in the same iteration as the deadline loses, as in CPython (the cancel is pending at the wake-up)", async () => {
    await runVirtual(async () => {
      const fut = getRunningLoopFuture<string>();
      fut.getLoop().callLater(1, () => fut.setResult("done"));
      await expect(waitFor(fut, 1)).rejects.toBeInstanceOf(TimeoutError);
      expect(fut.result()).toBe("done");
    });
  });

  it("raises the inner error", async () => {
    await runVirtual(async () => {
      const boom = new Error("boom");
      await expect(
        waitFor(async () => {
          await sleep(0.5);
          throw boom;
        }, 1),
      ).rejects.toBe(boom);
    });
  });

  it("a cancelled inner future propagates CancelledError (not TimeoutError)", async () => {
    await runVirtual(async () => {
      const fut = getRunningLoopFuture<void>();
      fut.getLoop().callLater(0.5, () => fut.cancel());
      await expect(waitFor(fut, 1)).rejects.toBeInstanceOf(CancelledError);
    });
  });

  it("the inner coroutine runs in the caller's task; a mismatched kind runs in its own task", async () => {
    await runVirtual(async () => {
      const me = currentTask();
      expect(await waitFor(async () => currentTask() === me, 1)).toBe(true);
      expect(await waitFor((function* () { yield* sleep(0); return currentTask() === me; })(), 1)).toBe(false);
    });
  });

  it("timeout while the inner is blocked on a foreign promise arrives at its next library await", async () => {
    await runVirtual(async () => {
      const out = await waitFor(async () => {
        await sleep(2);
        return "late";
      }, 1).then(
        (v) => v,
        (e: unknown) => en(e),
      );
      expect(out).toBe("TimeoutError()");
    });
  });

  it("a caller-cancel while the timeout also fires stays CancelledError", async () => {
    await runVirtual(async () => {
      const outer = createTask(() => waitFor(sleep(10), 1));
      outer.getLoop().callLater(1, () => outer.cancel());
      await expect(outer).rejects.toBeInstanceOf(CancelledError);
      expect(outer.cancelled()).toBe(true);
    });
  });

  it("as a gather child (no caller task) it runs in a task of its own", async () => {
    await runVirtual(async () => {
      const f = waitFor(sleep(5), 1);
      expect(f).toBeInstanceOf(Future);
      const outcome = await f.then(
        () => "ok",
        (e: unknown) => en(e),
      );
      expect(outcome).toBe("TimeoutError()");
    });
  });

  it("misuse throws synchronously", async () => {
    await runVirtual(async () => {
      expect(() => waitFor(sleep(0), "1" as never)).toThrow(TypeError);
      expect(() => waitFor(sleep(0), Number.NaN)).toThrow(RangeError);
      // CPython: TypeError "object int can't be used in 'await' expression", for any timeout.
      for (const timeout of [1, 0, null]) {
        expect(() => waitFor(42 as never, timeout)).toThrow(/^waitFor\(\) takes an awaitable .*got 42$/);
        expect(() => waitFor({} as never, timeout)).toThrow(TypeError);
      }
    });
    expect(() => waitFor(Promise.resolve(1), 1)).toThrow(RuntimeError);
  });

  it("timeout 0 with an already-done coroutine-task still cancels a pending one", async () => {
    await runVirtual(async () => {
      let ran = false;
      await expect(
        waitFor(async () => {
          ran = true;
        }, 0),
      ).rejects.toBeInstanceOf(TimeoutError);
      expect(ran).toBe(false);
    });
  });

  it("the caller's cancelling() count is back to zero after a timeout", async () => {
    await runVirtual(async () => {
      const me = currentTask() as Task<unknown>;
      await expect(waitFor(sleep(5), 1)).rejects.toBeInstanceOf(TimeoutError);
      expect(me.cancelling()).toBe(0);
    });
  });
});
