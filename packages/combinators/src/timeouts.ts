import type { Coroutine, Handle } from "@asyncio-ts/loop";
import { getRunningLoop, RuntimeError } from "@asyncio-ts/loop";
import { describeValue, isAsyncGeneratorFunction } from "@asyncio-ts/loop/lowlevel";
import { CancelledError, currentTask, type Future, type Task } from "@asyncio-ts/tasks";
import { isAsyncFunction, OperationFuture, runCoroutine, type OperationContext, type Runnable } from "./operation.js";
import { TimeoutError } from "./timeout-error.js";

type State = "created" | "active" | "expiring" | "expired" | "finished";

let enterScope: (cm: Timeout, task: Task<unknown>) => void;
let exitScope: (cm: Timeout, failed: boolean, error: unknown) => void;

/**
 * The deadline of one `timeout()` / `timeoutAt()` scope (asyncio's `Timeout`),
 * handed to the scope's body. Not meant to be constructed or subclassed by users.
 *
 * Invariant: the timer is armed only while the scope is `active`; when it fires
 * it cancels the scope's task once and the state becomes `expiring`, and the
 * scope's exit withdraws that one cancel request (`uncancel()`).
 */
export class Timeout {
  #state: State = "created";
  #handle: Handle | null = null;
  #task: Task<unknown> | null = null;
  #when: number | null;
  /** The task's `cancelling()` when the scope was entered. */
  #cancelling = 0;

  static {
    enterScope = (cm, task) => cm.#enter(task);
    exitScope = (cm, failed, error) => cm.#exit(failed, error);
  }

  /** @internal Use `timeout()` or `timeoutAt()`. */
  constructor(when: number | null) {
    this.#when = checkWhen(when, "Timeout");
  }

  /** The current deadline (loop time, in seconds), or `null` for none. */
  when(): number | null {
    return this.#when;
  }

  /**
   * Moves the deadline to `when` (loop time; `null` for none). A deadline in
   * the past expires the scope on the next loop iteration.
   *
   * Errors: `RuntimeError` if the scope is not active (not entered, or already
   * expiring, expired or finished).
   */
  reschedule(when: number | null): void {
    if (this.#state !== "active") {
      if (this.#state === "created") throw new RuntimeError("Timeout has not been entered");
      throw new RuntimeError(`Cannot change state of ${this.#state} Timeout`);
    }
    when = checkWhen(when, "Timeout.reschedule");
    this.#when = when;
    if (this.#handle !== null) this.#handle.cancel();
    if (when === null) {
      this.#handle = null;
    } else {
      const loop = getRunningLoop();
      this.#handle = when <= loop.time() ? loop.callSoon(this.#onTimeout) : loop.callAt(when, this.#onTimeout);
    }
  }

  /** True once the deadline has passed and the scope cancelled its task. */
  expired(): boolean {
    return this.#state === "expiring" || this.#state === "expired";
  }

  toString(): string {
    let info = "";
    if (this.#state === "active") info = ` when=${this.#when === null ? "None" : Math.round(this.#when * 1000) / 1000}`;
    return `<Timeout [${this.#state}]${info}>`;
  }

  #enter(task: Task<unknown>): void {
    if (this.#state !== "created") throw new RuntimeError("Timeout has already been entered");
    this.#state = "active";
    this.#task = task;
    this.#cancelling = task.cancelling();
    this.reschedule(this.#when);
  }

  /** asyncio's `__aexit__`: throws the TimeoutError that replaces the scope's own cancellation. */
  #exit(failed: boolean, error: unknown): void {
    if (this.#handle !== null) {
      this.#handle.cancel();
      this.#handle = null;
    }
    if (this.#state === "expiring") {
      this.#state = "expired";
      if (this.#task!.uncancel() <= this.#cancelling && failed && error instanceof CancelledError) {
        throw new TimeoutError("", { cause: error });
      }
    } else if (this.#state === "active") {
      this.#state = "finished";
    }
  }

  readonly #onTimeout = (): void => {
    this.#task!.cancel();
    this.#state = "expiring";
    this.#handle = null;
  };
}

function checkWhen(when: unknown, where: string): number | null {
  if (when === null || when === undefined) return null;
  if (typeof when !== "number") throw new TypeError(`${where}() needs a loop time in seconds or null, got ${describeValue(when)}`);
  if (Number.isNaN(when)) throw new RangeError(`${where}() needs a loop time in seconds or null, got NaN`);
  return when;
}

/** The body of a scope: given the scope's `Timeout`, a coroutine of either kind (or a promise from an async arrow). */
export type ScopeBody<C, T> = (scope: C) => Coroutine<T> | PromiseLike<T>;

/** Runs `body` in the operation's task, as `async with scope: ...` runs its block. */
export function* runBody<C, T>(ctx: OperationContext, body: ScopeBody<C, T>, scope: C): Generator<unknown, T, unknown> {
  // An async body in a generator task would start outside the task: it gets a child task instead.
  if (ctx.gen && isAsyncFunction(body)) return yield* runCoroutine<T>(ctx, () => body(scope) as PromiseLike<T>);
  return yield* runCoroutine<T>(ctx, body(scope) as Runnable<T>);
}

/** The timeout scope as a generator: `async with cm: return await <work>`. */
export function* timeoutScope<T>(ctx: OperationContext, cm: Timeout, work: (ctx: OperationContext) => Generator<unknown, T, unknown>): Generator<unknown, T, unknown> {
  enterScope(cm, ctx.task);
  let value: T;
  try {
    value = yield* work(ctx);
  } catch (error) {
    exitScope(cm, true, error);
    throw error;
  }
  exitScope(cm, false, undefined);
  return value;
}

function requireTask(where: string): void {
  if (currentTask() === null) throw new RuntimeError(`${where}() must be used inside a task: none is running here`);
}

/**
 * Runs `body` with a deadline `delay` seconds from now (asyncio's
 * `async with timeout(delay):`); `null` means no deadline. The body runs in
 * the *current* task and gets the scope's `Timeout`, whose deadline it can
 * move (`cm.reschedule(when)`). Use it with `await` in an async function
 * (`await timeout(1, async (cm) => ...)`) and with `yield*` in a generator
 * coroutine (`yield* timeout(1, function* (cm) { ... })`).
 *
 * When the deadline passes, the scope cancels the current task, and when the
 * resulting `CancelledError` comes out of the body the scope replaces it with
 * `TimeoutError` (its `cause` is the `CancelledError`). Only the scope's own
 * cancellation is converted (CPython's `cancelling()`/`uncancel()`
 * bookkeeping): in nested scopes the one whose deadline passed raises, and a
 * cancel request from outside stays a `CancelledError`.
 *
 * Cancellation: cancelling the current task while the body runs cancels the
 * body at its current await; the scope lets that `CancelledError` through
 * (it is not a timeout), also when the deadline passes at the same time.
 *
 * Errors: `RuntimeError` when called outside a task; `TypeError`/`RangeError`
 * for a `delay` that is not a number or is NaN.
 *
 * ```ts
 * try {
 *   await timeout(10, async () => { await longRunningTask(); });
 * } catch (e) {
 *   if (e instanceof TimeoutError) console.log("took too long");
 * }
 * ```
 */
export function timeout<T>(delay: number | null, body: ScopeBody<Timeout, T>): Future<T> {
  if (delay !== null && delay !== undefined && typeof delay !== "number") {
    throw new TypeError(`timeout() needs a delay in seconds or null, got ${describeValue(delay)}`);
  }
  if (Number.isNaN(delay)) throw new RangeError("timeout() needs a delay in seconds or null, got NaN");
  checkBody(body, "timeout");
  requireTask("timeout");
  return new OperationFuture<T>((ctx) => {
    const cm = new Timeout(delay === null || delay === undefined ? null : getRunningLoop().time() + delay);
    return timeoutScope(ctx, cm, (c) => runBody(c, body, cm));
  });
}

/**
 * As `timeout()`, with an absolute deadline in loop time (`getRunningLoop().time()`
 * seconds); `null` means none (asyncio's `timeout_at`).
 *
 * Cancellation: as for `timeout()`.
 *
 * ```ts
 * const loop = getRunningLoop();
 * await timeoutAt(loop.time() + 10, async () => { await longRunningTask(); });
 * ```
 */
export function timeoutAt<T>(when: number | null, body: ScopeBody<Timeout, T>): Future<T> {
  const deadline = checkWhen(when, "timeoutAt");
  checkBody(body, "timeoutAt");
  requireTask("timeoutAt");
  return new OperationFuture<T>((ctx) => {
    const cm = new Timeout(deadline);
    return timeoutScope(ctx, cm, (c) => runBody(c, body, cm));
  });
}

export function checkBody(body: unknown, where: string): void {
  if (typeof body !== "function") {
    throw new TypeError(`${where}() needs a body function, e.g. ${where}(..., async (scope) => { ... }), got ${describeValue(body)}`);
  }
  if (isAsyncGeneratorFunction(body)) {
    // Its async generator would have been the result, the body never run.
    throw new TypeError(`${where}() needs a body function, e.g. ${where}(..., async (scope) => { ... }), got async generator ${describeValue(body)}, which is iterated with for await, not run`);
  }
}
