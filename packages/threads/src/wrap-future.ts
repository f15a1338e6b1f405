import type { EventLoop, FutureLike } from "@asyncio-ts/loop";
import { EventLoop as Loop, getEventLoop } from "@asyncio-ts/loop";
import { describeValue, getRunningLoopOrNull } from "@asyncio-ts/loop/lowlevel";
import { Future, isFuture } from "@asyncio-ts/tasks";
import { ConcurrentFuture } from "./concurrent-future.js";

/**
 * An asyncio `Future` that follows a `ConcurrentFuture` (asyncio's
 * `wrap_future`): it settles on `loop` (default: the running one) when the
 * concurrent future does. An asyncio `Future` is returned as it is.
 *
 * Cancellation: cancelling the returned future cancels the concurrent one
 * (a queued pool call never runs; a coroutine's task is cancelled in its loop).
 *
 * Errors: `TypeError` for anything else.
 *
 * ```ts
 * const value = await wrapFuture(pool.submit((x: number) => x + 1, 41));
 * ```
 */
export function wrapFuture<T>(future: ConcurrentFuture<T> | FutureLike<T>, options: { loop?: EventLoop } = {}): Future<T> {
  if (isFuture(future)) return future as Future<T>;
  if (!(future instanceof ConcurrentFuture)) {
    throw new TypeError(`wrapFuture() needs a ConcurrentFuture or a Future, got ${describeValue(future)}`);
  }
  if (options === null || typeof options !== "object") throw new TypeError(`wrapFuture() takes an options object ({ loop }), got ${describeValue(options)}`);
  if (options.loop !== undefined && !(options.loop instanceof Loop)) {
    throw new TypeError(`wrapFuture() options.loop must be an EventLoop, got ${describeValue(options.loop)}`);
  }
  const loop = options.loop ?? getRunningLoopOrNull() ?? getEventLoop();
  const wrapped = new Future<T>({ loop });
  wrapped.addDoneCallback((f) => {
    if (f.cancelled()) future.cancel();
  });
  future.addDoneCallback((source) => {
    const copy = (): void => {
      if (wrapped.done()) return;
      if (source.cancelled()) wrapped.cancel();
      else {
        const error = source.exception(0);
        if (error !== undefined) wrapped.setException(error);
        else wrapped.setResult(source.result(0));
      }
    };
    if (loop.isClosed()) return;
    loop.callSoonThreadsafe(copy);
  });
  return wrapped;
}
