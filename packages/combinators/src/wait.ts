import type { FutureLike } from "@asyncio-ts/loop";
import { getRunningLoop } from "@asyncio-ts/loop";
import { describeValue, isThenable } from "@asyncio-ts/loop/lowlevel";
import { checkOptions } from "./options.js";
import { Future, isFuture, iscoroutine } from "@asyncio-ts/tasks";
import { awaitFuture, OperationFuture, releaseWaiter } from "./operation.js";
import { doneWaiter, notWhenDone, whenDone } from "./when-done.js";

/** `wait()` returns when any future finishes or is cancelled. */
export const FIRST_COMPLETED = "FIRST_COMPLETED";
/** `wait()` returns when any future finishes by raising an exception, or when all finish. */
export const FIRST_EXCEPTION = "FIRST_EXCEPTION";
/** `wait()` returns when all futures finish or are cancelled (the default). */
export const ALL_COMPLETED = "ALL_COMPLETED";

export type ReturnWhen = typeof FIRST_COMPLETED | typeof FIRST_EXCEPTION | typeof ALL_COMPLETED;

export interface WaitOptions {
  /** Seconds to wait at most; `null` (the default) waits as long as it takes. */
  timeout?: number | null;
  /** When to return: `ALL_COMPLETED` (the default), `FIRST_COMPLETED` or `FIRST_EXCEPTION`. */
  returnWhen?: ReturnWhen;
}

/**
 * Waits for the futures and tasks in `fs` (asyncio's `wait`) and returns
 * `[done, pending]`, two sets of them. It never raises the futures' errors and
 * never cancels anything, also when `timeout` passes: the futures not done
 * then are in `pending`.
 *
 * Cancellation: cancelling the caller stops the wait (the caller gets
 * `CancelledError`); the futures in `fs` are left running.
 *
 * Errors: `TypeError` if `fs` is a single future or coroutine, or contains a
 * coroutine (wrap it with `createTask` first, as asyncio 3.12 requires);
 * `RangeError` if `fs` is empty or `returnWhen` is not one of the three
 * constants; `RuntimeError` outside a running loop.
 *
 * ```ts
 * const [done, pending] = await wait([task1, task2], { returnWhen: FIRST_COMPLETED });
 * ```
 */
export function wait<F extends FutureLike<unknown>>(fs: Iterable<F>, options: WaitOptions = {}): Future<[done: Set<F>, pending: Set<F>]> {
  if (isFuture(fs) || iscoroutine(fs) || typeof fs === "function" || isThenable(fs)) {
    throw new TypeError(`wait() expects an iterable of futures, not ${describeValue(fs)}`);
  }
  if (fs === null || typeof fs !== "object" || typeof (fs as Iterable<F>)[Symbol.iterator] !== "function") {
    throw new TypeError(`wait() expects an iterable of futures, not ${describeValue(fs)}`);
  }
  checkOptions(options, ["timeout", "returnWhen"], "wait", "the futures");
  const { timeout = null, returnWhen = ALL_COMPLETED } = options ?? {};
  if (returnWhen !== FIRST_COMPLETED && returnWhen !== FIRST_EXCEPTION && returnWhen !== ALL_COMPLETED) {
    throw new RangeError(`Invalid returnWhen value: ${describeValue(returnWhen)} (use FIRST_COMPLETED, FIRST_EXCEPTION or ALL_COMPLETED)`);
  }
  if (timeout !== null && typeof timeout !== "number") throw new TypeError(`wait() timeout must be seconds or null, got ${describeValue(timeout)}`);
  if (Number.isNaN(timeout)) throw new RangeError("wait() timeout must be seconds or null, got NaN");
  const set = new Set(fs);
  if (set.size === 0) throw new RangeError("Set of Tasks/Futures is empty.");
  for (const f of set) {
    if (iscoroutine(f) || typeof f === "function") {
      throw new TypeError("Passing coroutines is forbidden, use tasks explicitly. (wrap each one: wait([createTask(coro)]))");
    }
    if (!isFuture(f) && (f === null || typeof (f as FutureLike<unknown>).addDoneCallback !== "function")) {
      throw new TypeError(`wait() expects futures or tasks, got ${describeValue(f)}: wrap it with ensureFuture()`);
    }
  }
  const loop = getRunningLoop();
  return new OperationFuture((ctx) => waitInner(ctx, set, timeout, returnWhen), loop);
}

/** asyncio's `_wait`. */
function* waitInner<F extends FutureLike<unknown>>(
  ctx: Parameters<typeof awaitFuture>[0],
  fs: Set<F>,
  timeout: number | null,
  returnWhen: ReturnWhen,
): Generator<unknown, [Set<F>, Set<F>], unknown> {
  const loop = ctx.task.getLoop();
  const waiter = new Future<void>({ loop });
  const timeoutHandle = timeout === null ? null : loop.callLater(timeout, releaseWaiter, waiter);
  let counter = fs.size;
  const onCompletion = (f: FutureLike<unknown>): void => {
    counter--;
    if (counter <= 0 || returnWhen === FIRST_COMPLETED || (returnWhen === FIRST_EXCEPTION && !f.cancelled() && f.exception() !== undefined)) {
      if (timeoutHandle !== null) timeoutHandle.cancel();
      if (!waiter.done()) waiter.setResult(undefined);
    }
  };
  const completion = doneWaiter("_wait.<locals>._on_completion", onCompletion);
  for (const f of fs) whenDone(f, completion);
  try {
    yield* awaitFuture(ctx, waiter);
  } finally {
    if (timeoutHandle !== null) timeoutHandle.cancel();
    for (const f of fs) notWhenDone(f, completion);
  }
  const done = new Set<F>();
  const pending = new Set<F>();
  for (const f of fs) (f.done() ? done : pending).add(f);
  return [done, pending];
}
