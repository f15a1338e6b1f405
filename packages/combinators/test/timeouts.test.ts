import { describe, expect, it } from "vitest";
import { CancelledError, createTask, currentTask, getRunningLoop, RuntimeError, sleep, Task } from "./imports.js";
import { Timeout, timeout, timeoutAt, TimeoutError } from "@asyncio-ts/combinators";
import { cpython, en, runVirtual, Trace } from "./helpers.js";

function isTimeout(e: unknown): boolean {
  if (e instanceof TimeoutError) return true;
  throw e;
}

async function asyncScenario(tr: Trace): Promise<void> {
  tr.start("timeout");
  const me = currentTask()!;
  let cm!: Timeout;
  try {
    await timeout(1, async (c) => {
      cm = c;
      tr.P("when", Math.round((c.when()! - tr.t0) * 10) / 10, c.expired());
      await sleep(5);
    });
  } catch (e) {
    if (isTimeout(e)) tr.P("expired", tr.T(), cm.expired(), ((e as Error).cause as Error).name, me.cancelling());
  }
  await timeout(5, async (c) => {
    cm = c;
    await sleep(1);
  });
  tr.P("not expired", cm.expired(), tr.T());
  try {
    await timeout(1, async (c) => {
      c.reschedule(getRunningLoop().time() + 3);
      await sleep(5);
    });
  } catch (e) {
    if (isTimeout(e)) tr.P("rescheduled", tr.T());
  }
  let outer!: Timeout;
  let inner!: Timeout;
  try {
    await timeout(3, async (o) => {
      outer = o;
      try {
        await timeout(1, async (i) => {
          inner = i;
          await sleep(5);
        });
      } catch (e) {
        if (isTimeout(e)) tr.P("inner expired", tr.T(), inner.expired(), outer.expired());
      }
      await sleep(5);
    });
  } catch (e) {
    if (isTimeout(e)) tr.P("outer expired", tr.T(), outer.expired());
  }
  try {
    await timeout(1, async (o) => {
      outer = o;
      try {
        await timeout(3, async (i) => {
          inner = i;
          await sleep(5);
        });
      } catch (e) {
        if (e instanceof TimeoutError) tr.P("WRONG inner");
        else if (e instanceof CancelledError) {
          tr.P("inner saw cancel", tr.T(), inner.expired());
          throw e;
        }
      }
    });
  } catch (e) {
    if (isTimeout(e)) tr.P("outer expired 2", tr.T(), outer.expired(), me.cancelling());
  }
  const v = createTask(async () => {
    try {
      await timeout(5, async () => {
        await sleep(10);
      });
    } catch (e) {
      if (e instanceof TimeoutError) tr.P("WRONG");
      else if (e instanceof CancelledError) {
        tr.P("victim cancelled", tr.T());
        throw e;
      }
    }
  });
  await sleep(1);
  v.cancel();
  try {
    await v;
  } catch {
    tr.P("v cancelled", v.cancelled());
  }
  await timeout(null, async (c) => {
    tr.P("none when", c.when());
  });
  try {
    await timeoutAt(getRunningLoop().time() - 1, async () => {
      await sleep(1);
    });
  } catch (e) {
    if (isTimeout(e)) tr.P("past", tr.T());
  }
  await createTask(async () => {
    try {
      await timeout(1, async () => {
        currentTask()!.cancel();
        await sleep(1);
      });
    } catch (e) {
      if (e instanceof TimeoutError) tr.P("WRONG both");
      else if (e instanceof CancelledError) tr.P("both -> cancelled", tr.T());
    }
  });
  await timeout(1, async (c) => {
    cm = c;
    try {
      await sleep(5);
    } catch {
      tr.P("swallow in timeout", tr.T());
    }
  });
  tr.P("after swallowed scope", cm.expired(), me.cancelling());
  try {
    new Timeout(5).reschedule(5);
  } catch (e) {
    tr.P("resched err", en(e));
  }
}

function* generatorScenario(tr: Trace): Generator<unknown, void, unknown> {
  tr.start("timeout");
  const me = currentTask()!;
  let cm!: Timeout;
  try {
    yield* timeout(1, function* (c) {
      cm = c;
      tr.P("when", Math.round((c.when()! - tr.t0) * 10) / 10, c.expired());
      yield* sleep(5);
    });
  } catch (e) {
    if (isTimeout(e)) tr.P("expired", tr.T(), cm.expired(), ((e as Error).cause as Error).name, me.cancelling());
  }
  yield* timeout(5, function* (c) {
    cm = c;
    yield* sleep(1);
  });
  tr.P("not expired", cm.expired(), tr.T());
  try {
    yield* timeout(1, function* (c) {
      c.reschedule(getRunningLoop().time() + 3);
      yield* sleep(5);
    });
  } catch (e) {
    if (isTimeout(e)) tr.P("rescheduled", tr.T());
  }
  let outer!: Timeout;
  let inner!: Timeout;
  try {
    yield* timeout(3, function* (o) {
      outer = o;
      try {
        yield* timeout(1, function* (i) {
          inner = i;
          yield* sleep(5);
        });
      } catch (e) {
        if (isTimeout(e)) tr.P("inner expired", tr.T(), inner.expired(), outer.expired());
      }
      yield* sleep(5);
    });
  } catch (e) {
    if (isTimeout(e)) tr.P("outer expired", tr.T(), outer.expired());
  }
  try {
    yield* timeout(1, function* (o) {
      outer = o;
      try {
        yield* timeout(3, function* (i) {
          inner = i;
          yield* sleep(5);
        });
      } catch (e) {
        if (e instanceof TimeoutError) tr.P("WRONG inner");
        else if (e instanceof CancelledError) {
          tr.P("inner saw cancel", tr.T(), inner.expired());
          throw e;
        }
      }
    });
  } catch (e) {
    if (isTimeout(e)) tr.P("outer expired 2", tr.T(), outer.expired(), me.cancelling());
  }
  const v = createTask(
    (function* () {
      try {
        yield* timeout(5, function* () {
          yield* sleep(10);
        });
      } catch (e) {
        if (e instanceof TimeoutError) tr.P("WRONG");
        else if (e instanceof CancelledError) {
          tr.P("victim cancelled", tr.T());
          throw e;
        }
      }
    })(),
  );
  yield* sleep(1);
  v.cancel();
  try {
    yield* v;
  } catch {
    tr.P("v cancelled", v.cancelled());
  }
  yield* timeout(null, function* (c) {
    tr.P("none when", c.when());
  });
  try {
    yield* timeoutAt(getRunningLoop().time() - 1, function* () {
      yield* sleep(1);
    });
  } catch (e) {
    if (isTimeout(e)) tr.P("past", tr.T());
  }
  yield* createTask(
    (function* () {
      try {
        yield* timeout(1, function* () {
          currentTask()!.cancel();
          yield* sleep(1);
        });
      } catch (e) {
        if (e instanceof TimeoutError) tr.P("WRONG both");
        else if (e instanceof CancelledError) tr.P("both -> cancelled", tr.T());
      }
    })(),
  );
  yield* timeout(1, function* (c) {
    cm = c;
    try {
      yield* sleep(5);
    } catch {
      tr.P("swallow in timeout", tr.T());
    }
  });
  tr.P("after swallowed scope", cm.expired(), me.cancelling());
  try {
    new Timeout(5).reschedule(5);
  } catch (e) {
    tr.P("resched err", en(e));
  }
}

describe("timeout scopes: CPython trace", () => {
  it("expiry, reschedule, nesting, external cancel, null, past deadline, swallowing (async)", async () => {
    const tr = new Trace();
    await runVirtual(() => asyncScenario(tr));
    expect(tr.toString()).toBe(cpython("timeout"));
  });

  it("the same, with generator coroutines", async () => {
    const tr = new Trace();
    await runVirtual(() => generatorScenario(tr));
    expect(tr.toString()).toBe(cpython("timeout"));
  });
});

describe("timeout scopes: more cases (test_timeouts.py)", () => {
  it("the body runs in the current task and its result is returned", async () => {
    await runVirtual(async () => {
      const me = currentTask();
      expect(await timeout(1, async () => currentTask() === me)).toBe(true);
    });
    await runVirtual(function* () {
      const me = currentTask();
      const same = yield* timeout(1, function* () {
        yield* sleep(0);
        return currentTask() === me;
      });
      expect(same).toBe(true);
    });
  });

  it("outside a task it is a RuntimeError, at the call", async () => {
    expect(() => timeout(1, async () => 1)).toThrow(RuntimeError);
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const errors: unknown[] = [];
      await new Promise<void>((resolve) =>
        loop.callSoon(() => {
          try {
            timeout(1, async () => 1);
          } catch (e) {
            errors.push(e);
          }
          resolve();
        }),
      );
      expect(errors[0]).toBeInstanceOf(RuntimeError);
    });
  });

  it("reschedule after the scope: RuntimeError; when() and toString()", async () => {
    await runVirtual(async () => {
      let cm!: Timeout;
      await timeout(2, async (c) => {
        cm = c;
        expect(String(c)).toBe("<Timeout [active] when=2>");
        c.reschedule(null);
        expect(c.when()).toBeNull();
        await sleep(3);
      });
      expect(String(cm)).toBe("<Timeout [finished]>");
      expect(() => cm.reschedule(10)).toThrow(/Cannot change state of finished Timeout/);
    });
  });

  it("a deadline moved into the past expires on the next iteration", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      await expect(
        timeout(10, async (c) => {
          c.reschedule(loop.time() - 5);
          await sleep(1);
        }),
      ).rejects.toBeInstanceOf(TimeoutError);
      expect(loop.time()).toBe(0);
    });
  });

  it("a body error passes through; the timer is cancelled", async () => {
    await runVirtual(async () => {
      const boom = new Error("boom");
      await expect(
        timeout(1, async () => {
          throw boom;
        }),
      ).rejects.toBe(boom);
      await sleep(2);
    });
  });

  it("an error raised by the body during expiry (not CancelledError) passes through", async () => {
    await runVirtual(async () => {
      const boom = new Error("cleanup failed");
      await expect(
        timeout(1, async () => {
          try {
            await sleep(5);
          } catch {
            throw boom;
          }
        }),
      ).rejects.toBe(boom);
      expect(currentTask()!.cancelling()).toBe(0);
    });
  });

  it("the task's cancelling() count is unchanged by an expired scope; an outer cancel survives", async () => {
    await runVirtual(async () => {
      const t = createTask(async () => {
        const me = currentTask() as Task<unknown>;
        try {
          await timeout(1, async () => {
            await sleep(2);
          });
        } catch (e) {
          return `${(e as Error).name} ${me.cancelling()}`;
        }
        return "none";
      });
      expect(await t).toBe("TimeoutError 0");
    });
  });

  it("a mismatched body kind runs in a child task and is still timed out", async () => {
    await runVirtual(function* () {
      let sawCancel = false;
      try {
        yield* timeout(1, async () => {
          try {
            await sleep(5);
          } catch (e) {
            sawCancel = true;
            throw e;
          }
        });
      } catch (e) {
        expect(e).toBeInstanceOf(TimeoutError);
      }
      expect(sawCancel).toBe(true);
    });
  });

  it("argument errors are synchronous", async () => {
    await runVirtual(async () => {
      expect(() => timeout("1" as never, async () => 1)).toThrow(TypeError);
      expect(() => timeout(Number.NaN, async () => 1)).toThrow(RangeError);
      expect(() => timeoutAt(1, 5 as never)).toThrow(TypeError);
    });
  });
});
