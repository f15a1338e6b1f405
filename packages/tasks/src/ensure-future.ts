import type { Awaitable, EventLoop } from "@asyncio-ts/loop";
import { EventLoop as Loop, getEventLoop } from "@asyncio-ts/loop";
import { describeValue, getRunningLoopOrNull, isThenable } from "@asyncio-ts/loop/lowlevel";
import { isFutureLike, isGeneratorObject } from "./coroutines.js";
import { CancelledError } from "./errors.js";
import { Future, isFuture, PENDING } from "./future.js";

/**
 * Turns any awaitable into a future: a future is returned as is; a coroutine of
 * either kind is wrapped in a new `Task`; a promise (or any thenable) is wrapped
 * in a `Future` that settles with it. A foreign promise cannot be interrupted
 * from inside: cancelling its future only stops the wait.
 *
 * Errors: `TypeError` for anything that is not awaitable; `RangeError` if a
 * future belongs to a different loop than `options.loop`.
 */
export function ensureFuture<T>(awaitable: Awaitable<T>, options: { loop?: EventLoop } = {}): Future<T> {
  if (options === null || typeof options !== "object") {
    throw new TypeError(`ensureFuture() takes an options object ({ loop }) after the awaitable, got ${describeValue(options)}`);
  }
  const loop = options.loop;
  if (loop !== undefined && !(loop instanceof Loop)) throw new TypeError(`ensureFuture() options.loop must be an EventLoop, got ${describeValue(loop)}`);
  if (isFuture(awaitable) || isFutureLike(awaitable)) {
    const future = awaitable as unknown as Future<T>;
    if (loop !== undefined && future.getLoop() !== loop) {
      throw new RangeError("The future belongs to a different loop than the one specified as the loop argument");
    }
    return future;
  }
  if (typeof awaitable === "function" || isGeneratorObject(awaitable)) {
    const target = loop ?? getRunningLoopOrNull() ?? getEventLoop();
    return target.createTask(awaitable as never) as Future<T>;
  }
  if (isThenable(awaitable)) return wrapThenable(awaitable as PromiseLike<T>, loop ?? getRunningLoopOrNull() ?? getEventLoop());
  throw new TypeError(`ensureFuture() needs a Future, a coroutine or a promise, got ${describeValue(awaitable)}`);
}

/** A future settled by a thenable; a rejection with `CancelledError` cancels it. */
export function wrapThenable<T>(thenable: PromiseLike<T>, loop: EventLoop): Future<T> {
  const future = new Future<T>({ loop });
  thenable.then(
    (value) => {
      if (future._state === PENDING) future._finish(value);
    },
    (error: unknown) => {
      if (future._state !== PENDING) return;
      if (error instanceof CancelledError) future.cancel(error.message || undefined);
      else future._fail(error);
    },
  );
  return future;
}
