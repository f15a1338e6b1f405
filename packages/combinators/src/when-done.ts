import type { FutureLike } from "@asyncio-ts/loop";
import { Future } from "@asyncio-ts/tasks";

/** A done callback that queues no microtasks, as our futures can wake it (no drain after it). */
export interface DoneWaiter {
  readonly _drainOnWake: false;
  readonly _wakeup: (future: FutureLike<unknown>) => void;
  /** How a future's repr lists it in `cb=[...]` (asyncio's name for the callback). */
  readonly _wakeupName: string;
}

/** Wraps `callback` (which must queue no microtasks) as a waiter for `whenDone`, named as asyncio names it. */
export function doneWaiter(name: string, callback: (future: FutureLike<unknown>) => void): DoneWaiter {
  return { _drainOnWake: false, _wakeup: callback, _wakeupName: name };
}

/**
 * `future.addDoneCallback(waiter._wakeup)`, but one of our futures wakes the
 * waiter without a closure and without a microtask drain after it.
 */
export function whenDone(future: FutureLike<unknown>, waiter: DoneWaiter): void {
  if (future instanceof Future) future._onDone(waiter as Parameters<Future<unknown>["_onDone"]>[0]);
  else future.addDoneCallback(waiter._wakeup);
}

/** Undoes `whenDone`. */
export function notWhenDone(future: FutureLike<unknown>, waiter: DoneWaiter): void {
  if (future instanceof Future) future._offDone(waiter as Parameters<Future<unknown>["_offDone"]>[0]);
  else future.removeDoneCallback(waiter._wakeup);
}
