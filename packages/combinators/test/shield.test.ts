import { describe, expect, it } from "vitest";
import { CancelledError, createTask, sleep, Task, getRunningLoopFuture } from "./imports.js";
import { gather, shield } from "@asyncio-ts/combinators";
import { cpython, runVirtual, Trace } from "./helpers.js";

describe("shield: CPython trace", () => {
  for (const kind of ["async", "generator"] as const) {
    it(`the caller's cancel does not reach the inner work; an inner cancel cancels the shield (${kind})`, async () => {
      const tr = new Trace();
      await runVirtual(async () => {
        tr.start("shield");
        const work =
          kind === "async"
            ? async (): Promise<string> => {
                try {
                  await sleep(2);
                  tr.P("work done", tr.T());
                  return "w";
                } catch (e) {
                  tr.P("work cancelled", tr.T());
                  throw e;
                }
              }
            : function* (): Generator<unknown, string, unknown> {
                try {
                  yield* sleep(2);
                  tr.P("work done", tr.T());
                  return "w";
                } catch (e) {
                  tr.P("work cancelled", tr.T());
                  throw e;
                }
              };
        const t = createTask(kind === "async" ? work : (work as () => Generator<unknown, string, unknown>)()) as Task<string>;
        const c =
          kind === "async"
            ? createTask(async () => {
                try {
                  return await shield(t);
                } catch (e) {
                  tr.P("caller cancelled", tr.T());
                  throw e;
                }
              })
            : createTask(
                (function* () {
                  try {
                    return yield* shield(t);
                  } catch (e) {
                    tr.P("caller cancelled", tr.T());
                    throw e;
                  }
                })(),
              );
        await sleep(1);
        c.cancel();
        try {
          await c;
        } catch {
          tr.P("c", c.cancelled());
        }
        tr.P("t", await t, tr.T());
        const t2 = createTask(kind === "async" ? work : (work as () => Generator<unknown, string, unknown>)()) as Task<string>;
        const s = shield(t2);
        await sleep(1);
        t2.cancel();
        try {
          await s;
        } catch {
          tr.P("shield cancelled by inner", s.cancelled(), tr.T());
        }
        const f = getRunningLoopFuture<number>();
        f.setResult(1);
        tr.P("done shield is same", shield(f) === f);
      });
      expect(tr.toString()).toBe(cpython("shield"));
    });
  }
});

describe("shield: more cases (test_tasks.py)", () => {
  it("passes the inner result and error through", async () => {
    await runVirtual(async () => {
      expect(await shield(sleep(1, "r"))).toBe("r");
      const boom = new Error("boom");
      await expect(
        shield(async () => {
          await sleep(1);
          throw boom;
        }),
      ).rejects.toBe(boom);
    });
  });

  it("cancelling the shield itself leaves the inner future alone", async () => {
    await runVirtual(async () => {
      const inner = getRunningLoopFuture<number>();
      const outer = shield(inner);
      expect(outer.cancel()).toBe(true);
      await expect(outer).rejects.toBeInstanceOf(CancelledError);
      expect(inner.cancelled()).toBe(false);
      inner.setResult(1);
    });
  });

  it("an inner error after the shield was cancelled is marked retrieved (no report)", async () => {
    await runVirtual(async () => {
      const inner = getRunningLoopFuture<number>();
      const outer = shield(inner);
      outer.cancel();
      inner.setException(new Error("late"));
      await sleep(0);
      await sleep(0);
    });
  });

  it("shield inside gather: cancelling the gather spares the shielded task (test_gather_shield)", async () => {
    await runVirtual(async () => {
      const child1 = createTask(() => sleep(1, "c1"));
      const child2 = createTask(() => sleep(1, "c2"));
      const g = gather(shield(child1), shield(child2));
      await sleep(0);
      g.cancel();
      await expect(g).rejects.toBeInstanceOf(CancelledError);
      expect(await child1).toBe("c1");
      expect(await child2).toBe("c2");
    });
  });

  it("wraps a coroutine in a task, which survives the caller's cancel", async () => {
    await runVirtual(async () => {
      let finished = false;
      const caller = createTask(async () => {
        await shield(async () => {
          await sleep(2);
          finished = true;
        });
      });
      await sleep(1);
      caller.cancel();
      await expect(caller).rejects.toBeInstanceOf(CancelledError);
      await sleep(2);
      expect(finished).toBe(true);
    });
  });
});
