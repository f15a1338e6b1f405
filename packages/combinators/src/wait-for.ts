import type { Awaitable } from "@asyncio-ts/loop";
import { getRunningLoop } from "@asyncio-ts/loop";
import { describeValue, isAsyncGeneratorFunction } from "@asyncio-ts/loop/lowlevel";
import { CancelledError, Future, isAwaitable } from "@asyncio-ts/tasks";
import { futureOf } from "./future-of.js";
import { awaitFuture, OperationFuture, releaseWaiter, runCoroutine, type OperationContext } from "./operation.js";
import { Timeout, timeoutScope } from "./timeouts.js";
import { TimeoutError } from "./timeout-error.js";

/**
 * Waits for `aw` (a future, a promise, or a coroutine of either kind) to
 * finish, at most `timeout` seconds (asyncio 3.12's `wait_for`); `null` waits
 * as long as it takes. Returns its result, or throws its error.
 *
 * As in 3.12 it is `timeout(delay, () => aw)`: a coroutine runs inside the
 * caller's task (an async function when awaited with `await`, a generator when
 * awaited with `yield*`; one of the other kind gets a task of its own). When
 * the deadline passes, `aw` is cancelled and `waitFor` *waits for it to finish
 * its cleanup*, then throws `TimeoutError`. If `aw` swallows the cancellation
 * and returns a value instead, that value is returned. A `timeout` of zero or
 * less wraps `aw` in a task (if it is not a future), returns its result if it
 * is already done, and otherwise cancels it, waits for it, and throws
 * `TimeoutError`. To keep `aw` running after a timeout, pass `shield(aw)`.
 *
 * Cancellation: cancelling the caller cancels `aw` too (and waits for it, as
 * awaiting it does); the caller gets `CancelledError`.
 *
 * Errors: `TypeError` for an `aw` that is not awaitable or a `timeout` that is not a number or `null`,
 * `RangeError` for NaN; `RuntimeError` outside a running loop.
 *
 * ```ts
 * try {
 *   await waitFor(eternity, 1);
 * } catch (e) {
 *   if (e instanceof TimeoutError) console.log("timeout!");
 * }
 * ```
 */
export function waitFor<T>(aw: Awaitable<T>, timeout: number | null): Future<T> {
  if (!isAwaitable(aw)) {
    const shown = isAsyncGeneratorFunction(aw) ? `async generator ${describeValue(aw)}, which is iterated with for await, not awaited` : describeValue(aw);
    throw new TypeError(`waitFor() takes an awaitable (a future, a coroutine or a promise), got ${shown}`);
  }
  if (timeout === undefined) timeout = null;
  if (timeout !== null && typeof timeout !== "number") {
    throw new TypeError(`waitFor() needs a timeout in seconds or null, got ${describeValue(timeout)}`);
  }
  if (Number.isNaN(timeout)) throw new RangeError("waitFor() needs a timeout in seconds or null, got NaN");
  const loop = getRunningLoop();
  const delay = timeout;
  return new OperationFuture<T>(function* (ctx) {
    if (delay !== null && delay <= 0) {
      const fut = futureOf<T>(aw, "waitFor()") as Future<T>;
      if (fut.done()) return fut.result();
      yield* cancelAndWait(ctx, fut);
      try {
        return fut.result();
      } catch (error) {
        if (error instanceof CancelledError) throw new TimeoutError("", { cause: error });
        throw error;
      }
    }
    const cm = new Timeout(delay === null ? null : loop.time() + delay);
    return yield* timeoutScope(ctx, cm, (c) => runCoroutine<T>(c, aw));
  }, loop);
}

/** asyncio's `_cancel_and_wait`: cancels `fut` and waits until it is done. */
function* cancelAndWait(ctx: OperationContext, fut: Future<unknown>): Generator<unknown, void, unknown> {
  const waiter = new Future<void>({ loop: ctx.task.getLoop() });
  const callback = (): void => releaseWaiter(waiter);
  fut.addDoneCallback(callback);
  try {
    fut.cancel();
    yield* awaitFuture(ctx, waiter);
  } finally {
    fut.removeDoneCallback(callback);
  }
}
