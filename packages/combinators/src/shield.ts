import type { Awaitable, FutureLike } from "@asyncio-ts/loop";
import { Future } from "@asyncio-ts/tasks";
import { futureOf } from "./future-of.js";

/**
 * Waits for `aw` while shielding it from cancellation (asyncio's `shield`):
 * `await shield(task)` is `await task`, except that cancelling the caller
 * does not cancel `task`. A coroutine is wrapped in a new task first; keep a
 * reference to it, or to the task you pass, so it can finish.
 *
 * Cancellation: cancelling the caller (or the returned future) makes the
 * caller's await throw `CancelledError` at once, while the inner work goes on
 * untouched; its later outcome is dropped (an error is marked retrieved). If
 * the inner work is cancelled by other means (from inside, or by someone
 * holding it), the returned future is cancelled too.
 *
 * Errors: `TypeError` if `aw` is not awaitable.
 *
 * ```ts
 * const task = createTask(something);
 * try {
 *   result = await shield(task);
 * } catch (e) {
 *   if (e instanceof CancelledError) result = null; // the caller was cancelled; task goes on
 * }
 * ```
 */
export function shield<T>(aw: Awaitable<T>): Future<T> {
  const inner = futureOf<T>(aw, "shield()");
  if (inner.done()) return inner as Future<T>;
  const outer = new Future<T>({ loop: inner.getLoop() });
  const innerDone = (f: FutureLike<T>): void => {
    if (outer.cancelled()) {
      // Nobody waits for the outcome any more: retrieve it so it is not reported.
      if (!f.cancelled()) f.exception();
      return;
    }
    if (f.cancelled()) {
      outer.cancel();
    } else {
      const error = f.exception();
      if (error !== undefined) outer.setException(error);
      else outer.setResult(f.result());
    }
  };
  const outerDone = (): void => {
    if (!inner.done()) inner.removeDoneCallback(innerDone);
  };
  inner.addDoneCallback(innerDone);
  outer.addDoneCallback(outerDone);
  return outer;
}
