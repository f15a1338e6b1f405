import type { EventLoop, FutureLike } from "@asyncio-ts/loop";
import { brand, describeValue, getRunningLoopOrNull, reprValue, type Runnable } from "@asyncio-ts/loop/lowlevel";
import { getEventLoop, RuntimeError } from "@asyncio-ts/loop";
import { CancelledError, InvalidStateError } from "./errors.js";
import { S } from "./state.js";

// Invariant: _state only moves from PENDING to one of the others, once.
export const PENDING = 0;
export const CANCELLED = 1;
export const FINISHED = 2;
/** Finished with an exception, kept in `_result`. */
export const FAILED = 3;

/** Something woken by a future's completion without a closure: a task, or an `await` in progress. */
export interface Waiter {
  /** True when the wake-up can queue microtasks (an async coroutine resumes). Kept on the prototype. */
  readonly _drainOnWake: boolean;
  /**
   * True for a generator-stepping task, which is then queued as its own
   * ready-queue entry (its `_run` steps it) instead of through a handle.
   */
  readonly _wakesItself?: boolean;
  /** How a future's repr lists this waiter in `cb=[...]` (default: `_wakeup`'s name). */
  readonly _wakeupName?: string;
  _wakeup(future: Future<unknown>): void;
}

type Callback<F> = (future: F) => void;
/** What a future wakes when done: a done callback, or a waiter. */
export type Entry = Callback<never> | Waiter;

/**
 * What `yield* future` delegates to: one iterator shared by every future, so a
 * suspended generator holds no iterator object of its own. It learns which
 * future it serves from `S.iterFuture`, which `future[Symbol.iterator]()` sets
 * on entry and a task's step sets (to the future it was suspended on) before
 * resuming the generator. For a pending future it sets `S.yielded` and yields
 * `S.suspend`, which a task recognises; a bare `yield future` yields the future
 * itself, which a task rejects as a mistake.
 */
const FUTURE_ITERATOR: Iterator<unknown, unknown, unknown> & Iterable<unknown> = {
  next(): IteratorResult<unknown, unknown> {
    const future = S.iterFuture;
    if (future === null) throw new RuntimeError("a future's iterator was resumed outside a task's step: use yield* future inside a task");
    if (!future.done()) {
      S.yielded = future;
      return S.suspend;
    }
    S.iterFuture = null;
    // After the task is woken the future is done: result() returns or throws at the yield* point.
    return { done: true, value: future.result() };
  },
  throw(error: unknown): IteratorResult<unknown, unknown> {
    S.iterFuture = null;
    throw error;
  },
  return(value: unknown): IteratorResult<unknown, unknown> {
    S.iterFuture = null;
    return { done: true, value };
  },
  [Symbol.iterator]() {
    return this;
  },
};

/** True when a generator's step yielded `S.suspend`: it is suspended on `S.yielded`. */
export function isSuspend(value: unknown): boolean {
  return value === S.suspend.value;
}

interface NeverRetrieved {
  loop: EventLoop;
  message: string;
  exception: unknown;
  future: string;
  /** Where a task was created, in debug mode. */
  sourceTraceback: string | undefined;
}

let neverRetrieved: FinalizationRegistry<NeverRetrieved> | null = null;

function reportNeverRetrieved(record: NeverRetrieved): void {
  const { loop, message, exception, future, sourceTraceback } = record;
  // As asyncio's Future.__del__: source_traceback only when the creation stack was kept (debug mode).
  loop.callExceptionHandler(
    sourceTraceback ? { message, exception, future, source_traceback: sourceTraceback } : { message, exception, future },
  );
}

/**
 * A result that will exist later (asyncio's `Future`). Await it with `await fut`
 * in an async function or `yield* fut` in a generator coroutine.
 *
 * Completion never calls callbacks synchronously: `setResult`, `setException`
 * and `cancel` schedule each done callback with the loop's `callSoon`, so
 * waiters resume on the next iteration, in registration order.
 *
 * Cancellation: `cancel()` marks a pending future cancelled; awaiting it throws
 * `CancelledError`.
 */
export class Future<T = unknown> implements PromiseLike<T>, FutureLike<T> {
  static {
    brand(this, "Future");
  }
  /** @internal */ _state = PENDING;
  /**
   * @internal The result; the exception when FAILED; when CANCELLED, possibly
   * the CancelledError that ended a task (handed to the first retrieval).
   * Subclasses may use it while PENDING (a sleep keeps its result here).
   */
  _result: unknown = undefined;
  /** @internal */ _loop: EventLoop;
  /** @internal One entry (the common case: one waiter) or several. */
  _callbacks: Entry | Entry[] | null = null;
  /** @internal */ _cancelMessage: string | undefined = undefined;
  /** @internal True while an exception is set that nobody has retrieved. */
  _logTraceback = false;

  constructor(options: { loop?: EventLoop } = {}) {
    // CPython: Future(loop) is a TypeError (no positional arguments); here a
    // loop or a number passed for the options would silently pick another loop.
    if (typeof options !== "object" || options === null || typeof (options as { callSoon?: unknown }).callSoon === "function") {
      throw new TypeError(`new Future() takes an options object ({ loop }), got ${describeValue(options)}`);
    }
    this._loop = options.loop ?? getRunningLoopOrNull() ?? getEventLoop();
  }

  getLoop(): EventLoop {
    return this._loop;
  }

  done(): boolean {
    return this._state !== PENDING;
  }

  cancelled(): boolean {
    return this._state === CANCELLED;
  }

  /**
   * The result. Throws the future's exception, `CancelledError` if it was
   * cancelled, or `InvalidStateError` if it is not done yet.
   */
  result(): T {
    const state = this._state;
    if (state === FINISHED) return this._result as T;
    if (state === FAILED) {
      this._retrieved();
      throw this._result;
    }
    if (state === CANCELLED) throw this._makeCancelledError();
    throw new InvalidStateError("Result is not ready.");
  }

  /** The exception set on the future (`undefined` if it has a result); throws as `result()` when cancelled or pending. */
  exception(): unknown {
    const state = this._state;
    if (state === FINISHED) return undefined;
    if (state === FAILED) {
      this._retrieved();
      return this._result;
    }
    if (state === CANCELLED) throw this._makeCancelledError();
    throw new InvalidStateError("Exception is not set.");
  }

  setResult(value: T): void {
    if (this._state !== PENDING) throw new InvalidStateError(`setResult() on a future that is already done: ${String(this)}`);
    this._finish(value);
  }

  setException(exception: unknown): void {
    if (this._state !== PENDING) throw new InvalidStateError(`setException() on a future that is already done: ${String(this)}`);
    // exception() returns undefined for "no exception": undefined cannot be one (CPython: "invalid exception object").
    if (exception === undefined) throw new TypeError("setException() needs an exception (an Error), got undefined");
    if (typeof exception === "function" && exception.prototype instanceof Error) {
      exception = new (exception as new () => Error)();
    }
    this._fail(exception);
  }

  /** @internal */
  _finish(value: T): void {
    this._state = FINISHED;
    this._result = value;
    this._scheduleCallbacks();
  }

  /** @internal */
  _fail(exception: unknown): void {
    // A coroutine that threw undefined, or a promise rejected without a reason:
    // exception() would say "no exception", and gather, wait and TaskGroup would
    // take the failure for a success. Fail with an error that says what happened.
    if (exception === undefined) exception = undefinedFailure(this);
    this._state = FAILED;
    this._result = exception;
    this._logTraceback = true;
    // Format the stack now: V8 keeps an unformatted stack's frames, receivers
    // included (this task), alive, and that would keep this future from ever
    // being collected and reported.
    if (exception instanceof Error) void exception.stack;
    neverRetrieved ??= new FinalizationRegistry(reportNeverRetrieved);
    neverRetrieved.register(
      this,
      {
        loop: this._loop,
        message: `${this._kindName()} exception was never retrieved`,
        exception,
        future: String(this),
        sourceTraceback: this._creationStack(),
      },
      this,
    );
    this._scheduleCallbacks();
  }

  /** Cancels a pending future; returns false if it was already done. */
  cancel(msg?: string): boolean {
    this._retrieved();
    if (this._state !== PENDING) return false;
    this._state = CANCELLED;
    this._cancelMessage = msg;
    this._scheduleCallbacks();
    return true;
  }

  /** Adds `callback(future)` to run (through `callSoon`) once the future is done; at once-ish if it already is. */
  addDoneCallback(callback: (future: this) => void): void {
    if (typeof callback !== "function") throw new TypeError(`addDoneCallback() needs a function, got ${reprValue(callback)}`);
    if (this._state !== PENDING) this._loop._callSoonInternal(callback, undefined, this, true);
    else this._addEntry(callback as Callback<never>);
  }

  /** Removes every registration of `callback`; returns how many were removed. */
  removeDoneCallback(callback: (future: this) => void): number {
    return this._offDone(callback as Entry);
  }

  /**
   * @internal `addDoneCallback` for library code whose callback queues no
   * microtasks: `waiter._wakeup(future)` runs through the loop as a done
   * callback would, but without a microtask drain after it (and no closure).
   */
  _onDone(waiter: Waiter): void {
    if (this.addDoneCallback !== baseAddDoneCallback) {
      // A subclass that overrides addDoneCallback sees every registration, as
      // CPython's tasks and gather call fut.add_done_callback() on anything
      // but a plain Future (test_step_result_future). OperationFuture relies
      // on it: its override is what starts its work.
      this.addDoneCallback(waiterCallback(waiter));
      return;
    }
    if (this._state === PENDING) this._addEntry(waiter);
    else this._scheduleOne(waiter);
  }

  /** @internal Removes every registration of `entry` (a callback or a waiter); returns how many. */
  _offDone(entry: Entry): number {
    if (typeof entry !== "function" && this.addDoneCallback !== baseAddDoneCallback) {
      // Registered through the subclass's addDoneCallback (see _onDone): remove it the same way.
      const callback = waiterCallbacks.get(entry);
      return callback === undefined ? 0 : this.removeDoneCallback(callback);
    }
    const cbs = this._callbacks;
    if (cbs === null) return 0;
    if (!Array.isArray(cbs)) {
      if (cbs !== entry) return 0;
      this._callbacks = null;
      return 1;
    }
    const kept = cbs.filter((c) => c !== entry);
    const removed = cbs.length - kept.length;
    this._callbacks = kept.length === 0 ? null : kept;
    return removed;
  }

  /**
   * `await future`. Awaiting a future that is already done continues without a
   * loop turn; otherwise the await resumes on the iteration after completion.
   */
  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    const onFulfilled = typeof onfulfilled === "function" ? (onfulfilled as (value: unknown) => unknown) : null;
    const onRejected = typeof onrejected === "function" ? onrejected : null;
    let settled: Promise<unknown>;
    if (this._state === PENDING) {
      const task = awaitingTask();
      if (task !== null && task._loop !== this._loop) {
        settled = Promise.reject(new RuntimeError(`Task ${String(task)} got Future ${String(this)} attached to a different loop`));
      } else if (task !== (this as unknown)) {
        const promise = new Promise<R1 | R2>(captureResolvers);
        const resolve = capturedResolve!;
        const reject = capturedReject!;
        capturedResolve = capturedReject = null;
        this._onDone(new AwaitWaiter(task, resolve, reject, onFulfilled, onRejected));
        if (task !== null) {
          // Cancelling the awaiting async task now cancels this future (CONTRACT §2).
          task._futWaiter = this;
          if (task._mustCancel && this.cancel(task._cancelMessage)) task._mustCancel = false;
        }
        return promise;
      } else {
        settled = Promise.reject(new RuntimeError(`Task cannot await on itself: ${String(this)}`));
      }
    } else if (this._state === FINISHED) {
      if (onFulfilled !== null && isResolvingFunction(onFulfilled)) {
        onFulfilled(this._result);
        return SETTLED as Promise<R1 | R2>;
      }
      settled = Promise.resolve(this._result);
    } else {
      let error: unknown;
      try {
        this.result();
      } catch (e) {
        error = e;
      }
      if (onRejected !== null && isResolvingFunction(onRejected)) {
        onRejected(error);
        return SETTLED as Promise<R1 | R2>;
      }
      settled = Promise.reject(error);
    }
    // Settled already: the callbacks must still run asynchronously, as promises' do.
    return (onFulfilled === null && onRejected === null ? settled : settled.then(onFulfilled, onRejected)) as Promise<R1 | R2>;
  }

  /** `yield* future` in a generator coroutine. */
  [Symbol.iterator](): Iterator<unknown, T, unknown> {
    S.iterFuture = this;
    return FUTURE_ITERATOR as Iterator<unknown, T, unknown>;
  }

  toString(): string {
    // reprlib.recursive_repr, as asyncio's _future_repr: a future whose result
    // contains itself (a task returning allTasks()) shows "..." inside.
    if (reprsInProgress.has(this)) return "...";
    reprsInProgress.add(this);
    try {
      return `<${this._kindName()} ${this._reprInfo().join(" ")}>`;
    } finally {
      reprsInProgress.delete(this);
    }
  }

  // ---- internals shared with Task ------------------------------------------------

  /**
   * @internal The class name reprs and reports show: a user's subclass shows its
   * own name, as asyncio's `self.__class__.__name__`. Our internal subclasses
   * override this with the name CPython shows for the same object.
   */
  _kindName(): string {
    const ctor = this.constructor;
    return ctor === Future ? "Future" : ctor.name || "Future";
  }

  /** @internal Where the future was made, if known (a task's, in debug mode); plain futures keep none. */
  _creationStack(): string | undefined {
    return undefined;
  }

  /** @internal asyncio's `_future_repr_info`: the state, the outcome, then `cb=[...]` while callbacks wait. */
  _reprInfo(): string[] {
    let info: string[];
    switch (this._state) {
      case PENDING:
        info = ["pending"];
        break;
      case CANCELLED:
        info = ["cancelled"];
        break;
      case FAILED:
        info = ["finished", `exception=${reprValue(this._result)}`];
        break;
      default:
        info = ["finished", `result=${reprValue(this._result)}`];
    }
    const cbs = this._callbacks;
    if (cbs !== null) info.push(`cb=[${formatCallbacks(Array.isArray(cbs) ? cbs : [cbs])}]`);
    return info;
  }

  /** @internal */
  _retrieved(): void {
    if (this._logTraceback) {
      this._logTraceback = false;
      neverRetrieved?.unregister(this);
    }
  }

  /** @internal The CancelledError to throw; the task's own one goes to the first retrieval. */
  _makeCancelledError(): CancelledError {
    const saved = this._result;
    if (this._state === CANCELLED && saved instanceof CancelledError) {
      this._result = undefined;
      return saved;
    }
    return cancelledError(this._cancelMessage);
  }

  /** @internal Registers a waiter (no closure, no argument array). */
  _addEntry(entry: Entry): void {
    const cbs = this._callbacks;
    if (cbs === null) this._callbacks = entry;
    else if (Array.isArray(cbs)) cbs.push(entry);
    else this._callbacks = [cbs, entry];
  }

  /** @internal */
  _scheduleCallbacks(): void {
    const cbs = this._callbacks;
    if (cbs === null) return;
    this._callbacks = null;
    if (!Array.isArray(cbs)) this._scheduleOne(cbs);
    else for (let i = 0; i < cbs.length; i++) this._scheduleOne(cbs[i]);
  }

  /** @internal */
  _scheduleOne(entry: Entry): void {
    if (typeof entry === "function") this._loop._callSoonInternal(entry, undefined, this, true);
    else if (entry._wakesItself === true) this._loop._pushReady(entry as unknown as Runnable);
    else this._loop._callSoonInternal(entry._wakeup, entry, this, entry._drainOnWake);
  }

}

const baseAddDoneCallback = Future.prototype.addDoneCallback;

/** The futures whose repr is being made (see `toString`). */
const reprsInProgress = new Set<Future<unknown>>();

/** The done callback standing for a waiter on a future whose class overrides addDoneCallback (one per waiter). */
const waiterCallbacks = new WeakMap<Waiter, (future: Future<unknown>) => void>();

function waiterCallback(waiter: Waiter): (future: Future<unknown>) => void {
  let callback = waiterCallbacks.get(waiter);
  if (callback === undefined) {
    callback = (future: Future<unknown>) => waiter._wakeup(future);
    // Listed in the future's repr as asyncio lists it (cb=[Task.task_wakeup()]).
    Object.defineProperty(callback, "name", { value: waiter._wakeupName ?? waiter._wakeup.name });
    waiterCallbacks.set(waiter, callback);
  }
  return callback;
}

/** asyncio's `_format_callbacks`: one or two shown, else the first, `<n more>`, the last. */
function formatCallbacks(entries: readonly Entry[]): string {
  const n = entries.length;
  if (n <= 2) return entries.map(formatEntry).join(", ");
  return `${formatEntry(entries[0])}, <${n - 2} more>, ${formatEntry(entries[n - 1])}`;
}

function formatEntry(entry: Entry): string {
  const fn = typeof entry === "function" ? entry : entry._wakeup;
  const name = typeof entry === "function" ? fn.name.replace(/^bound /, "") : (entry._wakeupName ?? fn.name);
  return `${name || "<anonymous>"}()`;
}

/**
 * What `then()` on a settled future returns after calling a resolving function:
 * a resolving function returns undefined, so the promise `then()` owes its
 * caller is one already resolved with undefined, and any such promise will do.
 */
const SETTLED: Promise<unknown> = Promise.resolve(undefined);
const functionSource = Function.prototype.toString;
const NATIVE_ANONYMOUS = "function () { [native code] }";

/**
 * True for the engine's promise-resolving functions, which `await future` (and
 * `Promise.resolve(future)`) hand to `then()`: anonymous built-ins. Calling one
 * at once is safe where a user callback must wait for a microtask: it runs no
 * user code, it only settles its promise, whose own reactions are queued as
 * usual. So `await doneFuture` takes one microtask hop instead of three.
 * (Bound functions are named "bound ...", so they never qualify.)
 */
function isResolvingFunction(fn: (value: never) => unknown): boolean {
  return fn.name === "" && functionSource.call(fn) === NATIVE_ANONYMOUS;
}

// `new Promise(captureResolvers)` hands out its resolvers without a closure per call.
let capturedResolve: ((value: unknown) => void) | null = null;
let capturedReject: ((reason: unknown) => void) | null = null;
function captureResolvers(resolve: (value: never) => void, reject: (reason: unknown) => void): void {
  capturedResolve = resolve as (value: unknown) => void;
  capturedReject = reject;
}

/** The parts of a Task that awaiting needs (declared here to avoid an import cycle). */
export interface AwaitingTask {
  _loop: EventLoop;
  _state: number;
  _mustCancel: boolean;
  _cancelMessage: string | undefined;
  _futWaiter: FutureLike<unknown> | null;
  _isAsync: boolean;
  _makeCancelledError(): CancelledError;
}

/** The pending async task on whose behalf code is running, if any. */
function awaitingTask(): AwaitingTask | null {
  const task = (S.current ?? S.storage?.getStore() ?? S.drainTask) as AwaitingTask | null | undefined;
  if (task == null || task._state !== PENDING || !task._isAsync) return null;
  return task;
}

/**
 * One `then()` on a pending future (an `await future` in progress). The
 * callbacks run from the loop callback that wakes it, already asynchronous, so
 * no derived promise or extra microtask is needed.
 */
class AwaitWaiter implements Waiter {
  constructor(
    private readonly task: AwaitingTask | null,
    private readonly resolve: (value: unknown) => void,
    private readonly reject: (reason: unknown) => void,
    private readonly onFulfilled: ((value: unknown) => unknown) | null,
    private readonly onRejected: ((reason: unknown) => unknown) | null,
  ) {}

  _wakeup(future: Future<unknown>): void {
    const task = this.task;
    let failed = false;
    let outcome: unknown;
    if (task !== null) {
      // This wake-up is the task's step: CPython's __step clears _fut_waiter and
      // delivers a pending cancel here, at the await where the task was suspended.
      if (task._futWaiter === future) task._futWaiter = null;
      S.drainTask = task;
    }
    if (task !== null && task._mustCancel && task._state === PENDING && !future.cancelled()) {
      // A pending cancel replaces the outcome; a cancelled future's own
      // CancelledError is delivered as is (CPython's __step keeps it).
      task._mustCancel = false;
      future._retrieved();
      failed = true;
      outcome = task._makeCancelledError();
    } else {
      if (task !== null && task._mustCancel && task._state === PENDING) task._mustCancel = false;
      try {
        outcome = future.result();
      } catch (error) {
        failed = true;
        outcome = error;
      }
    }
    const handler = failed ? this.onRejected : this.onFulfilled;
    if (handler === null) {
      if (failed) this.reject(outcome);
      else this.resolve(outcome);
      return;
    }
    try {
      this.resolve(handler(outcome));
    } catch (error) {
      this.reject(error);
    }
  }
}
AwaitWaiter.prototype._drainOnWake = true;
AwaitWaiter.prototype._wakeupName = "Task.task_wakeup";
interface AwaitWaiter {
  _drainOnWake: boolean;
  _wakeupName: string;
}

/**
 * A `CancelledError` made by the library, without a stack trace: capturing one
 * costs more than the whole cancellation, and it would only show our internals.
 */
export function cancelledError(message: string | undefined): CancelledError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new CancelledError(message ?? "");
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** The error a future fails with instead of `undefined` (Python cannot raise None either: TypeError). */
function undefinedFailure(future: Future<unknown>): TypeError {
  return new TypeError(
    `${String(future)} failed with undefined (a throw or a promise rejection without a value), which would read as "no exception": throw or reject with an Error`,
  );
}

export function isFuture(value: unknown): value is Future<unknown> {
  return value instanceof Future;
}
