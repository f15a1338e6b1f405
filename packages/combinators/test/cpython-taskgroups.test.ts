// TaskGroup behaviours of CPython 3.12 (test_taskgroups.py) not covered by
// task-group.test.ts. Expected traces were printed by ~/.pyenv/versions/3.12.1/bin/python3
// running the quoted snippets; times are seconds since the scenario started,
// rounded to 0.1 (CPython's real clock adds a few ms, the virtual clock none).
import { describe, expect, it } from "vitest";
import { CancelledError, createTask, currentTask, getRunningLoop, sleep, type Task } from "./imports.js";
import { ExceptionGroup, taskGroup, type TaskGroup } from "@asyncio-ts/combinators";
import { KeyboardInterrupt } from "@asyncio-ts/tasks";
import { awaiting, KINDS, runVirtual, tracer } from "./helpers.js";

class ZeroDivisionError extends Error {
  override name = "ZeroDivisionError";
}
class MyExc extends Error {
  override name = "MyExc";
}
class ValueError extends Error {
  override name = "ValueError";
}

/** `raise e`, as an expression. */
function raise(e: Error): never {
  throw e;
}

function types(eg: unknown): string {
  if (!(eg instanceof ExceptionGroup)) throw eg;
  return JSON.stringify([...new Set(eg.exceptions.map((e) => (e as Error).name))].sort());
}

describe.each(KINDS)("a failing child (%s coroutines)", (kind) => {
  // test_taskgroup_04: foo1 sleeps 0.1 then 1/0; foo2 sleeps 1 (logs its cancel); runner: group; NUM += 10 after
  // -> ['ZeroDivisionError'] 0 True True 0.1
  // test_cancel_children_on_child_error: 3 x foo1, foo2 (sleep 5), body sleeps 10 and logs its cancel
  // -> ['ZeroDivisionError'] 3 0 True True 0.1
  it("cancels the siblings and the body; all the errors come out together; code after the group does not run", async () => {
    const { lines, P, T, start } = tracer();
    await runVirtual(async () => {
      start();
      let NUM = 0;
      let t2Cancel = false;
      let runnerCancel = false;
      let t2!: Task<void>;
      const foo1 = () => awaiting(kind, () => sleep(0.1), { then: () => raise(new ZeroDivisionError()) });
      const foo2 = (d: number) => awaiting(kind, () => sleep(d), { onError: () => (t2Cancel = true), then: () => void (NUM += 1) });
      const runner04 =
        kind === "async"
          ? async () => {
              await taskGroup(async (g) => {
                g.createTask(foo1());
                t2 = g.createTask(foo2(1));
              });
              NUM += 10;
            }
          : (function* () {
              yield* taskGroup(function* (g) {
                g.createTask(foo1());
                t2 = g.createTask(foo2(1));
              });
              NUM += 10;
            })();
      try {
        await createTask(runner04);
      } catch (e) {
        P(types(e), NUM, t2Cancel, t2.cancelled(), T());
      }
      start();
      NUM = 0;
      t2Cancel = false;
      const runner =
        kind === "async"
          ? async () => {
              await taskGroup(async (g) => {
                g.createTask(foo1());
                g.createTask(foo1());
                g.createTask(foo1());
                g.createTask(foo2(5));
                try {
                  await sleep(10);
                } catch (e) {
                  runnerCancel = true;
                  throw e;
                }
              });
              NUM += 10;
            }
          : (function* () {
              yield* taskGroup(function* (g) {
                g.createTask(foo1());
                g.createTask(foo1());
                g.createTask(foo1());
                g.createTask(foo2(5));
                try {
                  yield* sleep(10);
                } catch (e) {
                  runnerCancel = true;
                  throw e;
                }
              });
              NUM += 10;
            })();
      try {
        await createTask(runner);
      } catch (e) {
        P(types(e), (e as ExceptionGroup).exceptions.length, NUM, t2Cancel, runnerCancel, T());
      }
    });
    expect(lines).toEqual(['["ZeroDivisionError"] 0 true true 0.1', '["ZeroDivisionError"] 3 0 true true 0.1']);
  });
});

describe.each(KINDS)("cancelling the parent (%s coroutines)", (kind) => {
  // test_cancellation / test_taskgroup_07: 5 children count their cancel (+1); with a body that also sleeps (+10)
  // r = create_task(runner(body)); await sleep(0.1); P(r.done(), r.cancel()); await r
  // -> False True / cancelled 5 True 0.1 / False True / cancelled 15 True 0.2
  it("cancels the body and every child, waits for them, and raises CancelledError", async () => {
    const { lines, P, T, start } = tracer();
    await runVirtual(async () => {
      start();
      let NUM = 0;
      const foo = () => awaiting(kind, () => sleep(5), { onError: () => (NUM += 1) });
      for (const body of [false, true]) {
        NUM = 0;
        const r =
          kind === "async"
            ? createTask(async () => {
                await taskGroup(async (g) => {
                  for (let i = 0; i < 5; i++) g.createTask(foo());
                  if (body) {
                    try {
                      await sleep(10);
                    } catch (e) {
                      NUM += 10;
                      throw e;
                    }
                  }
                });
              })
            : createTask(
                (function* () {
                  yield* taskGroup(function* (g) {
                    for (let i = 0; i < 5; i++) g.createTask(foo());
                    if (body) {
                      try {
                        yield* sleep(10);
                      } catch (e) {
                        NUM += 10;
                        throw e;
                      }
                    }
                  });
                })(),
              );
        await sleep(0.1);
        P(r.done(), r.cancel());
        try {
          await r;
        } catch (e) {
          if (e instanceof CancelledError) P("cancelled", NUM, r.cancelled(), T());
        }
      }
    });
    expect(lines).toEqual(["false true", "cancelled 5 true 0.1", "false true", "cancelled 15 true 0.2"]);
  });

  // test_taskgroup_08: 5 children `try: await sleep(10) finally: 1/0`; body sleeps 10; r.cancel() at 0.1
  // -> ['ZeroDivisionError'] 5 False 0.1   (an ExceptionGroup, not CancelledError; r not cancelled)
  it("children failing while being cancelled: the parent gets the ExceptionGroup, not CancelledError", async () => {
    const { lines, P, T, start } = tracer();
    await runVirtual(async () => {
      start();
      const foo = () => awaiting(kind, () => sleep(10), { finally: () => raise(new ZeroDivisionError()) });
      const r =
        kind === "async"
          ? createTask(async () => {
              await taskGroup(async (g) => {
                for (let i = 0; i < 5; i++) g.createTask(foo());
                await sleep(10);
              });
            })
          : createTask(
              (function* () {
                yield* taskGroup(function* (g) {
                  for (let i = 0; i < 5; i++) g.createTask(foo());
                  yield* sleep(10);
                });
              })(),
            );
      await sleep(0.1);
      r.cancel();
      try {
        await r;
      } catch (e) {
        P(types(e), (e as ExceptionGroup).exceptions.length, r.cancelled(), T());
      }
    });
    expect(lines).toEqual(['["ZeroDivisionError"] 5 false 0.1']);
  });

  // test_taskgroup_15/16: crash_soon (0.3 then 1/0); body: try: await sleep(10) except CancelledError:
  //   P("body cancelled", T()); await sleep(0.5); raise
  // nested_runner directly, then runner16 = a task awaiting nested_runner in a task; r.cancel() at 0.1
  // -> body cancelled 0.1 / nested_runner ['ZeroDivisionError'] 0.3 / body cancelled 0.4 / runner16 ['ZeroDivisionError'] 0.6
  it("a child failing while the cancelled body cleans up interrupts the cleanup; the error group wins (direct and through a task)", async () => {
    const { lines, P, T, start } = tracer();
    await runVirtual(async () => {
      start();
      const crashSoon = () => awaiting(kind, () => sleep(0.3), { then: () => raise(new ZeroDivisionError()) });
      const nestedRunner = () =>
        kind === "async"
          ? async () => {
              await taskGroup(async (g) => {
                g.createTask(crashSoon());
                try {
                  await sleep(10);
                } catch (e) {
                  P("body cancelled", T());
                  await sleep(0.5);
                  throw e;
                }
              });
            }
          : (function* () {
              yield* taskGroup(function* (g) {
                g.createTask(crashSoon());
                try {
                  yield* sleep(10);
                } catch (e) {
                  P("body cancelled", T());
                  yield* sleep(0.5);
                  throw e;
                }
              });
            })();
      const runner16 = () => awaiting(kind, () => createTask(nestedRunner()));
      for (const [name, make] of [
        ["nested_runner", nestedRunner],
        ["runner16", runner16],
      ] as const) {
        const r = createTask(make());
        await sleep(0.1);
        r.cancel();
        try {
          await r;
        } catch (e) {
          P(name, types(e), T());
        }
      }
    });
    expect(lines).toEqual(["body cancelled 0.1", 'nested_runner ["ZeroDivisionError"] 0.3', "body cancelled 0.4", 'runner16 ["ZeroDivisionError"] 0.6']);
  });

  // test_taskgroup_17/18: empty group; body: try: await sleep(10) except CancelledError: NUM += 10; (raise MyExc | raise)
  // -> CancelledError 10 / EG ['MyExc'] 10 False
  it("a cancelled body re-raising: CancelledError; raising another error instead: an ExceptionGroup with it", async () => {
    const { lines, P } = tracer();
    await runVirtual(async () => {
      for (const exc of [false, true]) {
        let NUM = 0;
        const r =
          kind === "async"
            ? createTask(async () => {
                await taskGroup(async () => {
                  try {
                    await sleep(10);
                  } catch (e) {
                    NUM += 10;
                    if (exc) throw new MyExc();
                    throw e;
                  }
                });
              })
            : createTask(
                (function* () {
                  yield* taskGroup(function* () {
                    try {
                      yield* sleep(10);
                    } catch (e) {
                      NUM += 10;
                      if (exc) throw new MyExc();
                      throw e;
                    }
                  });
                })(),
              );
        await sleep(0.1);
        r.cancel();
        try {
          await r;
        } catch (e) {
          if (e instanceof CancelledError) P("CancelledError", NUM);
          else P("EG", types(e), NUM, r.cancelled());
        }
      }
    });
    expect(lines).toEqual(["CancelledError 10", 'EG ["MyExc"] 10 false']);
  });
});

describe("the body fails in a sub-coroutine", () => {
  // test_taskgroup_19/20: crash_soon (0.1, 1/0); body awaits nested(): try: await sleep(10) finally: raise exc
  // await create_task(runner(MyExc)) -> 19 ['MyExc', 'ZeroDivisionError'] 0.1
  // await runner(KeyboardInterrupt)  -> raised as is: 20 KeyboardInterrupt 0.2 0 (the parent's cancelling() is back to 0)
  it("async: the body's own error joins the children's; a KeyboardInterrupt is raised alone", async () => {
    const { lines, P, T, start } = tracer();
    await runVirtual(async () => {
      start();
      const crashSoon = async () => {
        await sleep(0.1);
        throw new ZeroDivisionError();
      };
      const nested = async (makeExc: () => Error) => {
        try {
          await sleep(10);
        } finally {
          // eslint-disable-next-line no-unsafe-finally
          throw makeExc();
        }
      };
      const runner = (makeExc: () => Error) => async () => {
        await taskGroup(async (g) => {
          g.createTask(crashSoon);
          await nested(makeExc);
        });
      };
      try {
        await createTask(runner(() => new MyExc()));
      } catch (e) {
        P("19", types(e), T());
      }
      try {
        await runner(() => new KeyboardInterrupt())();
      } catch (e) {
        if (e instanceof KeyboardInterrupt) P("20 KeyboardInterrupt", T(), currentTask()!.cancelling());
        else throw e;
      }
    });
    expect(lines).toEqual(['19 ["MyExc","ZeroDivisionError"] 0.1', "20 KeyboardInterrupt 0.2 0"]);
  });

  it("generator: the same", async () => {
    const { lines, P, T, start } = tracer();
    await runVirtual(
      (function* () {
        start();
        const crashSoon = function* (): Generator<unknown, void, unknown> {
          yield* sleep(0.1);
          throw new ZeroDivisionError();
        };
        const nested = function* (makeExc: () => Error): Generator<unknown, void, unknown> {
          try {
            yield* sleep(10);
          } finally {
            // eslint-disable-next-line no-unsafe-finally
            throw makeExc();
          }
        };
        const runner = function* (makeExc: () => Error): Generator<unknown, void, unknown> {
          yield* taskGroup(function* (g) {
            g.createTask(crashSoon());
            yield* nested(makeExc);
          });
        };
        try {
          yield* createTask(runner(() => new MyExc()));
        } catch (e) {
          P("19", types(e), T());
        }
        try {
          yield* runner(() => new KeyboardInterrupt());
        } catch (e) {
          if (e instanceof KeyboardInterrupt) P("20 KeyboardInterrupt", T(), currentTask()!.cancelling());
          else throw e;
        }
      })(),
    );
    expect(lines).toEqual(['19 ["MyExc","ZeroDivisionError"] 0.1', "20 KeyboardInterrupt 0.2 0"]);
  });
});

describe("nesting and growth", () => {
  // test_taskgroup_11/12: inner group with 5 children raising 1/0 in finally; parent cancelled at 0.1
  // runner11: outer group empty; runner12: outer group also has a child sleeping 10
  // -> runner11 ['ExceptionGroup'] ['ZeroDivisionError'] 5 0.1 / runner12 ['ExceptionGroup'] ['ZeroDivisionError'] 5 0.2
  it("an inner group's ExceptionGroup is nested inside the outer group's", async () => {
    const { lines, P, T, start } = tracer();
    await runVirtual(async () => {
      start();
      const foo = () => async () => {
        try {
          await sleep(10);
        } finally {
          // eslint-disable-next-line no-unsafe-finally
          throw new ZeroDivisionError();
        }
      };
      const runner11 = async () => {
        await taskGroup(async () => {
          await taskGroup(async (g2) => {
            for (let i = 0; i < 5; i++) g2.createTask(foo());
            await sleep(10);
          });
        });
      };
      const runner12 = async () => {
        await taskGroup(async (g1) => {
          g1.createTask(() => sleep(10));
          await taskGroup(async (g2) => {
            for (let i = 0; i < 5; i++) g2.createTask(foo());
            await sleep(10);
          });
        });
      };
      for (const [name, runner] of [
        ["runner11", runner11],
        ["runner12", runner12],
      ] as const) {
        const r = createTask(runner);
        await sleep(0.1);
        r.cancel();
        try {
          await r;
        } catch (e) {
          const inner = (e as ExceptionGroup).exceptions[0];
          P(name, types(e), types(inner), (inner as ExceptionGroup).exceptions.length, T());
        }
      }
    });
    expect(lines).toEqual(['runner11 ["ExceptionGroup"] ["ZeroDivisionError"] 5 0.1', 'runner12 ["ExceptionGroup"] ["ZeroDivisionError"] 5 0.2']);
  });

  // test_taskgroup_13/14: crash_after(t): await sleep(t); raise ValueError(t)
  // runner13: g1 child crashes at 0.1, g2 (inner) child at 10 -> ['ValueError'] [ValueError(0.1)] 0.1
  // runner14: g1 child at 10, g2 child at 0.1 -> ['ExceptionGroup'] [['ValueError']] 0.2
  it("which group an error lands in depends on where the failing child lives", async () => {
    const { lines, P, T, start } = tracer();
    await runVirtual(async () => {
      start();
      const crashAfter = (t: number) => async () => {
        await sleep(t);
        throw new ValueError(String(t));
      };
      const runner13 = async () => {
        await taskGroup(async (g1) => {
          g1.createTask(crashAfter(0.1));
          await taskGroup(async (g2) => {
            g2.createTask(crashAfter(10));
          });
        });
      };
      const runner14 = async () => {
        await taskGroup(async (g1) => {
          g1.createTask(crashAfter(10));
          await taskGroup(async (g2) => {
            g2.createTask(crashAfter(0.1));
          });
        });
      };
      for (const [name, runner] of [
        ["runner13", runner13],
        ["runner14", runner14],
      ] as const) {
        try {
          await createTask(runner);
        } catch (e) {
          const parts = (e as ExceptionGroup).exceptions.map((x) => (x instanceof ExceptionGroup ? types(x) : `${(x as Error).name}(${(x as Error).message})`));
          P(name, types(e), JSON.stringify(parts), T());
        }
      }
    });
    expect(lines).toEqual(['runner13 ["ValueError"] ["ValueError(0.1)"] 0.1', 'runner14 ["ExceptionGroup"] ["[\\"ValueError\\"]"] 0.2']);
  });

  // test_taskgroup_22: two children sleeping 1; r.cancel() at 0.05 -> cancelled True 0.05
  it("cancelling a parent whose body already finished (the group is in its exit wait)", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const t0 = loop.time();
      const r = createTask(async () => {
        await taskGroup(async (g) => {
          g.createTask(async () => {
            await sleep(1);
            return 42;
          });
          g.createTask(async () => {
            await sleep(1);
            return 42;
          });
        });
      });
      await sleep(0.05);
      r.cancel();
      await expect(r.then()).rejects.toBeInstanceOf(CancelledError);
      expect([r.cancelled(), Math.round((loop.time() - t0) * 100) / 100]).toEqual([true, 0.05]);
    });
  });

  // test_taskgroup_24 / test_taskgroup_25: children add children to the group while it waits in its exit
  // root: await sleep(0.1); g.create_task(coro1(0.1)); g.create_task(coro1(0.2))
  // -> coro1 0.1 0.2 / coro1 0.2 0.3 / group done 0.3
  it("children may add children while the group waits for them to finish", async () => {
    const { lines, P, T, start } = tracer();
    await runVirtual(async () => {
      start();
      const coro1 = (d: number) => async () => {
        await sleep(d);
        P("coro1", d, T());
      };
      await taskGroup(async (g) => {
        g.createTask(async () => {
          await sleep(0.1);
          g.createTask(coro1(0.1));
          g.createTask(coro1(0.2));
        });
      });
      P("group done", T());
    });
    expect(lines).toEqual(["coro1 0.1 0.2", "coro1 0.2 0.3", "group done 0.3"]);
  });

  // test_taskgroup_25: hydras spawn two hydras every 0.01 s; hercules polls every 0.015 s until nhydras >= 10, then 1/0
  // -> ExceptionGroup of ZeroDivisionError only; nhydras >= 10 (the exact count depends on the clock)
  it("a group growing without bound is stopped by a failing child; the spawned children are all cancelled", async () => {
    await runVirtual(async () => {
      let nhydras = 0;
      let group!: TaskGroup;
      const hydra = (g: TaskGroup) => async () => {
        nhydras += 1;
        await sleep(0.01);
        g.createTask(hydra(g));
        g.createTask(hydra(g));
      };
      const hercules = async () => {
        while (nhydras < 10) await sleep(0.015);
        throw new ZeroDivisionError();
      };
      try {
        await taskGroup(async (g) => {
          group = g;
          g.createTask(hydra(g));
          g.createTask(hercules);
        });
      } catch (e) {
        expect(types(e)).toBe('["ZeroDivisionError"]');
        expect((e as ExceptionGroup).exceptions).toHaveLength(1);
      }
      expect(nhydras).toBeGreaterThanOrEqual(10);
      // repr(g) after the failure: '<TaskGroup cancelling>' (no tasks left, errors handed out)
      expect(String(group)).toBe("<TaskGroup cancelling>");
    });
  });
});

describe("refusals and cleanup errors", () => {
  // async with TaskGroup() as g: g.create_task(bad()); g.create_task(sleep(1)); repr(g) -> '<TaskGroup tasks=2 entered>'
  // async with TaskGroup() as g2: repr(g2) -> '<TaskGroup entered>', and after a clean exit still '<TaskGroup entered>'
  it("reprs while running and after a clean exit", async () => {
    await runVirtual(async () => {
      let g2!: TaskGroup;
      await taskGroup(async (g) => {
        g.createTask(() => sleep(0.01));
        g.createTask(() => sleep(1));
        expect(String(g)).toBe("<TaskGroup tasks=2 entered>");
      });
      await taskGroup(async (g) => {
        g2 = g;
        expect(String(g)).toBe("<TaskGroup entered>");
      });
      expect(String(g2)).toBe("<TaskGroup entered>");
    });
  });

  // test_taskgroup_no_create_task_after_failure: coro2 (cancelled by the failure) tries g.create_task -> RuntimeError
  // -> refused RuntimeError('TaskGroup ... / ['ZeroDivisionError'] 1
  it("createTask from a child being cancelled because of a failure is refused", async () => {
    const lines: string[] = [];
    await runVirtual(async () => {
      try {
        await taskGroup(async (g) => {
          g.createTask(async () => {
            await sleep(0.001);
            throw new ZeroDivisionError();
          });
          g.createTask(async () => {
            try {
              await sleep(1);
            } catch {
              try {
                g.createTask(async () => 1);
              } catch (e) {
                lines.push(`refused ${(e as Error).name} ${/^TaskGroup /.test((e as Error).message)}`);
              }
            }
          });
        });
      } catch (e) {
        lines.push(`${types(e)} ${(e as ExceptionGroup).exceptions.length}`);
      }
    });
    expect(lines).toEqual(["refused RuntimeError true", '["ZeroDivisionError"] 1']);
  });

  // test_taskgroup_context_manager_exit_raises: inside the group, an async context manager whose exit raises
  // CustomException wraps a sleep; a child raises CustomException at once
  // -> task.cancelling() == 0, len(err.exceptions) == 2
  it("a body that turns the group's cancel into another error: both errors, and the parent's cancelling() is 0", async () => {
    class CustomException extends Error {
      override name = "CustomException";
    }
    await runVirtual(async () => {
      const result = await createTask(async () => {
        const task = currentTask()!;
        try {
          await taskGroup(async (tg) => {
            try {
              tg.createTask(async () => {
                throw new CustomException();
              });
              await sleep(1);
            } finally {
              // eslint-disable-next-line no-unsafe-finally
              throw new CustomException();
            }
          });
        } catch (e) {
          return [task.cancelling(), (e as ExceptionGroup).exceptions.length, types(e)];
        }
        return null;
      });
      expect(result).toEqual([0, 2, '["CustomException"]']);
    });
  });
});
