import type { Coroutine, EventLoop, FutureLike, GeneratorCoroutine } from "@asyncio-ts/loop";
import { getRunningLoop, RuntimeError } from "@asyncio-ts/loop";
import { brand, describeValue, isThenable } from "@asyncio-ts/loop/lowlevel";
import { checkCoroutine, isGeneratorObject } from "./coroutines.js";
import { CancelledError, InvalidStateError } from "./errors.js";
import { formatCoroutine } from "./format.js";
import { CANCELLED, cancelledError, Future, isSuspend, PENDING, type Waiter } from "./future.js";
import { registerTask, unregisterTask } from "./registry.js";
import { S } from "./state.js";

/** The argument of a normal step; anything else is an exception to throw into the coroutine. */
const NO_EXC: unique symbol = Symbol("no exception");

/** The rarely used parts of a task. */
interface TaskExtra {
  /** Made on first `signal` access only (an AbortController per task costs ~2 KB). */
  controller: AbortController | null;
  /** The creation stack, in debug mode. */
  sourceTraceback: string | null;
}

export interface TaskConstructorOptions {
  loop?: EventLoop;
  name?: string;
  /** Run the first step now, inside the constructor, when the loop is running (asyncio 3.12's eager tasks). */
  eagerStart?: boolean;
}

/**
 * A coroutine scheduled on the loop (asyncio's `Task`): a `Future` that the
 * coroutine's outcome completes.
 *
 * Invariants: `_futWaiter` is the future the coroutine is suspended on, or null
 * while a step is scheduled or an async coroutine is awaiting something foreign;
 * `_mustCancel` means a cancel request is waiting for the next suspension point.
 *
 * Cancellation: `cancel(msg)` cancels what the task awaits, so `CancelledError`
 * arrives at its suspension point (thrown into a generator at `yield*`, or out of
 * the `await` of an async coroutine); it also aborts `task.signal`.
 */
export class Task<T = unknown> extends Future<T> implements Waiter {
  static {
    brand(this, "Task");
  }
  /**
   * @internal The async function (while `_isAsync`), else the generator being
   * stepped (which replaces a function that returned a generator).
   */
  _coro: Coroutine<T>;
  /** @internal True while the coroutine is an async function: awaits, not yields. */
  _isAsync: boolean;
  /** @internal A generator task's wake-up queues no microtasks (set on the prototype, below). */
  declare readonly _drainOnWake: boolean;
  /** @internal Ready-queue entry fields (on the prototype, below). */
  declare readonly _wakesItself: boolean;
  /** @internal */ declare readonly _wakeupName: string;
  /** @internal */ declare readonly _cancelled: boolean;
  /** @internal */ declare readonly _pooled: boolean;
  /** @internal */ declare readonly _sourceTraceback: string | undefined;
  /** @internal */ _futWaiter: FutureLike<unknown> | null = null;
  /** @internal */ _mustCancel = false;
  /** @internal */ _numCancelsRequested = 0;
  /** @internal The name, or the task's number for the default name "Task-<n>". */
  _name: string | number;
  /** @internal What few tasks need, made on first use (every field costs a million tasks 8 MB). */
  _extra: TaskExtra | null = null;
  /** @internal Links of the loop's task registry. */
  _prev: Task<unknown> | null = null;
  /** @internal */ _next: Task<unknown> | null = null;

  constructor(coro: Coroutine<T>, options: TaskConstructorOptions = {}) {
    checkCoroutine(coro, "Task");
    // As Future's: Task(coro, loop) is a TypeError in CPython (loop is keyword-only).
    if (typeof options !== "object" || options === null || typeof (options as { callSoon?: unknown }).callSoon === "function") {
      throw new TypeError(`new Task() takes an options object ({ loop, name }) after the coroutine, got ${describeValue(options)}`);
    }
    const loop = options.loop ?? getRunningLoop();
    if (typeof (loop as Partial<EventLoop>).isClosed !== "function") {
      throw new TypeError(`new Task() options.loop must be an EventLoop, got ${describeValue(loop)}`);
    }
    // CPython's Task() schedules its first step with call_soon, which refuses a
    // closed loop; such a task would never run.
    if (loop.isClosed()) throw new RuntimeError("Event loop is closed");
    super({ loop });
    this._coro = coro;
    const isFunction = typeof coro === "function";
    this._isAsync = isFunction;
    const id = ++S.taskCounter;
    this._name = options.name === undefined || options.name === null ? id : String(options.name);
    if (loop.getDebug()) this._extraFields().sourceTraceback = (new Error().stack ?? "").split("\n").slice(2).join("\n");
    if (options.eagerStart && loop.isRunning()) {
      // Registered while its eager step runs (allTasks() sees it), as CPython's __eager_start;
      // a step that finishes the task unregisters it.
      registerTask(this);
      this._step(NO_EXC);
    } else {
      loop._pushReady(this);
      registerTask(this);
    }
  }

  /** Tasks are completed by their coroutine: this always throws `RuntimeError`. */
  override setResult(_value: T): never {
    throw new RuntimeError("Task does not support setResult(): the task's coroutine sets its result");
  }

  /** Tasks are completed by their coroutine: this always throws `RuntimeError`. */
  override setException(_exception: unknown): never {
    throw new RuntimeError("Task does not support setException(): the task's coroutine sets its exception");
  }

  /**
   * Requests cancellation: `CancelledError(msg)` is thrown into the coroutine at
   * its current (or next) suspension point. Returns false if the task is done.
   * The coroutine may catch it; the task then ends as the coroutine does.
   */
  override cancel(msg?: string): boolean {
    this._retrieved();
    if (this._state !== PENDING) return false;
    this._numCancelsRequested++;
    const controller = this._extra?.controller;
    if (controller && !controller.signal.aborted) controller.abort(cancelledError(msg));
    const waiter = this._futWaiter;
    // Keep _futWaiter: it may be a task that swallows the cancel and must be cancelled again.
    // A zero sleep is CPython's bare yield: the step already queued delivers the cancel.
    if (waiter !== null && (waiter as { _isBareYield?: boolean })._isBareYield !== true && waiter.cancel(msg)) return true;
    this._mustCancel = true;
    this._cancelMessage = msg;
    return true;
  }

  /** The number of pending cancellation requests (`cancel()` calls not matched by `uncancel()`). */
  cancelling(): number {
    return this._numCancelsRequested;
  }

  /** Withdraws one cancellation request; returns the remaining count. At zero, `signal` is fresh again. */
  uncancel(): number {
    if (this._numCancelsRequested > 0) {
      this._numCancelsRequested--;
      const extra = this._extra;
      if (this._numCancelsRequested === 0 && extra?.controller?.signal.aborted) extra.controller = null;
    }
    return this._numCancelsRequested;
  }

  /**
   * Aborted (with the `CancelledError` as `reason`) when the task is cancelled,
   * so foreign APIs stop too: `fetch(url, { signal: currentTask()!.signal })`.
   * Read it when you start the foreign call: after `uncancel()` brings the count
   * back to zero a new, unaborted signal is made.
   */
  get signal(): AbortSignal {
    const extra = this._extraFields();
    let controller = extra.controller;
    if (controller === null) {
      controller = extra.controller = new AbortController();
      if (this._numCancelsRequested > 0 || this._state === CANCELLED) {
        controller.abort(cancelledError(this._cancelMessage));
      }
    }
    return controller.signal;
  }

  getName(): string {
    const name = this._name;
    return typeof name === "number" ? `Task-${name}` : name;
  }

  setName(value: unknown): void {
    this._name = String(value);
  }

  /**
   * The coroutine: the async function or the generator object the task was
   * created with (for a function that returned a generator, that generator).
   */
  getCoro(): Coroutine<T> {
    return this._coro;
  }

  /**
   * The frames known for the task. JavaScript cannot inspect a suspended
   * coroutine's frames, so this is the creation stack in debug mode, else empty.
   */
  getStack(): string[] {
    const stack = this._extra?.sourceTraceback;
    return stack ? stack.split("\n").map((l) => l.trim()).filter(Boolean) : [];
  }

  printStack(): void {
    const stack = this.getStack();
    if (stack.length === 0) console.error(`No stack for ${String(this)}`);
    else console.error(`Stack for ${String(this)} (most recent call last):\n${stack.join("\n")}`);
  }

  // ---- internals -------------------------------------------------------------------

  /** @internal */
  _extraFields(): TaskExtra {
    return (this._extra ??= { controller: null, sourceTraceback: null });
  }

  override _kindName(): string {
    const ctor = this.constructor;
    return ctor === Task ? "Task" : ctor.name || "Task";
  }

  override _creationStack(): string | undefined {
    return this._extra?.sourceTraceback ?? undefined;
  }

  override _reprInfo(): string[] {
    const info = super._reprInfo();
    if (this._numCancelsRequested > 0 && this._state === PENDING) info[0] = "cancelling";
    info.splice(1, 0, `name='${this.getName()}'`, `coro=<${formatCoroutine(this._coro)}>`);
    if (this._futWaiter !== null) info.splice(3, 0, `wait_for=${String(this._futWaiter)}`);
    return info;
  }

  /** @internal One step: the handle callback. `exc` is NO_EXC or the exception to throw in. */
  _step(exc: unknown): void {
    if (this._state !== PENDING) {
      throw new InvalidStateError(`_step(): already done: ${String(this)}, ${describeValue(exc)}`);
    }
    const waiter = this._futWaiter;
    if (this._mustCancel) {
      this._mustCancel = false;
      // As CPython's __wakeup + __step: the outcome of the future the task was
      // suspended on is read first; a CancelledError from it is delivered as
      // is (the first cancel's message wins), anything else is replaced.
      if (!(exc instanceof CancelledError) && !(exc === NO_EXC && waiter !== null && waiter.done() && waiter.cancelled())) {
        if (exc === NO_EXC && waiter !== null && waiter.done()) waiter.exception(); // retrieved, as result() would
        exc = this._makeCancelledError();
      }
    }
    this._futWaiter = null;
    const previous = S.current;
    const previousIter = S.iterFuture;
    S.current = this;
    // A generator suspended in `yield* waiter` resumes in the shared future iterator, which reads this.
    S.iterFuture = waiter;
    try {
      if (this._isAsync) this._startAsync(exc);
      else this._stepGenerator(exc);
    } finally {
      S.current = previous;
      S.iterFuture = previousIter;
    }
  }

  /** @internal The task is its own ready-queue entry for a plain step (no handle). */
  _run(): void {
    this._step(NO_EXC);
  }

  /** @internal A first step may call an async function, which queues microtasks. */
  get _drain(): boolean {
    return this._isAsync;
  }

  /** @internal Woken by the future a generator task was suspended on. */
  _wakeup(_future: Future<unknown>): void {
    // The shared future iterator re-reads the future's outcome, so no value is passed.
    this._step(NO_EXC);
  }

  private _startAsync(exc: unknown): void {
    if (exc !== NO_EXC) {
      // Cancelled before its first step: the function never runs.
      this._finishWithError(exc);
      return;
    }
    const storage = S.storage;
    if (storage !== null) storage.run(this, runAsyncBody, this as Task<unknown>);
    else {
      // No async context to follow the function: its first await calls then()
      // in the microtask drain after this step, which is this task's.
      S.drainTask = this;
      this._runAsyncBody();
    }
  }

  /**
   * Calls the async function and follows what it returns, all inside the task's
   * context, so a thenable's own `then()` also runs on behalf of the task.
   */
  /** @internal */
  _runAsyncBody(): void {
    let returned: unknown;
    try {
      returned = (this._coro as () => unknown)();
    } catch (error) {
      this._finishWithError(error);
      return;
    }
    if (isGeneratorObject(returned)) {
      // A generator function passed uncalled: step it as a generator coroutine.
      this._coro = returned as GeneratorCoroutine<T>;
      this._isAsync = false;
      this._stepGenerator(NO_EXC);
      return;
    }
    this._loop._markDrain();
    if (S.storage !== null && typeof returned === "object" && returned !== null && Object.getPrototypeOf(returned) === Promise.prototype) {
      // The reaction runs in the context this then() is called in (this task's):
      // no pair of closures per task.
      (returned as Promise<T>).then(finishStoredWithValue, finishStoredWithError);
    } else if (isThenable(returned)) {
      returned.then(
        (value) => this._finishWithValue(value as T),
        (error: unknown) => this._finishWithError(error),
      );
    } else {
      this._finishWithValue(returned as T);
    }
  }

  private _stepGenerator(exc: unknown): void {
    const gen = this._coro as GeneratorCoroutine<T>;
    let step: IteratorResult<unknown, T>;
    try {
      step = exc === NO_EXC ? gen.next() : gen.throw(exc);
    } catch (error) {
      this._finishWithError(error);
      return;
    }
    if (step.done) this._finishWithValue(step.value);
    else this._suspendOn(step.value);
  }

  private _suspendOn(yielded: unknown): void {
    if (isSuspend(yielded)) {
      const future = S.yielded as FutureLike<unknown>;
      S.yielded = null;
      if (future.getLoop() !== this._loop) {
        this._rescheduleWith(new RuntimeError(`Task ${String(this)} got Future ${String(future)} attached to a different loop`));
      } else if (future === this) {
        this._rescheduleWith(new RuntimeError(`Task cannot await on itself: ${String(this)}`));
      } else {
        // _onDone, not _addEntry: a subclass overriding addDoneCallback must see the registration.
        if (future instanceof Future) future._onDone(this);
        else (future as FutureLike<unknown>).addDoneCallback((f) => this._wakeup(f as Future<unknown>));
        this._futWaiter = future;
        if (this._mustCancel && future.cancel(this._cancelMessage)) this._mustCancel = false;
      }
    } else if (yielded === undefined || yielded === null) {
      // A bare `yield` gives up the loop for exactly one iteration.
      this._loop._pushReady(this);
    } else if (yielded instanceof Future) {
      this._rescheduleWith(new RuntimeError(`yield was used instead of yield* in task ${String(this)} with ${String(yielded)}: write "yield* future"`));
    } else if (isGeneratorObject(yielded)) {
      this._rescheduleWith(new RuntimeError(`yield was used instead of yield* for a generator in task ${String(this)}: write "yield* coroutine"`));
    } else {
      this._rescheduleWith(new RuntimeError(`Task got bad yield: ${describeValue(yielded)}`));
    }
  }

  private _rescheduleWith(error: Error): void {
    this._loop._callSoonInternal(this._step, this, error, false);
  }

  /** @internal */
  _finishWithValue(value: T): void {
    if (this._state !== PENDING) return;
    unregisterTask(this);
    if (this._mustCancel) {
      // Cancelled right before the coroutine returned: the task ends cancelled.
      this._mustCancel = false;
      super.cancel(this._cancelMessage);
    } else {
      super._finish(value);
    }
  }

  /** @internal */
  _finishWithError(error: unknown): void {
    if (this._state !== PENDING) return;
    unregisterTask(this);
    if (error instanceof CancelledError) {
      super.cancel();
      this._result = error; // the first retrieval gets this very error
    } else {
      super._fail(error);
    }
  }
}

// As a ready-queue entry (see `_run`): never cancelled or pooled like a handle.
Object.defineProperties(Task.prototype, {
  _drainOnWake: { value: false },
  _wakesItself: { value: true },
  _wakeupName: { value: "Task.task_wakeup" },
  _cancelled: { value: false },
  _pooled: { value: false },
  _sourceTraceback: { value: undefined },
});

/** An async coroutine's outcome, delivered in its task's context (see `_runAsyncBody`). */
function finishStoredWithValue(value: unknown): void {
  (S.storage!.getStore() as Task<unknown>)._finishWithValue(value);
}

function finishStoredWithError(error: unknown): void {
  (S.storage!.getStore() as Task<unknown>)._finishWithError(error);
}

/** `storage.run`'s callback without a closure per task. */
function runAsyncBody(task: Task<unknown>): void {
  task._runAsyncBody();
}

