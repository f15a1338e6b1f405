import { describe, expect, it } from "vitest";
import { CancelledError, createTask, currentTask, RuntimeError, sleep, Task } from "./imports.js";
import { ExceptionGroup, TaskGroup, taskGroup } from "@asyncio-ts/combinators";
import { KeyboardInterrupt } from "@asyncio-ts/tasks";
import { cpython, en, KeyError, py, runVirtual, Trace, ValueError } from "./helpers.js";

function eg(e: unknown): ExceptionGroup {
  if (e instanceof ExceptionGroup) return e;
  throw e;
}

async function asyncScenario(tr: Trace): Promise<void> {
  tr.start("taskgroup");
  const me = currentTask()!;
  const ok = (d: number, v: string) => async () => {
    try {
      await sleep(d);
      tr.P("ok", v, tr.T());
      return v;
    } catch (e) {
      tr.P("ok", v, "cancelled", tr.T());
      throw e;
    }
  };
  const bad = (d: number, msg: string) => async () => {
    await sleep(d);
    tr.P("bad", msg, tr.T());
    throw new ValueError(msg);
  };
  let a!: Task<string>;
  let b!: Task<string>;
  await taskGroup(async (tg) => {
    a = tg.createTask(ok(1, "a"));
    b = tg.createTask(ok(2, "b"));
  });
  tr.P("tg1", a.result(), b.result(), tr.T());
  try {
    await taskGroup(async (tg) => {
      tg.createTask(ok(3, "c"));
      tg.createTask(bad(1, "x"));
      tg.createTask(bad(1, "y"));
      await sleep(10);
      tr.P("WRONG body");
    });
  } catch (e) {
    tr.P("eg", py(eg(e).exceptions.map(en)), tr.T(), me.cancelling());
  }
  try {
    await taskGroup(async (tg) => {
      tg.createTask(ok(3, "c"));
      await sleep(1);
      throw new KeyError("'body'");
    });
  } catch (e) {
    tr.P("body err", py(eg(e).exceptions.map((x) => `KeyError("${(x as Error).message}")`)), tr.T());
  }
  let group!: TaskGroup;
  try {
    await taskGroup(async (tg) => {
      group = tg;
      tg.createTask(bad(1, "z"));
      try {
        await sleep(10);
      } catch (e) {
        tr.P("body cancelled", tr.T());
        try {
          tg.createTask(ok(1, "late"));
        } catch (x) {
          tr.P("create while aborting", en(x));
        }
        throw e;
      }
    });
  } catch (e) {
    tr.P("eg2", eg(e).exceptions.length);
  }
  try {
    group.createTask(ok(1, "after"));
  } catch (x) {
    tr.P("create after", en(x));
  }
  const p = createTask(async () => {
    try {
      await taskGroup(async (tg) => {
        tg.createTask(ok(5, "p1"));
        await sleep(10);
      });
    } catch (e) {
      tr.P("parent group cancelled", tr.T());
      throw e;
    }
  });
  await sleep(1);
  p.cancel();
  try {
    await p;
  } catch {
    tr.P("p cancelled", p.cancelled());
  }
  try {
    await taskGroup(async (outer) => {
      outer.createTask(ok(3, "o"));
      await taskGroup(async (inner) => {
        inner.createTask(bad(1, "inner"));
        inner.createTask(ok(2, "i"));
      });
    });
  } catch (e) {
    const first = eg(e).exceptions[0];
    tr.P("nested", first instanceof ExceptionGroup ? py(first.exceptions.map(en)) : en(first), tr.T());
  }
  tr.P("final cancelling", me.cancelling());
}

function* generatorScenario(tr: Trace): Generator<unknown, void, unknown> {
  tr.start("taskgroup");
  const me = currentTask()!;
  function* ok(d: number, v: string): Generator<unknown, string, unknown> {
    try {
      yield* sleep(d);
      tr.P("ok", v, tr.T());
      return v;
    } catch (e) {
      tr.P("ok", v, "cancelled", tr.T());
      throw e;
    }
  }
  function* bad(d: number, msg: string): Generator<unknown, never, unknown> {
    yield* sleep(d);
    tr.P("bad", msg, tr.T());
    throw new ValueError(msg);
  }
  let a!: Task<string>;
  let b!: Task<string>;
  yield* taskGroup(function* (tg) {
    a = tg.createTask(ok(1, "a"));
    b = tg.createTask(ok(2, "b"));
  });
  tr.P("tg1", a.result(), b.result(), tr.T());
  try {
    yield* taskGroup(function* (tg) {
      tg.createTask(ok(3, "c"));
      tg.createTask(bad(1, "x"));
      tg.createTask(bad(1, "y"));
      yield* sleep(10);
      tr.P("WRONG body");
    });
  } catch (e) {
    tr.P("eg", py(eg(e).exceptions.map(en)), tr.T(), me.cancelling());
  }
  try {
    yield* taskGroup(function* (tg) {
      tg.createTask(ok(3, "c"));
      yield* sleep(1);
      throw new KeyError("'body'");
    });
  } catch (e) {
    tr.P("body err", py(eg(e).exceptions.map((x) => `KeyError("${(x as Error).message}")`)), tr.T());
  }
  let group!: TaskGroup;
  try {
    yield* taskGroup(function* (tg) {
      group = tg;
      tg.createTask(bad(1, "z"));
      try {
        yield* sleep(10);
      } catch (e) {
        tr.P("body cancelled", tr.T());
        const late = ok(1, "late");
        try {
          tg.createTask(late);
        } catch (x) {
          tr.P("create while aborting", en(x));
        }
        throw e;
      }
    });
  } catch (e) {
    tr.P("eg2", eg(e).exceptions.length);
  }
  try {
    group.createTask(ok(1, "after"));
  } catch (x) {
    tr.P("create after", en(x));
  }
  const p = createTask(
    (function* () {
      try {
        yield* taskGroup(function* (tg) {
          tg.createTask(ok(5, "p1"));
          yield* sleep(10);
        });
      } catch (e) {
        tr.P("parent group cancelled", tr.T());
        throw e;
      }
    })(),
  );
  yield* sleep(1);
  p.cancel();
  try {
    yield* p;
  } catch {
    tr.P("p cancelled", p.cancelled());
  }
  try {
    yield* taskGroup(function* (outer) {
      outer.createTask(ok(3, "o"));
      yield* taskGroup(function* (inner) {
        inner.createTask(bad(1, "inner"));
        inner.createTask(ok(2, "i"));
      });
    });
  } catch (e) {
    const first = eg(e).exceptions[0];
    tr.P("nested", first instanceof ExceptionGroup ? py(first.exceptions.map(en)) : en(first), tr.T());
  }
  tr.P("final cancelling", me.cancelling());
}

describe("TaskGroup: CPython trace", () => {
  it("waits, aborts on the first failure, collects errors, refuses late tasks, parent cancel, nesting (async)", async () => {
    const tr = new Trace();
    await runVirtual(() => asyncScenario(tr));
    expect(tr.toString()).toBe(cpython("taskgroup"));
  });

  it("the same, with generator coroutines", async () => {
    const tr = new Trace();
    await runVirtual(() => generatorScenario(tr));
    expect(tr.toString()).toBe(cpython("taskgroup"));
  });
});

describe("TaskGroup: more cases (test_taskgroups.py)", () => {
  it("returns the body's value; children see their own task", async () => {
    await runVirtual(async () => {
      const parent = currentTask();
      const value = await taskGroup(async (tg) => {
        const t = tg.createTask(async () => currentTask() !== parent, { name: "child" });
        expect(t.getName()).toBe("child");
        return 42;
      });
      expect(value).toBe(42);
    });
  });

  it("outside a task it is a RuntimeError; createTask before entering too", async () => {
    expect(() => taskGroup(async () => 1)).toThrow(RuntimeError);
    await runVirtual(async () => {
      expect(() => new TaskGroup().createTask(async () => 1)).toThrow(/has not been entered/);
      expect(() => taskGroup(1 as never)).toThrow(TypeError);
    });
  });

  it("a child's CancelledError is not an error", async () => {
    await runVirtual(async () => {
      await taskGroup(async (tg) => {
        const t = tg.createTask(() => sleep(5));
        tg.createTask(() => sleep(1, 1));
        await sleep(0);
        t.cancel();
      });
    });
  });

  it("an external cancel while a child fails: the ExceptionGroup wins over CancelledError", async () => {
    await runVirtual(async () => {
      const parent = createTask(async () => {
        await taskGroup(async (tg) => {
          tg.createTask(async () => {
            await sleep(1);
            throw new ValueError("child");
          });
          await sleep(10);
        });
      });
      await sleep(1);
      parent.cancel();
      const error = await parent.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ExceptionGroup);
      expect((error as ExceptionGroup).exceptions.map(en)).toEqual(["ValueError('child')"]);
    });
  });

  it("a KeyboardInterrupt in a child is re-raised as is", async () => {
    await runVirtual(async () => {
      const ki = new KeyboardInterrupt();
      await expect(
        taskGroup(async (tg) => {
          tg.createTask(async () => {
            await sleep(1);
            throw ki;
          });
          tg.createTask(() => sleep(5));
        }),
      ).rejects.toBe(ki);
    });
  });

  it("children still pending when the body fails are cancelled and awaited", async () => {
    await runVirtual(async () => {
      const log: string[] = [];
      await taskGroup(async (tg) => {
        tg.createTask(async () => {
          try {
            await sleep(5);
          } catch (e) {
            await sleep(1);
            log.push("child cleaned up");
            throw e;
          }
        });
        await sleep(1);
        throw new ValueError("body");
      }).then(undefined, (e: unknown) => log.push(`${(e as Error).name} ${eg(e).exceptions.map(en).join()}`));
      expect(log).toEqual(["child cleaned up", "ExceptionGroup ValueError('body')"]);
    });
  });

  it("a child that finishes at once (eager) is handled at createTask", async () => {
    await runVirtual(async () => {
      const { eagerTaskFactory } = await import("@asyncio-ts/tasks");
      const loop = currentTask()!.getLoop();
      loop.setTaskFactory(eagerTaskFactory);
      try {
        await expect(
          taskGroup(async (tg) => {
            tg.createTask(async () => {
              throw new ValueError("eager");
            });
            await sleep(1);
          }),
        ).rejects.toBeInstanceOf(ExceptionGroup);
      } finally {
        loop.setTaskFactory(null);
      }
    });
  });

  it("cancelling the parent during the group's exit wait cancels the children once", async () => {
    await runVirtual(async () => {
      let cancels = 0;
      const parent = createTask(async () => {
        await taskGroup(async (tg) => {
          tg.createTask(async () => {
            try {
              await sleep(10);
            } catch (e) {
              cancels++;
              throw e;
            }
          });
        });
      });
      await sleep(1);
      parent.cancel();
      await expect(parent).rejects.toBeInstanceOf(CancelledError);
      expect(cancels).toBe(1);
    });
  });

  it("ExceptionGroup: AggregateError, exceptions, split and subgroup", () => {
    const a = new ValueError("a");
    const b = new KeyError("b");
    const group = new ExceptionGroup("many", [a, new ExceptionGroup("inner", [b])]);
    expect(group).toBeInstanceOf(AggregateError);
    expect(group.errors).toEqual(group.exceptions);
    expect(group.name).toBe("ExceptionGroup");
    expect(String(group)).toBe("ExceptionGroup: many (2 sub-exceptions)");
    const [match, rest] = group.split(ValueError);
    expect(match?.exceptions).toEqual([a]);
    expect((rest?.exceptions[0] as ExceptionGroup).exceptions).toEqual([b]);
    expect(group.subgroup((e) => e === b)?.exceptions.length).toBe(1);
    expect(() => new ExceptionGroup("none", [])).toThrow(RangeError);
  });
});
