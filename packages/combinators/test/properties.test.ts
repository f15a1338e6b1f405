// Property-based tests (fast-check): random sets and trees of tasks with random
// delays, failures and cancels, checked against a simple model of CPython's
// behaviour. Times are chosen so that events of different kinds never tie:
// completions at whole seconds, body failures at x.5, cancels at x.25.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allTasks, CancelledError, createTask, currentTask, getRunningLoop, sleep, Task } from "./imports.js";
import { ALL_COMPLETED, ExceptionGroup, FIRST_COMPLETED, FIRST_EXCEPTION, gather, taskGroup, wait, type ReturnWhen } from "@asyncio-ts/combinators";
import { runVirtual } from "./helpers.js";

interface Leaf {
  delay: number;
  fail: boolean;
  /** When the test cancels this child (x.25), or null. */
  cancelAt: number | null;
  gen: boolean;
}

const leaf: fc.Arbitrary<Leaf> = fc.record({
  delay: fc.integer({ min: 0, max: 5 }),
  fail: fc.boolean(),
  cancelAt: fc.option(fc.integer({ min: 0, max: 5 }).map((n) => n + 0.25), { nil: null }),
  gen: fc.boolean(),
});

class LeafError extends Error {
  constructor(readonly index: number) {
    super(`leaf ${index}`);
    this.name = "LeafError";
  }
}

/** A child's coroutine: sleeps `delay`, then returns its index or throws LeafError. */
function coroutineOf(spec: Leaf, index: number) {
  if (spec.gen) {
    return (function* () {
      yield* sleep(spec.delay);
      if (spec.fail) throw new LeafError(index);
      return index;
    })();
  }
  return async () => {
    await sleep(spec.delay);
    if (spec.fail) throw new LeafError(index);
    return index;
  };
}

type Outcome = { kind: "ok"; value: number } | { kind: "error"; index: number } | { kind: "cancelled" };

/** The model: what a child ends with, and when. */
function model(spec: Leaf, index: number): { at: number; outcome: Outcome } {
  if (spec.cancelAt !== null && spec.cancelAt < spec.delay) return { at: spec.cancelAt, outcome: { kind: "cancelled" } };
  return { at: spec.delay, outcome: spec.fail ? { kind: "error", index } : { kind: "ok", value: index } };
}

function describeOutcome(x: unknown): Outcome {
  if (x instanceof CancelledError) return { kind: "cancelled" };
  if (x instanceof LeafError) return { kind: "error", index: x.index };
  if (typeof x === "number") return { kind: "ok", value: x };
  throw new Error(`unexpected outcome ${String(x)}`);
}

/** Waits until every other task has ended (the "every task ends" invariant), then checks none is left. */
async function drainTasks(): Promise<void> {
  for (;;) {
    const others = [...allTasks()].filter((t) => t !== currentTask());
    if (others.length === 0) return;
    await wait(others);
  }
}

function scheduleCancels(tasks: Task<unknown>[], specs: Leaf[]): void {
  const loop = getRunningLoop();
  specs.forEach((spec, i) => {
    if (spec.cancelAt !== null) loop.callAt(loop.time() + spec.cancelAt, () => tasks[i].cancel());
  });
}

const RUNS = { numRuns: 150 };

describe("properties", () => {
  it("gather agrees with the model, for both forms and both coroutine kinds", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(leaf, { minLength: 1, maxLength: 7 }), fc.boolean(), async (specs, returnExceptions) => {
        await runVirtual(async () => {
          const start = getRunningLoop().time();
          const tasks = specs.map((s, i) => createTask(coroutineOf(s, i) as never) as Task<number>);
          scheduleCancels(tasks, specs);
          const expected = specs.map(model);
          let outcome: unknown;
          try {
            outcome = await gather(tasks, { returnExceptions });
          } catch (e) {
            outcome = { thrown: e };
          }
          const elapsed = getRunningLoop().time() - start;
          if (returnExceptions) {
            expect((outcome as unknown[]).map(describeOutcome)).toEqual(expected.map((e) => e.outcome));
            expect(elapsed).toBe(Math.max(...expected.map((e) => e.at)));
          } else {
            const bad = expected.filter((e) => e.outcome.kind !== "ok");
            if (bad.length === 0) {
              expect(outcome).toEqual(specs.map((_, i) => i));
            } else {
              const first = Math.min(...bad.map((e) => e.at));
              const candidates = bad.filter((e) => e.at === first).map((e) => e.outcome);
              expect(candidates).toContainEqual(describeOutcome((outcome as { thrown: unknown }).thrown));
              expect(elapsed).toBe(first);
            }
          }
          await drainTasks();
          tasks.forEach((t, i) => expect(describeOutcome(t.cancelled() ? new CancelledError() : (t.exception() ?? t.result()))).toEqual(expected[i].outcome));
        });
      }),
      RUNS,
    );
  });

  it("wait agrees with the model and never cancels anything", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(leaf, { minLength: 1, maxLength: 7 }),
        fc.constantFrom<ReturnWhen>(FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED),
        fc.option(fc.integer({ min: 0, max: 6 }).map((n) => n + 0.75), { nil: null }),
        async (specs, returnWhen, timeout) => {
          await runVirtual(async () => {
            const loop = getRunningLoop();
            const start = loop.time();
            const tasks = specs.map((s, i) => createTask(coroutineOf(s, i) as never) as Task<number>);
            scheduleCancels(tasks, specs);
            const expected = specs.map(model);
            const [done, pending] = await wait(tasks, { returnWhen, timeout });
            const times = expected.map((e) => e.at);
            let at =
              returnWhen === FIRST_COMPLETED
                ? Math.min(...times)
                : returnWhen === ALL_COMPLETED
                  ? Math.max(...times)
                  : Math.min(Math.max(...times), ...expected.filter((e) => e.outcome.kind === "error").map((e) => e.at));
            if (timeout !== null) at = Math.min(at, timeout);
            expect(loop.time() - start).toBe(at);
            tasks.forEach((t, i) => expect(done.has(t) ? "done" : pending.has(t) ? "pending" : "?").toBe(expected[i].at <= at ? "done" : "pending"));
            await drainTasks();
            tasks.forEach((t, i) => {
              expect(t.cancelled()).toBe(expected[i].outcome.kind === "cancelled");
              if (!t.cancelled()) t.exception();
            });
          });
        },
      ),
      RUNS,
    );
  });

  it("TaskGroup agrees with the model: first failure, body failure, external cancel", async () => {
    const group = fc.record({
      children: fc.array(fc.record({ delay: fc.integer({ min: 0, max: 5 }), fail: fc.boolean(), gen: fc.boolean() }), { maxLength: 6 }),
      bodyDelay: fc.integer({ min: 0, max: 5 }),
      /** The body throws at x.5 after its sleep, or not. */
      bodyFails: fc.boolean(),
      cancelAt: fc.option(fc.integer({ min: 0, max: 6 }).map((n) => n + 0.25), { nil: null }),
      genBody: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(group, async (g) => {
        await runVirtual(async () => {
          const loop = getRunningLoop();
          const start = loop.time();
          const children: Task<number>[] = [];
          const bodyError = new Error("body");
          const specs: Leaf[] = g.children.map((c) => ({ ...c, cancelAt: null }));
          const bodyEnd = g.bodyDelay + 0.5;
          const asyncBody = async (tg: import("@asyncio-ts/combinators").TaskGroup) => {
            specs.forEach((s, i) => children.push(tg.createTask(coroutineOf(s, i) as never) as Task<number>));
            await sleep(bodyEnd);
            if (g.bodyFails) throw bodyError;
            return "body";
          };
          const genBody = function* (tg: import("@asyncio-ts/combinators").TaskGroup) {
            specs.forEach((s, i) => children.push(tg.createTask(coroutineOf(s, i) as never) as Task<number>));
            yield* sleep(bodyEnd);
            if (g.bodyFails) throw bodyError;
            return "body";
          };
          const parent = createTask(g.genBody ? () => taskGroup(genBody) : () => taskGroup(asyncBody));
          if (g.cancelAt !== null) loop.callAt(start + g.cancelAt, () => parent.cancel());
          let outcome: unknown;
          try {
            outcome = await parent;
          } catch (e) {
            outcome = e;
          }
          const elapsed = loop.time() - start;

          // The model.
          const failTimes = specs.filter((s) => s.fail).map((s) => s.delay);
          const firstChildFail = failTimes.length > 0 ? Math.min(...failTimes) : Infinity;
          const bodyFailAt = g.bodyFails ? bodyEnd : Infinity;
          const cancelAt = g.cancelAt ?? Infinity;
          const allDone = Math.max(bodyEnd, ...specs.map((s) => s.delay));
          const firstFailure = Math.min(firstChildFail, bodyFailAt);
          if (cancelAt >= allDone && firstFailure === Infinity) {
            expect(outcome).toBe("body");
            expect(elapsed).toBe(allDone);
            children.forEach((t, i) => expect(t.result()).toBe(i));
          } else if (cancelAt < firstFailure && cancelAt < allDone) {
            expect(outcome).toBeInstanceOf(CancelledError);
            expect(parent.cancelled()).toBe(true);
            expect(elapsed).toBe(cancelAt);
            children.forEach((t, i) => expect(t.cancelled()).toBe(specs[i].delay > cancelAt));
          } else {
            expect(outcome).toBeInstanceOf(ExceptionGroup);
            const errors = (outcome as ExceptionGroup).exceptions;
            if (firstChildFail < bodyFailAt) {
              const failing = specs.map((s, i) => (s.fail && s.delay === firstChildFail ? i : -1)).filter((i) => i >= 0);
              expect(errors.map((e) => (e as LeafError).index)).toEqual(failing);
              expect(elapsed).toBe(firstChildFail);
              children.forEach((t, i) => expect(t.cancelled()).toBe(specs[i].delay > firstChildFail));
            } else {
              expect(errors).toEqual([bodyError]);
              expect(elapsed).toBe(bodyFailAt);
              children.forEach((t, i) => expect(t.cancelled()).toBe(specs[i].delay > bodyFailAt));
            }
          }
          await drainTasks();
        });
      }),
      RUNS,
    );
  });

  it("random trees of gathers: every task ends, the root agrees with the model, nothing is left pending", async () => {
    interface Node {
      delay: number;
      fail: boolean;
      gen: boolean;
      children: Node[];
    }
    const { tree } = fc.letrec<{ tree: Node }>((tie) => ({
      tree: fc.record({
        delay: fc.integer({ min: 0, max: 3 }),
        fail: fc.boolean(),
        gen: fc.boolean(),
        children: fc.oneof({ depthSize: "small", withCrossShrink: true }, fc.constant<Node[]>([]), fc.array(tie("tree") as fc.Arbitrary<Node>, { maxLength: 3 })),
      }),
    }));
    type Result = { at: number; errors: Set<string> | null };
    let counter = 0;
    const label = new Map<Node, string>();
    function modelTree(n: Node, t0: number): Result {
      const start = t0 + n.delay;
      if (n.children.length === 0) {
        return n.fail ? { at: start, errors: new Set([label.get(n)!]) } : { at: start, errors: null };
      }
      const results = n.children.map((c) => modelTree(c, start));
      const failed = results.filter((r) => r.errors !== null);
      if (failed.length > 0) {
        const first = Math.min(...failed.map((r) => r.at));
        const errors = new Set<string>();
        for (const r of failed) if (r.at === first) for (const e of r.errors!) errors.add(e);
        return { at: first, errors };
      }
      const end = Math.max(...results.map((r) => r.at));
      return n.fail ? { at: end, errors: new Set([label.get(n)!]) } : { at: end, errors: null };
    }
    function coroutine(n: Node): () => PromiseLike<string> | Generator<unknown, string, unknown> {
      const name = label.get(n)!;
      if (n.gen) {
        return function* () {
          yield* sleep(n.delay);
          if (n.children.length > 0) yield* gather(n.children.map((c) => coroutine(c)));
          if (n.fail) throw new Error(name);
          return name;
        };
      }
      return async () => {
        await sleep(n.delay);
        if (n.children.length > 0) await gather(n.children.map((c) => coroutine(c)));
        if (n.fail) throw new Error(name);
        return name;
      };
    }
    function labelAll(n: Node): void {
      label.set(n, `n${counter++}`);
      n.children.forEach(labelAll);
    }
    await fc.assert(
      fc.asyncProperty(tree, fc.option(fc.integer({ min: 0, max: 8 }).map((n) => n + 0.25), { nil: null }), async (root, cancelAt) => {
        label.clear();
        counter = 0;
        labelAll(root);
        await runVirtual(async () => {
          const loop = getRunningLoop();
          const start = loop.time();
          const task = createTask(coroutine(root) as never) as Task<string>;
          if (cancelAt !== null) loop.callAt(start + cancelAt, () => task.cancel());
          let outcome: unknown;
          try {
            outcome = await task;
          } catch (e) {
            outcome = e;
          }
          const expected = modelTree(root, 0);
          if (cancelAt !== null && cancelAt < expected.at) {
            expect(outcome).toBeInstanceOf(CancelledError);
          } else if (expected.errors === null) {
            expect(outcome).toBe(label.get(root));
            expect(loop.time() - start).toBe(expected.at);
          } else {
            expect([...expected.errors]).toContain((outcome as Error).message);
            expect(loop.time() - start).toBe(expected.at);
          }
          await drainTasks();
          expect([...allTasks()].filter((t) => t !== currentTask())).toEqual([]);
        });
      }),
      RUNS,
    );
  });
});
