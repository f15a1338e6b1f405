// Combinations of scopes, groups, gather, waitFor and shield, as CPython 3.12
// runs them. Each scenario runs in a task of its own; the expected traces were
// printed by ~/.pyenv/versions/3.12.1/bin/python3 running the quoted snippets
// (times since the scenario started, rounded to 0.1 s).
import { describe, expect, it } from "vitest";
import { CancelledError, createTask, currentTask, sleep, type Task } from "./imports.js";
import { ExceptionGroup, gather, shield, taskGroup, timeout, TimeoutError, waitFor } from "@asyncio-ts/combinators";
import { awaiting, KINDS, runVirtual, tracer } from "./helpers.js";

describe.each(KINDS)("a timeout around a task group (%s coroutines)", (kind) => {
  /**
   * In a task of its own: `try: async with timeout(0.5): <body>` then
   * `except TimeoutError: P("TimeoutError", T(), current_task().cancelling(), *after())`.
   * For generator coroutines the scenario runs in a generator task inside that task
   * (its cancelling() is added to the outer one's).
   */
  async function underTimeout(
    { P, T, start }: ReturnType<typeof tracer>,
    body: { async: () => Promise<void>; generator: () => Generator<unknown, void, unknown> },
    after: () => unknown[] = () => [],
  ): Promise<void> {
    await runVirtual(async () => {
      await createTask(async () => {
        start();
        const me = currentTask()!;
        if (kind === "async") {
          try {
            await timeout(0.5, body.async);
          } catch (e) {
            if (e instanceof TimeoutError) P("TimeoutError", T(), me.cancelling(), ...after());
            else P("other", (e as Error).name);
          }
        } else {
          await createTask(
            (function* () {
              const gme = currentTask()!;
              try {
                yield* timeout(0.5, body.generator);
              } catch (e) {
                if (e instanceof TimeoutError) P("TimeoutError", T(), gme.cancelling() + me.cancelling(), ...after());
                else P("other", (e as Error).name);
              }
            })(),
          );
        }
      });
    });
  }

  // async with timeout(0.5):
  //     async with TaskGroup() as tg: tg.create_task(child(1, 0.2)); tg.create_task(child(2, 10))
  // -> child 1 done 0.2 / child 2 cancelled 0.5 / TimeoutError 0.5 0
  it("the expiry cancels the group's children and comes out as TimeoutError; cancelling() is back to 0", async () => {
    const tr = tracer();
    const { P, T } = tr;
    const child = (n: number, d: number) =>
      awaiting(kind, () => sleep(d), { then: () => P("child", n, "done", T()), onError: () => P("child", n, "cancelled", T()) });
    await underTimeout(tr, {
      async: async () => {
        await taskGroup(async (tg) => {
          tg.createTask(child(1, 0.2));
          tg.createTask(child(2, 10));
        });
      },
      generator: function* () {
        yield* taskGroup(function* (tg) {
          tg.createTask(child(1, 0.2));
          tg.createTask(child(2, 10));
        });
      },
    });
    expect(tr.lines).toEqual(["child 1 done 0.2", "child 2 cancelled 0.5", "TimeoutError 0.5 0"]);
  });

  // async with timeout(0.5): g = gather(child(1, 0.2), child(2, 10)); await g
  // -> child 2 cancelled 0.5 / TimeoutError 0.5 0 True False (g done, not cancelled())
  it("a timeout around gather cancels the unfinished children; the gather is done but not cancelled()", async () => {
    const tr = tracer();
    const { P, T } = tr;
    const child = (n: number, d: number) => awaiting(kind, () => sleep(d), { then: () => n, onError: () => P("child", n, "cancelled", T()) });
    let g!: ReturnType<typeof gather>;
    await underTimeout(
      tr,
      {
        async: async () => {
          g = gather(child(1, 0.2), child(2, 10));
          await g;
        },
        generator: function* () {
          g = gather(child(1, 0.2), child(2, 10));
          yield* g;
        },
      },
      () => [g.done(), g.cancelled()],
    );
    expect(tr.lines).toEqual(["child 2 cancelled 0.5", "TimeoutError 0.5 0 true false"]);
  });
});

describe("groups, waitFor and shield", () => {
  // async def child(): async with timeout(0.3): await sleep(10)
  // async with TaskGroup() as tg: tg.create_task(child()); tg.create_task(sleep(1))
  // -> EG of ['TimeoutError'] 0.3   (a child's timeout is an ordinary error for the group)
  it("a child's own timeout is an error of the group", async () => {
    const { lines, P, T, start } = tracer();
    await runVirtual(async () => {
      await createTask(async () => {
        start();
        try {
          await taskGroup(async (tg) => {
            tg.createTask(async () => {
              await timeout(0.3, async () => {
                await sleep(10);
              });
            });
            tg.createTask(() => sleep(1));
          });
        } catch (e) {
          if (e instanceof ExceptionGroup) P("EG of", JSON.stringify(e.exceptions.map((x) => (x as Error).name)), T());
          else throw e;
        }
      });
    });
    expect(lines).toEqual(['EG of ["TimeoutError"] 0.3']);
  });

  // async def grp(): async with TaskGroup() as tg: tg.create_task(sleep(10))
  // await wait_for(grp(), 0.3) -> wait_for TimeoutError 0.3 0
  it("waitFor around a coroutine running a task group", async () => {
    const { lines, P, T, start } = tracer();
    await runVirtual(async () => {
      await createTask(async () => {
        start();
        try {
          await waitFor(async () => {
            await taskGroup(async (tg) => {
              tg.createTask(() => sleep(10));
            });
            return "never";
          }, 0.3);
        } catch (e) {
          if (e instanceof TimeoutError) P("wait_for TimeoutError", T(), currentTask()!.cancelling());
          else throw e;
        }
      });
    });
    expect(lines).toEqual(["wait_for TimeoutError 0.3 0"]);
  });

  // inner = create_task(grp()) (group with a 1 s child); caller awaits shield(inner); caller.cancel() at 0.2
  // -> caller cancelled 0.2 False / group finished 1.0 / g 1.0
  it("a shielded task running a group is untouched by its caller's cancel", async () => {
    const { lines, P, T, start } = tracer();
    await runVirtual(async () => {
      start();
      const inner: Task<string> = createTask(async () => {
        await taskGroup(async (tg) => {
          tg.createTask(() => sleep(1));
        });
        P("group finished", T());
        return "g";
      });
      const c = createTask(async () => await shield(inner));
      await sleep(0.2);
      c.cancel();
      try {
        await c;
      } catch (e) {
        if (e instanceof CancelledError) P("caller cancelled", T(), inner.done());
      }
      P(await inner, T());
    });
    expect(lines).toEqual(["caller cancelled 0.2 false", "group finished 1", "g 1"]);
  });

  // parent: group with a child whose cleanup takes 0.5 s; body sleeps 10
  // p.cancel() at 0.1; at 0.2 P("cancel again", p.cancel(), p.cancelling())
  // -> child cleanup start 0.1 / cancel again True 2 / child cleanup end 0.6 / parent cancelled 0.6 2
  it.each(KINDS)("a second cancel of the parent while the group waits for a slow cleanup changes nothing but the count (%s)", async (kind) => {
    const { lines, P, T, start } = tracer();
    await runVirtual(async () => {
      start();
      const child = () =>
        kind === "async"
          ? async () => {
              try {
                await sleep(10);
              } catch (e) {
                P("child cleanup start", T());
                await sleep(0.5);
                P("child cleanup end", T());
                throw e;
              }
            }
          : (function* () {
              try {
                yield* sleep(10);
              } catch (e) {
                P("child cleanup start", T());
                yield* sleep(0.5);
                P("child cleanup end", T());
                throw e;
              }
            })();
      const p =
        kind === "async"
          ? createTask(async () => {
              await taskGroup(async (tg) => {
                tg.createTask(child());
                await sleep(10);
              });
            })
          : createTask(
              (function* () {
                yield* taskGroup(function* (tg) {
                  tg.createTask(child());
                  yield* sleep(10);
                });
              })(),
            );
      await sleep(0.1);
      p.cancel();
      await sleep(0.1);
      P("cancel again", p.cancel(), p.cancelling());
      try {
        await p;
      } catch (e) {
        if (e instanceof CancelledError) P("parent cancelled", T(), p.cancelling());
      }
    });
    expect(lines).toEqual(["child cleanup start 0.1", "cancel again true 2", "child cleanup end 0.6", "parent cancelled 0.6 2"]);
  });
});
