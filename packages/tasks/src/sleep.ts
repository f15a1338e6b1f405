import type { TimerEntry } from "@asyncio-ts/loop/lowlevel";
import { getRunningLoop } from "@asyncio-ts/loop";
import { describeValue } from "@asyncio-ts/loop/lowlevel";
import { Future, PENDING } from "./future.js";

/**
 * The future `sleep()` returns, which is also its own timer in the loop's heap
 * (a sleeping task costs one object, not a future and a timer handle). While
 * pending, `_result` holds the value to resolve with. Cancelling it drops the
 * timer, so nothing is left armed.
 */
class SleepFuture<T> extends Future<T> implements TimerEntry {
  /** @internal */ _when = 0;
  /** @internal */ _seq = 0;
  /** @internal */ _scheduled = false;
  /** @internal The timer was dropped (not the same as the future being cancelled). */
  _cancelled = false;
  declare _drain: boolean;
  declare _pooled: boolean;
  declare _sourceTraceback: string | undefined;

  /** @internal The timer fired. */
  _run(): void {
    if (this._state === PENDING) this._finish(this._result as T);
  }

  override cancel(msg?: string): boolean {
    if (!super.cancel(msg)) return false;
    if (this._scheduled && !this._cancelled) {
      this._cancelled = true;
      this._loop._timerHandleCancelled(this);
    }
    return true;
  }
}
Object.defineProperties(SleepFuture.prototype, {
  _drain: { value: false },
  _pooled: { value: false },
  _sourceTraceback: { value: undefined },
});

/**
 * `sleep(0)`: completes and wakes its awaiters in the same callback, so the
 * awaiting task resumes exactly one iteration later, as CPython's bare yield does.
 */
function wakeNow<T>(this: SleepFuture<T>, result: T): void {
  if (this._state !== PENDING) return;
  this._state = 2; // FINISHED
  this._result = result;
  const entries = this._callbacks;
  this._callbacks = null;
  if (entries === null) return;
  const loop = this._loop;
  for (const entry of Array.isArray(entries) ? entries : [entries]) {
    if (typeof entry === "function") loop._callSoonInternal(entry, undefined, this, true);
    else {
      if (entry._drainOnWake) loop._markDrain();
      entry._wakeup(this);
    }
  }
}

/**
 * Suspends the calling task for `delay` seconds and returns `result`. A delay
 * of zero or less gives up the loop for exactly one iteration.
 *
 * Cancellation: cancelling the task (or the returned future) cancels the timer
 * and raises `CancelledError` in the sleeper.
 *
 * Errors: `TypeError` if `delay` is not a number, `RangeError` if it is NaN,
 * `RuntimeError` outside a running loop.
 *
 * ```ts
 * await sleep(1);              // async coroutine
 * const v = yield* sleep(1, 42); // generator coroutine
 * ```
 */
export function sleep<T = void>(delay: number, result?: T): Future<T> {
  if (typeof delay !== "number") throw new TypeError(`sleep() delay must be a number of seconds, got ${describeValue(delay)}`);
  if (Number.isNaN(delay)) throw new RangeError("sleep() delay must be a number of seconds, got NaN");
  const loop = getRunningLoop();
  const future = new SleepFuture<T>({ loop });
  if (delay <= 0) loop._callSoonInternal(wakeNow, future, result, false);
  else {
    future._result = result;
    future._when = loop.time() + delay;
    loop._scheduleTimer(future);
  }
  return future;
}
