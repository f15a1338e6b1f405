import type { EventLoop } from "@asyncio-ts/loop";
import type { Runnable, TimerEntry } from "@asyncio-ts/loop/lowlevel";
import { getRunningLoop } from "@asyncio-ts/loop";
import { describeValue } from "@asyncio-ts/loop/lowlevel";
import { type Entry, FINISHED, Future, PENDING } from "./future.js";

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

  /** asyncio's sleep() awaits a plain Future. */
  override _kindName(): string {
    return "Future";
  }

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
 * The future `sleep(0)` returns, which is also its own ready-queue entry. It
 * completes and wakes its awaiters in that one callback, so the awaiting task
 * resumes exactly one iteration later, as CPython's bare yield does. While
 * pending, `_result` holds the value to resolve with.
 */
class YieldFuture<T> extends Future<T> implements Runnable {
  declare _cancelled: boolean;
  declare _drain: boolean;
  declare _pooled: boolean;
  declare _sourceTraceback: string | undefined;

  override _kindName(): string {
    return "Future";
  }

  /** @internal */
  _run(): void {
    if (this._state !== PENDING) return; // cancelled meanwhile
    this._state = FINISHED;
    const entries = this._callbacks;
    this._callbacks = null;
    if (entries === null) return;
    const loop = this._loop;
    if (!Array.isArray(entries)) wakeEntry(loop, this, entries);
    else for (let i = 0; i < entries.length; i++) wakeEntry(loop, this, entries[i]);
  }
}
Object.defineProperties(YieldFuture.prototype, {
  // Its task's cancel() leaves it be and is delivered when it wakes the task (see Task.cancel).
  _isBareYield: { value: true },
  _cancelled: { value: false },
  _drain: { value: false },
  _pooled: { value: false },
  _sourceTraceback: { value: undefined },
});

/** Wakes one awaiter of a zero sleep now: a waiting task steps in this very callback. */
function wakeEntry(loop: EventLoop, future: Future<unknown>, entry: Entry): void {
  if (typeof entry === "function") loop._callSoonInternal(entry, undefined, future, true);
  else {
    if (entry._drainOnWake) loop._markDrain();
    entry._wakeup(future);
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
  if (delay <= 0) {
    const future = new YieldFuture<T>({ loop });
    future._result = result;
    loop._pushReady(future);
    return future;
  }
  const future = new SleepFuture<T>({ loop });
  future._result = result;
  future._when = loop.time() + delay;
  loop._scheduleTimer(future);
  return future;
}
