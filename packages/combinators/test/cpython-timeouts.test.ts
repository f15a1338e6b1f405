// Timeout-scope behaviours of CPython 3.12 (test_timeouts.py) not covered by
// timeouts.test.ts. Expected traces were printed by ~/.pyenv/versions/3.12.1/bin/python3
// running the quoted snippets; `time.sleep(x)` (a busy loop) is `clock.advance(x)`.
import { describe, expect, it } from "vitest";
import { CancelledError, createTask, currentTask, getRunningLoop, sleep, VirtualClock, EventLoop, run, type Task } from "./imports.js";
import { Timeout, timeout, timeoutAt, TimeoutError } from "@asyncio-ts/combinators";
import type { Coroutine, ExceptionContext } from "@asyncio-ts/loop";
import { runVirtual } from "./helpers.js";

const KINDS = ["async", "generator"] as const;

function en(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  return e.message === "" ? `${e.name}()` : `${e.name}('${e.message}')`;
}

/** Like helpers' runVirtual, with the clock handed to the caller. */
async function runClock<T>(clock: VirtualClock, main: Coroutine<T>): Promise<T> {
  const reports: ExceptionContext[] = [];
  const result = await run(main, {
    loopFactory: () => {
      const loop = new EventLoop({ clock });
      loop.setExceptionHandler((_l, c) => void reports.push(c));
      return loop;
    },
  });
  if (reports.length > 0) throw new Error(`unexpected loop reports: ${reports.map((r) => r.message).join("; ")}`);
  return result;
}

/** Seconds since `t0`, rounded to 0.01 as the Python traces print them. */
function since(t0: number): number {
  return Math.round((getRunningLoop().time() - t0) * 100) / 100;
}

describe.each(KINDS)("nested scopes (%s coroutines)", (kind) => {
  // deadline = loop.time() + 0.01
  // async with timeout_at(deadline) as cm1:
  //     try: async with timeout_at(deadline) as cm2: await sleep(10)
  //     except CancelledError: P("inner CancelledError"); raise
  // except TimeoutError: P("outer TimeoutError", cm1.expired(), cm2.expired(), current_task().cancelling())
  // -> inner CancelledError / outer TimeoutError True True 0
  it("two scopes with the same deadline: only the outermost raises TimeoutError", async () => {
    const lines: string[] = [];
    const P = (...a: unknown[]) => void lines.push(a.map(String).join(" "));
    if (kind === "async") {
      await runVirtual(async () => {
        const deadline = getRunningLoop().time() + 0.01;
        let cm1!: Timeout;
        let cm2!: Timeout;
        try {
          await timeoutAt(deadline, async (c1) => {
            cm1 = c1;
            try {
              await timeoutAt(deadline, async (c2) => {
                cm2 = c2;
                await sleep(10);
              });
            } catch (e) {
              P(e instanceof TimeoutError ? "inner TimeoutError" : "inner CancelledError");
              throw e;
            }
          });
        } catch (e) {
          if (e instanceof TimeoutError) P("outer TimeoutError", cm1.expired(), cm2.expired(), currentTask()!.cancelling());
        }
      });
    } else {
      await runVirtual(
        (function* () {
          const deadline = getRunningLoop().time() + 0.01;
          let cm1!: Timeout;
          let cm2!: Timeout;
          try {
            yield* timeoutAt(deadline, function* (c1) {
              cm1 = c1;
              try {
                yield* timeoutAt(deadline, function* (c2) {
                  cm2 = c2;
                  yield* sleep(10);
                });
              } catch (e) {
                P(e instanceof TimeoutError ? "inner TimeoutError" : "inner CancelledError");
                throw e;
              }
            });
          } catch (e) {
            if (e instanceof TimeoutError) P("outer TimeoutError", cm1.expired(), cm2.expired(), currentTask()!.cancelling());
          }
        })(),
      );
    }
    expect(lines).toEqual(["inner CancelledError", "outer TimeoutError true true 0"]);
  });

  // async with timeout(0.01):
  //     try: await sleep(1)
  //     finally:
  //         try: async with timeout(0.01): await sleep(10)
  //         except TimeoutError: P("inner timeout in finally", T())
  // except TimeoutError: P("outer timeout", T())
  // -> inner timeout in finally 0.02 / outer timeout 0.02
  it("a scope inside the finally of an expired scope times out on its own; the outer one still raises", async () => {
    const lines: string[] = [];
    const P = (...a: unknown[]) => void lines.push(a.map(String).join(" "));
    if (kind === "async") {
      await runVirtual(async () => {
        const t0 = getRunningLoop().time();
        try {
          await timeout(0.01, async () => {
            try {
              await sleep(1);
            } finally {
              try {
                await timeout(0.01, async () => {
                  await sleep(10);
                });
              } catch (e) {
                if (e instanceof TimeoutError) P("inner timeout in finally", since(t0));
                else throw e;
              }
            }
          });
        } catch (e) {
          if (e instanceof TimeoutError) P("outer timeout", since(t0));
        }
      });
    } else {
      await runVirtual(
        (function* () {
          const t0 = getRunningLoop().time();
          try {
            yield* timeout(0.01, function* () {
              try {
                yield* sleep(1);
              } finally {
                try {
                  yield* timeout(0.01, function* () {
                    yield* sleep(10);
                  });
                } catch (e) {
                  if (e instanceof TimeoutError) P("inner timeout in finally", since(t0));
                  else throw e;
                }
              }
            });
          } catch (e) {
            if (e instanceof TimeoutError) P("outer timeout", since(t0));
          }
        })(),
      );
    }
    expect(lines).toEqual(["inner timeout in finally 0.02", "outer timeout 0.02"]);
  });

  // test_timeout_after_cancellation / test_cancel_in_timeout_after_cancellation:
  // try: current_task().cancel(); await sleep(1) except CancelledError: P("cancelled", cancelling())
  // finally: try: async with timeout(0.0): await sleep(1)  except TimeoutError: P("timeout in cleanup", cancelling())
  // uncancel(); then the same with `async with timeout(1.0): current_task().cancel(); await sleep(2)`
  // -> cancelled 1 / timeout in cleanup 1 / cancel in cleanup 0 2
  it("scopes used in cleanup after the task was cancelled: a timeout still converts, a new cancel does not", async () => {
    const lines: string[] = [];
    const P = (...a: unknown[]) => void lines.push(a.map(String).join(" "));
    if (kind === "async") {
      await runVirtual(async () => {
        const me = currentTask()!;
        const t0 = getRunningLoop().time();
        try {
          me.cancel();
          await sleep(1);
        } catch {
          P("cancelled", me.cancelling());
        } finally {
          try {
            await timeout(0, async () => {
              await sleep(1);
            });
          } catch (e) {
            if (e instanceof TimeoutError) P("timeout in cleanup", me.cancelling());
            else throw e;
          }
        }
        me.uncancel();
        try {
          me.cancel();
          await sleep(1);
        } catch {
          // expected
        } finally {
          try {
            await timeout(1, async () => {
              me.cancel();
              await sleep(2);
            });
          } catch (e) {
            if (e instanceof CancelledError && !(e instanceof TimeoutError)) P("cancel in cleanup", since(t0), me.cancelling());
            else throw e;
          }
        }
        me.uncancel();
        me.uncancel();
      });
    } else {
      await runVirtual(
        (function* () {
          const me = currentTask()!;
          const t0 = getRunningLoop().time();
          try {
            me.cancel();
            yield* sleep(1);
          } catch {
            P("cancelled", me.cancelling());
          } finally {
            try {
              yield* timeout(0, function* () {
                yield* sleep(1);
              });
            } catch (e) {
              if (e instanceof TimeoutError) P("timeout in cleanup", me.cancelling());
              else throw e;
            }
          }
          me.uncancel();
          try {
            me.cancel();
            yield* sleep(1);
          } catch {
            // expected
          } finally {
            try {
              yield* timeout(1, function* () {
                me.cancel();
                yield* sleep(2);
              });
            } catch (e) {
              if (e instanceof CancelledError) P("cancel in cleanup", since(t0), me.cancelling());
              else throw e;
            }
          }
          me.uncancel();
          me.uncancel();
        })(),
      );
    }
    expect(lines).toEqual(["cancelled 1", "timeout in cleanup 1", "cancel in cleanup 0 2"]);
  });
});

describe("busy loop (time passes inside a step)", () => {
  // async with timeout(0.1) as c1:
  //     try: async with timeout(0.01) as c2: time.sleep(0.1); await sleep(1)
  //     except TimeoutError: P("inner TimeoutError")  except CancelledError: P("inner CancelledError", cancelling()); raise
  //     await sleep(10)
  // except TimeoutError: P("outer TimeoutError", c1.expired(), c2.expired(), round(elapsed, 1), cancelling())
  // -> inner CancelledError 1 / outer TimeoutError True True 0.1 0
  // Second: timeout(0.002) outside timeout(0.1), time.sleep(0.01) -> inner CancelledError False / outer TimeoutError True False
  it.each(KINDS)("both deadlines pass in the same iteration: the inner scope lets CancelledError through, the outer raises (%s)", async (kind) => {
    const lines: string[] = [];
    const P = (...a: unknown[]) => void lines.push(a.map(String).join(" "));
    const clock = new VirtualClock();
    if (kind === "async") {
      await runClock(clock, async () => {
        const me = currentTask()!;
        let c1!: Timeout;
        let c2!: Timeout;
        let t0 = getRunningLoop().time();
        try {
          await timeout(0.1, async (a) => {
            c1 = a;
            try {
              await timeout(0.01, async (b) => {
                c2 = b;
                clock.advance(0.1);
                await sleep(1);
              });
            } catch (e) {
              if (e instanceof TimeoutError) P("inner TimeoutError", me.cancelling());
              else {
                P("inner CancelledError", me.cancelling());
                throw e;
              }
            }
            P("after inner");
            await sleep(10);
          });
        } catch (e) {
          if (e instanceof TimeoutError) P("outer TimeoutError", c1.expired(), c2.expired(), Math.round((getRunningLoop().time() - t0) * 10) / 10, me.cancelling());
        }
        t0 = getRunningLoop().time();
        try {
          await timeout(0.002, async (a) => {
            c1 = a;
            try {
              await timeout(0.1, async (b) => {
                c2 = b;
                clock.advance(0.01);
                await sleep(1);
              });
            } catch (e) {
              if (e instanceof TimeoutError) P("inner TimeoutError");
              else {
                P("inner CancelledError", c2.expired());
                throw e;
              }
            }
          });
        } catch (e) {
          if (e instanceof TimeoutError) P("outer TimeoutError", c1.expired(), c2.expired());
        }
      });
    } else {
      await runClock(
        clock,
        (function* () {
          const me = currentTask()!;
          let c1!: Timeout;
          let c2!: Timeout;
          let t0 = getRunningLoop().time();
          try {
            yield* timeout(0.1, function* (a) {
              c1 = a;
              try {
                yield* timeout(0.01, function* (b) {
                  c2 = b;
                  clock.advance(0.1);
                  yield* sleep(1);
                });
              } catch (e) {
                if (e instanceof TimeoutError) P("inner TimeoutError", me.cancelling());
                else {
                  P("inner CancelledError", me.cancelling());
                  throw e;
                }
              }
              P("after inner");
              yield* sleep(10);
            });
          } catch (e) {
            if (e instanceof TimeoutError) P("outer TimeoutError", c1.expired(), c2.expired(), Math.round((getRunningLoop().time() - t0) * 10) / 10, me.cancelling());
          }
          t0 = getRunningLoop().time();
          try {
            yield* timeout(0.002, function* (a) {
              c1 = a;
              try {
                yield* timeout(0.1, function* (b) {
                  c2 = b;
                  clock.advance(0.01);
                  yield* sleep(1);
                });
              } catch (e) {
                if (e instanceof TimeoutError) P("inner TimeoutError");
                else {
                  P("inner CancelledError", c2.expired());
                  throw e;
                }
              }
            });
          } catch (e) {
            if (e instanceof TimeoutError) P("outer TimeoutError", c1.expired(), c2.expired());
          }
        })(),
      );
    }
    expect(lines).toEqual(["inner CancelledError 1", "outer TimeoutError true true 0.1 0", "inner CancelledError false", "outer TimeoutError true false"]);
  });
});

describe("states, reprs and reschedule", () => {
  // async with timeout(0.01) as cm: raise KeyError("k")  -> KeyError passes, cm.expired() False, repr '<Timeout [finished]>'
  // timeout(0) + sleep(0) -> TimeoutError, expired, t0 <= when <= now, '<Timeout [expired]>'
  // timeout(-11) + sleep(0) -> TimeoutError, when < now
  // timeout(None): '<Timeout [active] when=None>'; after a normal exit: '<Timeout [finished]>'
  // reschedule after finished / expired / while expiring:
  //   RuntimeError('Cannot change state of finished Timeout') / ... expired ... / ... expiring ...
  // a body that swallows the expiry's CancelledError exits normally: expired() True, cancelling() 0
  it("foreign errors, zero and past deadlines, reprs, and reschedule in each state", async () => {
    const lines: string[] = [];
    const P = (...a: unknown[]) => void lines.push(a.map(String).join(" "));
    await runVirtual(async () => {
      const loop = getRunningLoop();
      let cm!: Timeout;
      try {
        await timeout(0.01, async (c) => {
          cm = c;
          const e = new Error("k");
          e.name = "KeyError";
          throw e;
        });
      } catch (e) {
        P("foreign", en(e), cm.expired(), String(cm));
      }
      const t0 = loop.time();
      try {
        await timeout(0, async (c) => {
          cm = c;
          await sleep(0);
        });
      } catch (e) {
        if (e instanceof TimeoutError) P("zero sleep0", cm.expired(), t0 <= cm.when()! && cm.when()! <= loop.time(), String(cm));
      }
      try {
        await timeout(-11, async (c) => {
          cm = c;
          await sleep(0);
        });
      } catch (e) {
        if (e instanceof TimeoutError) P("past sleep0", cm.expired(), cm.when()! < loop.time());
      }
      await timeout(null, async (c) => void P(String(c)));
      await timeout(10, async (c) => {
        cm = c;
        await sleep(0);
      });
      P(String(cm));
      try {
        cm.reschedule(1);
      } catch (e) {
        P(en(e));
      }
      try {
        await timeout(0.01, async (c) => {
          cm = c;
          await sleep(1);
        });
      } catch {
        // TimeoutError
      }
      try {
        cm.reschedule(1);
      } catch (e) {
        P(en(e));
      }
      await timeout(0.01, async (c) => {
        cm = c;
        try {
          await sleep(1);
        } catch {
          P("body cancelled", String(c));
        }
        try {
          c.reschedule(0.02);
        } catch (e) {
          P(en(e));
        }
      });
      P("exited normally", cm.expired(), currentTask()!.cancelling());
      const task = createTask(async () => {
        try {
          await timeout(0.001, async () => {
            await sleep(10);
          });
        } catch (e) {
          if (e instanceof TimeoutError) P("outer caught");
        }
      });
      await task;
      P("outer task", task.cancelled(), task.done());
    });
    expect(lines).toEqual([
      "foreign KeyError('k') false <Timeout [finished]>",
      "zero sleep0 true true <Timeout [expired]>",
      "past sleep0 true true",
      "<Timeout [active] when=None>",
      "<Timeout [finished]>",
      "RuntimeError('Cannot change state of finished Timeout')",
      "RuntimeError('Cannot change state of expired Timeout')",
      "body cancelled <Timeout [expiring]>",
      "RuntimeError('Cannot change state of expiring Timeout')",
      "exited normally true 0",
      "outer caught",
      "outer task false true",
    ]);
  });

  // test_reschedule: another task holds cm (deadline1 = now + 10); cm.reschedule(deadline2); cm.reschedule(None)
  // -> when() follows; task.cancel() -> CancelledError, cm.expired() False (no timeout although 50 s sleep)
  it("reschedule() from another task moves or removes the deadline; a cancel is then a plain CancelledError", async () => {
    const lines: string[] = [];
    const P = (...a: unknown[]) => void lines.push(a.map(String).join(" "));
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const t0 = loop.time();
      const fut = loop.createFuture<Timeout>();
      const deadline1 = loop.time() + 10;
      const deadline2 = deadline1 + 20;
      const task: Task<void> = createTask(async () => {
        await timeoutAt(deadline1, async (cm) => {
          (fut as unknown as { setResult(v: Timeout): void }).setResult(cm);
          await sleep(50);
        });
      });
      const cm = await (fut as unknown as PromiseLike<Timeout>);
      P(cm.when() === deadline1);
      cm.reschedule(deadline2);
      P(cm.when() === deadline2);
      cm.reschedule(null);
      P(cm.when() === null ? "None" : cm.when());
      await sleep(1);
      task.cancel();
      try {
        await task;
      } catch (e) {
        if (e instanceof CancelledError) P("cancelled", cm.expired(), since(t0));
      }
    });
    expect(lines).toEqual(["true", "true", "None", "cancelled false 1"]);
  });
});
