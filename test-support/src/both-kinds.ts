// Both coroutine kinds from one body, for the CPython ports: a test is written
// once as a generator whose `yield fut` stands for `await fut` / `yield* fut`.
import { createTask, type Coroutine, type Future, type Task } from "@asyncio-ts/tasks";

export type Kind = "async" | "generator";
export const KINDS: Kind[] = ["async", "generator"];
/** A coroutine body written once: `yield fut` stands for `await fut` / `yield* fut`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- what `yield` gives back is the test's business
export type Body<T> = () => Generator<unknown, T, any>;

/**
 * The coroutine of `body()`: an async function (each `yield` is an `await`) or a generator
 * coroutine (`yield*`). Also the body of `x.use(...)` (`async with x:`) in the task's kind.
 */
export function coroutine<T>(kind: Kind, body: Body<T>): Coroutine<T> {
  if (kind === "async") {
    return async () => {
      const g = body();
      let r = g.next();
      while (!r.done) {
        let v: unknown;
        try {
          v = await (r.value as PromiseLike<unknown>);
        } catch (e) {
          r = g.throw(e);
          continue;
        }
        r = g.next(v);
      }
      return r.value;
    };
  }
  return (function* (): Generator<unknown, T, unknown> {
    const g = body();
    let r = g.next();
    while (!r.done) {
      let v: unknown;
      try {
        v = yield* r.value as Future<unknown>;
      } catch (e) {
        r = g.throw(e);
        continue;
      }
      r = g.next(v);
    }
    return r.value;
  })();
}

/** create_task(body()), the coroutine in either kind (see `coroutine`). */
export function spawn<T>(kind: Kind, body: Body<T>): Task<T> {
  return createTask(coroutine(kind, body));
}
