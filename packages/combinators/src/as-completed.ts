import type { Awaitable, EventLoop, FutureLike, TimerHandle } from "@asyncio-ts/loop";
import { getRunningLoop } from "@asyncio-ts/loop";
import { describeValue, isThenable } from "@asyncio-ts/loop/lowlevel";
import { checkOptions } from "./options.js";
import { Future, isFuture, iscoroutine } from "@asyncio-ts/tasks";
import { futureOf } from "./future-of.js";
import type { AwaitableResult } from "./gather.js";
import { awaitFuture, OperationFuture, type OperationContext } from "./operation.js";
import { TimeoutError } from "./timeout-error.js";

export interface AsCompletedOptions {
  /** Seconds until the remaining awaitables count as timed out (`TimeoutError`); `null` (the default) for no limit. */
  timeout?: number | null;
}

/**
 * What `asCompleted()` returns: iterate it plainly for awaitables of the
 * results in completion order, or with `for await` for the original futures
 * and tasks as they finish (asyncio 3.13).
 */
export interface AsCompleted<T> extends Iterable<Future<T>>, AsyncIterable<Future<T>> {}

/**
 * asyncio 3.13's `_AsCompletedIterator`. Invariants: `#todo` holds the inputs
 * not yet done (emptied on timeout); `#done` queues finished inputs, or `null`
 * for one that timed out; `#left` is how many more items iteration gives.
 */
class AsCompletedIterator<T> implements AsCompleted<T> {
  readonly #loop: EventLoop;
  readonly #todo: Set<FutureLike<T>>;
  readonly #done: (FutureLike<T> | null)[] = [];
  #doneHead = 0;
  /** Waiters of `_wait_for_one` for an empty queue, as an asyncio Queue's getters. */
  readonly #getters: Future<void>[] = [];
  #timeoutHandle: TimerHandle | null = null;
  #left: number;

  constructor(aws: Iterable<Awaitable<T>>, timeout: number | null, loop: EventLoop) {
    this.#loop = loop;
    const todo = new Set<FutureLike<T>>();
    for (const aw of new Set(aws)) todo.add(futureOf<T>(aw, "asCompleted()", { loop }, `item ${todo.size + 1}`));
    for (const f of todo) f.addDoneCallback(this.#handleCompletion);
    if (todo.size > 0 && timeout !== null) this.#timeoutHandle = loop.callLater(timeout, this.#handleTimeout);
    this.#todo = todo;
    this.#left = todo.size;
  }

  [Symbol.iterator](): Iterator<Future<T>> {
    return {
      next: (): IteratorResult<Future<T>> => {
        if (this.#left === 0) return { done: true, value: undefined };
        this.#left--;
        return { done: false, value: new OperationFuture<T>((ctx) => this.#waitForOne(ctx, true) as Generator<unknown, T, unknown>, this.#loop) };
      },
      [Symbol.iterator]() {
        return this;
      },
    } as Iterator<Future<T>>;
  }

  [Symbol.asyncIterator](): AsyncIterator<Future<T>> {
    return {
      next: (): Promise<IteratorResult<Future<T>>> => {
        if (this.#left === 0) return Promise.resolve({ done: true, value: undefined });
        this.#left--;
        // The future travels in a box: resolving a promise with a future would await it.
        const one = new OperationFuture<{ future: Future<T> }>((ctx) => this.#waitForOneBoxed(ctx), this.#loop);
        return one.then(({ future }) => ({ done: false, value: future }));
      },
    };
  }

  readonly #handleTimeout = (): void => {
    for (const f of this.#todo) {
      f.removeDoneCallback(this.#handleCompletion);
      this.#put(null);
    }
    this.#todo.clear();
  };

  readonly #handleCompletion = (f: FutureLike<T>): void => {
    if (this.#todo.size === 0) return; // #handleTimeout was here first.
    this.#todo.delete(f);
    this.#put(f);
    if (this.#todo.size === 0 && this.#timeoutHandle !== null) this.#timeoutHandle.cancel();
  };

  #put(item: FutureLike<T> | null): void {
    this.#done.push(item);
    this.#wakeupNext();
  }

  /** Queue._wakeup_next: wakes the first getter still waiting. */
  #wakeupNext(): void {
    while (this.#getters.length > 0) {
      const getter = this.#getters.shift()!;
      if (!getter.done()) {
        getter.setResult(undefined);
        break;
      }
    }
  }

  *#waitForOneBoxed(ctx: OperationContext): Generator<unknown, { future: Future<T> }, unknown> {
    return { future: (yield* this.#waitForOne(ctx, false)) as Future<T> };
  }

  *#waitForOne(ctx: OperationContext, resolve: boolean): Generator<unknown, T | Future<T>, unknown> {
    // Queue.get(): wait while the queue is empty.
    while (this.#doneHead === this.#done.length) {
      const getter = new Future<void>({ loop: this.#loop });
      this.#getters.push(getter);
      try {
        yield* awaitFuture(ctx, getter);
      } catch (error) {
        getter.cancel();
        const i = this.#getters.indexOf(getter);
        if (i >= 0) this.#getters.splice(i, 1);
        // A wake-up that landed on this cancelled getter goes to the next one.
        if (!getter.cancelled() && this.#doneHead < this.#done.length) this.#wakeupNext();
        throw error;
      }
    }
    const f = this.#done[this.#doneHead];
    this.#done[this.#doneHead++] = null;
    if (this.#doneHead === this.#done.length) {
      this.#done.length = 0;
      this.#doneHead = 0;
    }
    if (f === null) throw new TimeoutError();
    return resolve ? f.result() : (f as Future<T>);
  }
}

/**
 * Runs awaitables concurrently and gives them back in the order they finish
 * (asyncio 3.13's `as_completed`). Coroutines become tasks at the call.
 *
 * - Plain iteration gives one awaitable per input, in completion order: the
 *   first one awaited gives the first result (or throws the first error).
 * - `for await` gives the original futures and tasks themselves (new tasks
 *   for coroutines) as they finish, so you can tell which one it was.
 *
 * If `timeout` seconds pass first, awaiting the next item throws
 * `TimeoutError` (the remaining inputs keep running).
 *
 * Cancellation: cancelling a caller waiting for the next item stops that
 * wait only; the inputs keep running (cancel them yourself if needed).
 *
 * Errors: `TypeError` if `aws` is a single awaitable rather than an iterable of
 * them, or contains something not awaitable; `RuntimeError` outside a running loop.
 *
 * ```ts
 * for (const next of asCompleted(tasks)) console.log(await next);
 * for await (const task of asCompleted(tasks)) console.log(task.getName(), await task);
 * ```
 */
export function asCompleted<A extends Awaitable<unknown>>(aws: Iterable<A>, options: AsCompletedOptions = {}): AsCompleted<AwaitableResult<A>> {
  if (isFuture(aws) || iscoroutine(aws) || typeof aws === "function" || isThenable(aws) || aws === null || typeof aws !== "object" || typeof (aws as Iterable<A>)[Symbol.iterator] !== "function") {
    throw new TypeError(`asCompleted() expects an iterable of awaitables, not ${describeValue(aws)}`);
  }
  checkOptions(options, ["timeout"], "asCompleted", "the awaitables");
  const timeout = options?.timeout ?? null;
  if (timeout !== null && typeof timeout !== "number") throw new TypeError(`asCompleted() timeout must be seconds or null, got ${describeValue(timeout)}`);
  if (Number.isNaN(timeout)) throw new RangeError("asCompleted() timeout must be seconds or null, got NaN");
  return new AsCompletedIterator<AwaitableResult<A>>(aws as Iterable<Awaitable<AwaitableResult<A>>>, timeout, getRunningLoop());
}
