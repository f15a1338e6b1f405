/**
 * Internal: how a Python *coroutine function* of this package (wait, waitFor,
 * the timeout scope, the task group, asCompleted's steps) runs here.
 *
 * Each is written once, as a generator over an `OperationContext`, and returned
 * as an `OperationFuture`: a `Future` that starts the work on its first use,
 * in the way that use asks for, as awaiting a Python coroutine object does:
 *
 * - `await op` in a task: the work runs *inside the awaiting task*, driven by an
 *   async function in that task's context, so its awaits are the task's own
 *   (cancelling the task reaches the innermost await, `currentTask()` is the
 *   caller, `cancelling()`/`uncancel()` count on the caller);
 * - `yield* op` in a generator task: the work's generator is delegated to,
 *   inline, so again it is part of the caller's task;
 * - anything else first (`addDoneCallback`, so `gather`, `shield`, `wait`,
 *   `runUntilComplete`; or an `await` outside any task): the work runs in a new
 *   task of its own, as Python's `ensure_future(coroutine)` would do.
 */
import type { Coroutine, EventLoop, FutureLike } from "@asyncio-ts/loop";
import { getRunningLoop } from "@asyncio-ts/loop";
import { CancelledError, currentTask, ensureFuture, Future, isFuture, type Task } from "@asyncio-ts/tasks";
import { isThenable } from "@asyncio-ts/loop/lowlevel";

/** Where an operation runs. Invariant: `pending` is set only between a yield of an async-mode operation and the driver picking it up. */
export interface OperationContext {
  /** True when the operation is delegated to by `yield*` in a generator task. */
  readonly gen: boolean;
  /** The task the operation is part of. */
  readonly task: Task<unknown>;
  /** Async mode: what the driver must await next (a library future, or a body's own promise). */
  pending: PromiseLike<unknown> | null;
}

export type Operation<T> = (ctx: OperationContext) => Generator<unknown, T, unknown>;

const AWAIT_PENDING: unique symbol = Symbol("asyncio-ts.combinators.awaitPending");

type FutureIterOf<T> = ReturnType<Future<T>[typeof Symbol.iterator]>;

/** The current task of `future`'s loop, or null (also when no loop runs). */
function taskOf(future: Future<unknown>): Task<unknown> | null {
  try {
    return currentTask(future.getLoop());
  } catch {
    return null;
  }
}

/** Async mode: steps the operation's generator, awaiting what it hands over with a real `await` in the caller's context. */
async function drive<T>(ctx: OperationContext, gen: Generator<unknown, T, unknown>): Promise<T> {
  let step = gen.next();
  while (step.done !== true) {
    const pending = ctx.pending!;
    ctx.pending = null;
    let value: unknown;
    let failed = false;
    let error: unknown;
    try {
      value = await pending;
    } catch (e) {
      failed = true;
      error = e;
    }
    step = failed ? gen.throw(error) : gen.next(value);
  }
  return step.value;
}

/**
 * A `Future` standing for one run of an operation (a Python coroutine object
 * that is also a future). See the module comment for how it starts.
 *
 * Cancellation: before it starts, `cancel()` just cancels it (the work never
 * runs); once running, it cancels the task the work runs in, as cancelling
 * that task is the only way to interrupt a coroutine in Python.
 */
export class OperationFuture<T> extends Future<T> {
  #operation: Operation<T> | null;
  /** The task the operation runs in, once started. */
  #host: Task<unknown> | null = null;

  constructor(operation: Operation<T>, loop: EventLoop = getRunningLoop()) {
    super({ loop });
    this.#operation = operation;
  }

  /** Shown as a plain future (not as our internal class). */
  override _kindName(): string {
    return "Future";
  }

  override then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    const operation = this.#take();
    if (operation !== null) {
      const task = taskOf(this);
      if (task !== null) return this.#runAsync(operation, task).then(onfulfilled, onrejected);
      this.#startOwnTask(operation);
    }
    return super.then(onfulfilled, onrejected);
  }

  override [Symbol.iterator](): FutureIterOf<T> {
    const operation = this.#take();
    if (operation !== null) {
      const task = taskOf(this);
      if (task !== null) return this.#runInline(operation, task) as unknown as FutureIterOf<T>;
      this.#startOwnTask(operation);
    }
    return super[Symbol.iterator]();
  }

  override addDoneCallback(callback: (future: this) => void): void {
    const operation = this.#take();
    if (operation !== null) this.#startOwnTask(operation);
    super.addDoneCallback(callback);
  }

  override cancel(msg?: string): boolean {
    if (this.done()) return false;
    if (this.#take() !== null) return super.cancel(msg);
    return this.#host!.cancel(msg);
  }

  #take(): Operation<T> | null {
    const operation = this.#operation;
    this.#operation = null;
    return operation;
  }

  #runAsync(operation: Operation<T>, task: Task<unknown>): Promise<T> {
    this.#host = task;
    const ctx: OperationContext = { gen: false, task, pending: null };
    const promise = drive(ctx, operation(ctx));
    promise.then(
      (value) => this.#settle(false, value),
      (error: unknown) => this.#settle(true, error),
    );
    return promise;
  }

  *#runInline(operation: Operation<T>, task: Task<unknown>): Generator<unknown, T, unknown> {
    this.#host = task;
    let settled = false;
    try {
      const value = yield* operation({ gen: true, task, pending: null });
      settled = true;
      this.#settle(false, value);
      return value;
    } catch (error) {
      settled = true;
      this.#settle(true, error);
      throw error;
    } finally {
      // Abandoned by gen.return(): the work stopped without an outcome.
      if (!settled && !this.done()) super.cancel();
    }
  }

  #startOwnTask(operation: Operation<T>): void {
    const task = this.getLoop().createTask(() => this.#runAsync(operation, currentTask()!)) as Task<T>;
    this.#host = task;
    task.addDoneCallback(() => {
      // The task's outcome is reported through this future: mark it retrieved.
      if (!task.cancelled()) task.exception();
      // Cancelled before its first step: the operation never ran.
      if (!this.done()) super.cancel();
    });
  }

  #settle(failed: boolean, outcome: unknown): void {
    if (this.done()) return;
    if (!failed) this.setResult(outcome as T);
    else if (outcome instanceof CancelledError) super.cancel(outcome.message === "" ? undefined : outcome.message);
    else {
      this.setException(outcome);
      // Whoever ran the operation has received the error already.
      this.exception();
    }
  }
}


/** Awaits a future as part of the operation: `yield*` in generator mode, a real `await` in async mode. */
export function* awaitFuture<T>(ctx: OperationContext, future: FutureLike<T>): Generator<unknown, T, unknown> {
  const fut = asFuture(future);
  if (ctx.gen) return yield* fut;
  ctx.pending = fut;
  return (yield AWAIT_PENDING) as T;
}

/** Async mode only: awaits an async body's own promise, which registers nothing with the task (its inner awaits do). */
function* awaitPromise<T>(ctx: OperationContext, promise: PromiseLike<T>): Generator<unknown, T, unknown> {
  ctx.pending = promise;
  return (yield AWAIT_PENDING) as T;
}

/** Anything a body or `waitFor` may be given. */
export type Runnable<T> = Coroutine<T> | PromiseLike<T> | FutureLike<T>;

function isGeneratorObject(value: unknown): value is Generator<unknown, unknown, unknown> {
  return (
    value !== null &&
    typeof value === "object" &&
    typeof (value as Generator).next === "function" &&
    typeof (value as Generator).throw === "function" &&
    typeof (value as Generator)[Symbol.iterator] === "function"
  );
}

export function isGeneratorFunction(value: unknown): boolean {
  return typeof value === "function" && value.constructor?.name === "GeneratorFunction";
}

export function isAsyncFunction(value: unknown): boolean {
  return typeof value === "function" && value.constructor?.name === "AsyncFunction";
}

/**
 * Awaits a coroutine, future or promise as part of the operation, inside the
 * operation's task when its kind matches the way the operation runs (an async
 * coroutine in async mode, a generator in generator mode); a coroutine of the
 * other kind runs in a child task that is awaited instead, so it can still be
 * cancelled. A promise that is already running cannot be moved into a
 * generator task: it is awaited as a foreign promise.
 */
export function* runCoroutine<T>(ctx: OperationContext, work: Runnable<T> | T): Generator<unknown, T, unknown> {
  if (isFuture(work)) return yield* awaitFuture(ctx, work as Future<T>);
  if (typeof work === "function") {
    if (ctx.gen) {
      if (isGeneratorFunction(work)) return yield* (work as () => Generator<unknown, T, unknown>)();
      return yield* awaitFuture(ctx, ctx.task.getLoop().createTask(work as Coroutine<T>));
    }
    const returned: unknown = (work as () => unknown)();
    if (isGeneratorObject(returned)) return yield* awaitFuture(ctx, ctx.task.getLoop().createTask(returned as Generator<unknown, T, unknown>));
    if (isFuture(returned)) return yield* awaitFuture(ctx, returned as Future<T>);
    if (isThenable(returned)) return yield* awaitPromise(ctx, returned as PromiseLike<T>);
    return returned as T;
  }
  if (isGeneratorObject(work)) {
    if (ctx.gen) return yield* (work as Generator<unknown, T, unknown>);
    return yield* awaitFuture(ctx, ctx.task.getLoop().createTask(work as Generator<unknown, T, unknown>));
  }
  if (isThenable(work)) {
    if (ctx.gen) return yield* awaitFuture(ctx, ensureFuture(work as PromiseLike<T>));
    return yield* awaitPromise(ctx, work as PromiseLike<T>);
  }
  if (isFutureLike(work)) return yield* awaitFuture(ctx, work);
  return work as T;
}

function isFutureLike(value: unknown): value is FutureLike<unknown> {
  return (
    value !== null &&
    typeof value === "object" &&
    typeof (value as FutureLike<unknown>).addDoneCallback === "function" &&
    typeof (value as FutureLike<unknown>).getLoop === "function"
  );
}

/** Our `Future` for any `FutureLike` (a foreign one is followed by a new future; cancelling that cancels the foreign one). */
export function asFuture<T>(future: FutureLike<T>): Future<T> {
  if (isFuture(future)) return future as Future<T>;
  const ours = new Future<T>({ loop: future.getLoop() });
  future.addDoneCallback((f) => {
    if (ours.done()) return;
    if (f.cancelled()) ours.cancel();
    else {
      const error = f.exception();
      if (error !== undefined && error !== null) ours.setException(error);
      else ours.setResult(f.result());
    }
  });
  ours.addDoneCallback(() => {
    if (ours.cancelled()) future.cancel();
  });
  return ours;
}

/** Python's `_release_waiter`. */
export function releaseWaiter(waiter: Future<unknown>): void {
  if (!waiter.done()) waiter.setResult(undefined);
}
