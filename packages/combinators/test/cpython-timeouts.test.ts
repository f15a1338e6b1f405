// Timeout-scope behaviours of CPython 3.12 (test_timeouts.py) not covered by
// timeouts.test.ts. Expected traces were printed by ~/.pyenv/versions/3.12.1/bin/python3
// running the quoted snippets; `time.sleep(x)` (a busy loop) is `clock.advance(x)`.
import { describe, expect, it } from "vitest";
import { CancelledError, createTask, currentTask, getRunningLoop, sleep, VirtualClock, type Future, type Task } from "./imports.js";
import { Timeout, timeout, timeoutAt, TimeoutError } from "@asyncio-ts/combinators";
import type { Coroutine } from "@asyncio-ts/loop";
import { en, except, KINDS, runVirtual, since, tracer, type Kind } from "./helpers.js";

describe.each(KINDS)("nested scopes (%s coroutines)", (kind) => {
  // deadline = loop.time() + 0.01
  // async with timeout_at(deadline) as cm1:
  //     try: async with timeout_at(deadline) as cm2: await sleep(10)
  //     except CancelledError: P("inner CancelledError"); raise
  // except TimeoutError: P("outer TimeoutError", cm1.expired(), cm2.expired(), current_task().cancelling())
  // -> inner CancelledError / outer TimeoutError True True 0
  it("two scopes with the same deadline: only the outermost raises TimeoutError", async () => {
    const { lines, P } = tracer();
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
    const { lines, P } = tracer();
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
    const { lines, P } = tracer();
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
            except(e, TimeoutError, () => P("timeout in cleanup", me.cancelling()));
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
            except(e, CancelledError, () => P("cancel in cleanup", since(t0), me.cancelling()));
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
              except(e, TimeoutError, () => P("timeout in cleanup", me.cancelling()));
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
              except(e, CancelledError, () => P("cancel in cleanup", since(t0), me.cancelling()));
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
  /** What the handlers of a `busy()` scenario see. */
  interface Seen {
    me: Task<unknown>;
    c1: Timeout;
    c2: Timeout;
    t0: number;
  }
  interface Busy {
    outer: number;
    inner: number;
    busy: number;
    innerTimeout(x: Seen): void;
    innerCancelled(x: Seen): void;
    after?: () => Future<void>;
    outerTimeout(x: Seen): void;
  }
  /**
   * A coroutine of `kind` running each scenario in turn:
   * `async with timeout(outer) as c1:`
   *     `try: async with timeout(inner) as c2: time.sleep(busy); await sleep(1)`
   *     `except TimeoutError: innerTimeout()  except CancelledError: innerCancelled(); raise`
   *     `await after()` (if given)
   * `except TimeoutError: outerTimeout()`
   */
  function busy(kind: Kind, clock: VirtualClock, scenarios: Busy[]): Coroutine<void> {
    const innerFailed = (s: Busy, x: Seen, e: unknown): void => {
      if (e instanceof TimeoutError) s.innerTimeout(x);
      else {
        s.innerCancelled(x);
        throw e;
      }
    };
    const outerFailed = (s: Busy, x: Seen, e: unknown): void => {
      if (e instanceof TimeoutError) s.outerTimeout(x);
    };
    if (kind === "async") {
      return async () => {
        const x = { me: currentTask()! } as Seen;
        for (const s of scenarios) {
          x.t0 = getRunningLoop().time();
          try {
            await timeout(s.outer, async (a) => {
              x.c1 = a;
              try {
                await timeout(s.inner, async (b) => {
                  x.c2 = b;
                  clock.advance(s.busy);
                  await sleep(1);
                });
              } catch (e) {
                innerFailed(s, x, e);
              }
              if (s.after) await s.after();
            });
          } catch (e) {
            outerFailed(s, x, e);
          }
        }
      };
    }
    return (function* () {
      const x = { me: currentTask()! } as Seen;
      for (const s of scenarios) {
        x.t0 = getRunningLoop().time();
        try {
          yield* timeout(s.outer, function* (a) {
            x.c1 = a;
            try {
              yield* timeout(s.inner, function* (b) {
                x.c2 = b;
                clock.advance(s.busy);
                yield* sleep(1);
              });
            } catch (e) {
              innerFailed(s, x, e);
            }
            if (s.after) yield* s.after();
          });
        } catch (e) {
          outerFailed(s, x, e);
        }
      }
    })();
  }

  // async with timeout(0.1) as c1:
  //     try: async with timeout(0.01) as c2: time.sleep(0.1); await sleep(1)
  //     except TimeoutError: P("inner TimeoutError")  except CancelledError: P("inner CancelledError", cancelling()); raise
  //     await sleep(10)
  // except TimeoutError: P("outer TimeoutError", c1.expired(), c2.expired(), round(elapsed, 1), cancelling())
  // -> inner CancelledError 1 / outer TimeoutError True True 0.1 0
  // Second: timeout(0.002) outside timeout(0.1), time.sleep(0.01) -> inner CancelledError False / outer TimeoutError True False
  it.each(KINDS)("both deadlines pass in the same iteration: the inner scope lets CancelledError through, the outer raises (%s)", async (kind) => {
    const { lines, P } = tracer();
    const clock = new VirtualClock();
    const main = busy(kind, clock, [
      {
        outer: 0.1,
        inner: 0.01,
        busy: 0.1,
        innerTimeout: ({ me }) => P("inner TimeoutError", me.cancelling()),
        innerCancelled: ({ me }) => P("inner CancelledError", me.cancelling()),
        after: () => {
          P("after inner");
          return sleep(10);
        },
        outerTimeout: ({ me, c1, c2, t0 }) => P("outer TimeoutError", c1.expired(), c2.expired(), Math.round((getRunningLoop().time() - t0) * 10) / 10, me.cancelling()),
      },
      {
        outer: 0.002,
        inner: 0.1,
        busy: 0.01,
        innerTimeout: () => P("inner TimeoutError"),
        innerCancelled: ({ c2 }) => P("inner CancelledError", c2.expired()),
        outerTimeout: ({ c1, c2 }) => P("outer TimeoutError", c1.expired(), c2.expired()),
      },
    ]);
    await runVirtual(main, { clock });
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
    const { lines, P } = tracer();
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
    const { lines, P } = tracer();
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
