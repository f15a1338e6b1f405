import { brand } from "./brand.js";
import { MonotonicClock, type Clock } from "./clocks.js";
import { globalState } from "./global-state.js";
import { Handle, TimerHandle, formatCallbackSource, formatHandle } from "./handle.js";
import { afterMicrotasksOf, MAX_HOST_DELAY_MS, scheduleMacrotask, type MacrotaskHandle } from "./host.js";
import type {
  Awaitable,
  Coroutine,
  ExceptionContext,
  ExceptionHandler,
  Executor,
  FutureFactory,
  FutureLike,
  TaskFactory,
  TaskOptions,
} from "./interfaces.js";
import { RuntimeError } from "./runtime-error.js";
import { TimerHeap } from "./timer-heap.js";
import { runCloseHooks } from "./close-hooks.js";
import type { Runnable, TimerEntry } from "./runnable.js";
import { checkOptionNames } from "./options.js";
import { describeValue, reprFull } from "./describe.js";

type AnyFunction = (...args: never[]) => unknown;

export interface EventLoopOptions {
  /** The loop's time source; `new VirtualClock()` for deterministic tests. */
  clock?: Clock;
  /** Debug mode (CONTRACT §5); defaults to `ASYNCIO_TS_DEBUG=1` in the environment. */
  debug?: boolean;
}

const realClock = new MonotonicClock();
const G = globalState();
const EMPTY: Runnable[] = [];
/** What a batch slot holds once its entry has run. */
const DONE: Runnable = { _cancelled: true, _drain: false, _pooled: false, _sourceTraceback: undefined, _run() {} };
/** How many run internal handles are kept for reuse. */
const MAX_FREE_HANDLES = 1024;
/** Rebuild the heap once more than half of it (and at least this many) are cancelled. */
const MIN_CANCELLED_TIMERS_TO_CLEAN = 100;

/**
 * The event loop: a FIFO ready queue and a timer heap, driven by the host's own
 * loop with at most one host callback armed at a time.
 *
 * One iteration (CPython's `_run_once`) moves the expired timers to the ready
 * queue in deadline order, then runs exactly the callbacks that were ready when
 * it began; callbacks they schedule run in the next iteration. After a callback
 * that may have queued microtasks (a user callback, an async coroutine's step),
 * the loop lets the microtask queue drain before the next callback, so an async
 * coroutine resumed by a callback reaches its next suspension within that step.
 *
 * Idle costs nothing: with nothing ready the loop arms one host timer for the
 * earliest deadline (re-armed if the host wakes early, so a timer never fires
 * before its deadline by `time()`), and with no timers it arms nothing and does
 * not keep the process alive.
 */
export class EventLoop {
  static {
    brand(this, "EventLoop");
  }

  /** Steps longer than this many seconds are reported in debug mode. */
  slowCallbackDuration = 0.1;

  readonly #clock: Clock;
  #debug: boolean;
  // Invariant: #ready holds what the *next* iteration runs; #batch[#pos..] is
  // the rest of the current one. Both arrays are reused to avoid allocation.
  #ready: Runnable[] = [];
  #batch: Runnable[] = EMPTY;
  #spare: Runnable[] = [];
  #pos = 0;
  /** The handle whose microtasks are draining (its debug timing and recycling wait for the drain). */
  #draining: Runnable | null = null;
  readonly #freeHandles: Handle[] = [];
  readonly #timers = new TimerHeap();
  #cancelledTimers = 0;
  #timerSeq = 0;

  #running = false;
  #closed = false;
  #stopping = false;
  /** True from the start of an iteration to its end, across microtask drains. */
  #inIteration = false;
  /** Set while a callback runs if it may have queued microtasks. */
  #needDrain = false;
  #onStopped: (() => void) | null = null;

  #immediate: MacrotaskHandle | null = null;
  #hostTimer: ReturnType<typeof setTimeout> | null = null;
  #hostTimerAt = Infinity;

  #exceptionHandler: ExceptionHandler | null = null;
  #taskFactory: TaskFactory | null = null;
  #defaultExecutor: Executor | null = null;
  #executorShutdownCalled = false;
  /** Debug mode: the handle running (asyncio's `_current_handle`), timed from when it started (real seconds). */
  #slowHandle: Runnable | null = null;
  #slowStart = 0;

  constructor(options: EventLoopOptions = {}) {
    if (options === null || typeof options !== "object") {
      throw new TypeError(`EventLoop options must be an object, got ${describeValue(options)}`);
    }
    checkOptionNames(options, ["clock", "debug"], "EventLoop");
    this.#clock = options.clock ?? realClock;
    if (typeof this.#clock.now !== "function") throw new TypeError("EventLoop clock must have a now() method returning seconds");
    // As setDebug(): a boolean, whatever was passed.
    this.#debug = options.debug === undefined ? debugFromEnvironment() : Boolean(options.debug);
  }

  // ---- time and scheduling -------------------------------------------------

  /** The loop's monotonic time, in seconds. */
  time(): number {
    return this.#clock.now();
  }

  /** Schedules `callback(...args)` for the next iteration, in FIFO order. */
  callSoon<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): Handle {
    this.#checkClosed();
    if (this.#debug) checkNotCoroutine(callback, "callSoon");
    checkCallable(callback, "callSoon");
    const handle = new Handle(callback as AnyFunction, args, this);
    if (this.#debug) handle._sourceTraceback = captureStack();
    this.#pushReady(handle);
    return handle;
  }

  /**
   * As `callSoon`; the name asyncio uses for callbacks that arrive from outside
   * the loop's own callbacks (another thread's message, a foreign I/O callback).
   * Wakes an idle loop.
   */
  callSoonThreadsafe<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): Handle {
    if (this.#debug && !this.#closed) checkNotCoroutine(callback, "callSoonThreadsafe");
    const handle = this.callSoon(callback, ...args);
    if (handle._sourceTraceback !== undefined) handle._sourceTraceback = dropInnermostFrame(handle._sourceTraceback);
    return handle;
  }

  /** Schedules `callback(...args)` to run `delay` seconds from now. A negative delay is zero. */
  callLater<A extends unknown[]>(delay: number, callback: (...args: A) => unknown, ...args: A): TimerHandle {
    checkSeconds(delay, "callLater", "delay");
    if (this.#debug && !this.#closed) checkNotCoroutine(callback, "callLater");
    const timer = this.callAt(this.time() + delay, callback, ...args);
    if (timer._sourceTraceback !== undefined) timer._sourceTraceback = dropInnermostFrame(timer._sourceTraceback);
    return timer;
  }

  /** Schedules `callback(...args)` at the absolute time `when` (in `time()` seconds). */
  callAt<A extends unknown[]>(when: number, callback: (...args: A) => unknown, ...args: A): TimerHandle {
    this.#checkClosed();
    checkSeconds(when, "callAt", "when");
    if (this.#debug) checkNotCoroutine(callback, "callAt");
    checkCallable(callback, "callAt");
    const timer = new TimerHandle(when, this.#timerSeq++, callback as AnyFunction, args, this);
    if (this.#debug) timer._sourceTraceback = captureStack();
    this.#pushTimer(timer);
    return timer;
  }

  /**
   * @internal Schedules `fn.call(thisArg, arg)` with no argument array. Used by
   * futures and tasks; `drain` says whether the callback can queue microtasks.
   */
  _callSoonInternal(fn: AnyFunction, thisArg: unknown, arg: unknown, drain: boolean): void {
    let handle = this.#freeHandles.pop();
    if (handle === undefined) {
      handle = new Handle(fn, undefined, this, thisArg, arg, drain);
      handle._pooled = true;
    } else {
      handle._callback = fn;
      handle._thisArg = thisArg;
      handle._arg = arg;
      handle._drain = drain;
    }
    if (this.#debug) handle._sourceTraceback = captureStack();
    this.#pushReady(handle);
  }

  /**
   * @internal Queues an object that is its own ready-queue entry (a task's
   * step, a zero sleep's wake-up): no handle at all. It must not be queued
   * again before it has run.
   */
  _pushReady(runnable: Runnable): void {
    this.#pushReady(runnable);
  }

  /** Internal handles are reused: a task's step handle becomes its sleep's wake-up. */
  #recycle(runnable: Runnable): void {
    // Only `_callSoonInternal` handles are `_pooled`.
    const handle = runnable as Handle;
    if (this.#freeHandles.length < MAX_FREE_HANDLES) {
      handle._callback = null;
      handle._thisArg = undefined;
      handle._arg = undefined;
      handle._sourceTraceback = undefined;
      this.#freeHandles.push(handle);
    }
  }

  /** @internal The running callback queued microtasks: drain them before the next one. */
  _markDrain(): void {
    this.#needDrain = true;
  }

  /**
   * @internal Puts a timer entry (a `TimerHandle`, or a future that is its own
   * timer) in the heap. `entry._when` must be set; the loop sets the rest.
   */
  _scheduleTimer(entry: TimerEntry): void {
    entry._seq = this.#timerSeq++;
    this.#pushTimer(entry);
  }

  /** @internal Called once a scheduled timer entry is marked `_cancelled`. */
  _timerHandleCancelled(timer: TimerEntry): void {
    if (!timer._scheduled) return;
    this.#cancelledTimers++;
    const heap = this.#timers;
    if (this.#cancelledTimers > MIN_CANCELLED_TIMERS_TO_CLEAN && this.#cancelledTimers * 2 > heap.size) {
      heap.filter((t) => {
        if (t._cancelled) t._scheduled = false;
        return !t._cancelled;
      });
      this.#cancelledTimers = 0;
    }
    // The armed host timer may now be for nothing: let the loop re-arm (or let go).
    if (this.#running && !this.#inIteration) this.#scheduleHost();
  }

  /**
   * One cancelled timer left the heap. The count only decides when to clean
   * the heap, and a cancel of a timer already moved to the ready queue is
   * counted too, so it is kept from going below zero rather than exact.
   */
  #uncountCancelled(): void {
    if (this.#cancelledTimers > 0) this.#cancelledTimers--;
  }

  #pushReady(handle: Runnable): void {
    this.#ready.push(handle);
    if (this.#immediate === null && this.#running && !this.#inIteration) {
      this.#immediate = scheduleMacrotask(this.#onImmediate);
    }
  }

  #pushTimer(timer: TimerEntry): void {
    timer._scheduled = true;
    this.#timers.push(timer);
    if (this.#running && !this.#inIteration) this.#scheduleHost();
  }

  // ---- futures and tasks ---------------------------------------------------

  /** A new pending future attached to this loop. Needs `@asyncio-ts/tasks`. */
  createFuture<T>(): FutureLike<T> {
    return futureFactory().createFuture<T>(this);
  }

  /** Wraps a coroutine in a task scheduled on this loop (through the task factory, if set). */
  createTask<T>(coro: Coroutine<T>, options?: TaskOptions): FutureLike<T> {
    this.#checkClosed();
    if (options !== undefined && options !== null && typeof options !== "object") {
      // A name passed where the options go would be silently dropped.
      throw new TypeError(`createTask() takes an options object ({ name }) after the coroutine, got ${describeValue(options)}`);
    }
    if (this.#taskFactory !== null) {
      const task = this.#taskFactory(this, coro as Coroutine<unknown>, options) as FutureLike<T> & { setName?: (name: string) => void };
      // As CPython, the name is applied after the factory, which may have ignored it.
      if (options?.name !== undefined && options.name !== null && typeof task.setName === "function") task.setName(options.name);
      return task;
    }
    return futureFactory().createTask(this, coro, options);
  }

  /** Sets the factory `createTask` uses: `(loop, coro, options) => task`, or `null` for the default. */
  setTaskFactory(factory: TaskFactory | null): void {
    if (factory !== null && typeof factory !== "function") {
      throw new TypeError(`setTaskFactory() takes a function (loop, coro, options) => Task or null, got ${describeValue(factory)}`);
    }
    this.#taskFactory = factory;
  }

  getTaskFactory(): TaskFactory | null {
    return this.#taskFactory;
  }

  // ---- running and stopping ------------------------------------------------

  /**
   * Runs the loop until `stop()` is called; the promise resolves after the
   * iteration in which it was. Throws `RuntimeError` if this or another loop is
   * already running, or this one is closed.
   */
  runForever(): Promise<void> {
    this.#checkClosed();
    this.#checkNotRunning();
    this.#running = true;
    G.runningLoop = this;
    return new Promise<void>((resolve) => {
      this.#onStopped = resolve;
      this.#scheduleHost();
    });
  }

  /**
   * Runs the loop until `awaitable` is done and returns its result (or throws
   * its exception). A coroutine is wrapped in a task first.
   */
  runUntilComplete<T>(awaitable: Awaitable<T>): Promise<T> {
    this.#checkClosed();
    this.#checkNotRunning();
    let future: FutureLike<T>;
    try {
      future = futureFactory().ensureFuture(awaitable, this);
    } catch (error) {
      // ensureFuture's own message would name a function the user never called.
      if (!(error instanceof TypeError) || !error.message.startsWith("ensureFuture()")) throw error;
      throw new TypeError(`runUntilComplete() needs an awaitable (a future, a coroutine or a promise), got ${describeValue(awaitable)}`, { cause: error });
    }
    const onDone = (): void => this.stop();
    future.addDoneCallback(onDone);
    return this.runForever().then(() => {
      future.removeDoneCallback(onDone);
      if (!future.done()) throw new RuntimeError("Event loop stopped before Future completed.");
      return future.result();
    });
  }

  /** Stops the loop after the current iteration (or the next one, if none is running). */
  stop(): void {
    this.#stopping = true;
    if (this.#running && !this.#inIteration && this.#immediate === null) {
      this.#immediate = scheduleMacrotask(this.#onImmediate);
    }
  }

  isRunning(): boolean {
    return this.#running;
  }

  isClosed(): boolean {
    return this.#closed;
  }

  /**
   * Closes the loop: pending callbacks and timers are dropped and the default
   * executor is shut down without waiting. Idempotent; a running loop cannot be
   * closed.
   */
  close(): void {
    if (this.#running) throw new RuntimeError("Cannot close a running event loop");
    if (this.#closed) return;
    this.#closed = true;
    runCloseHooks(this);
    this.#ready.length = 0;
    for (const t of this.#timers.clear()) t._scheduled = false;
    this.#cancelledTimers = 0;
    this.#clearHostCallbacks();
    this.#executorShutdownCalled = true;
    const executor = this.#defaultExecutor;
    this.#defaultExecutor = null;
    if (executor === null) return;
    // A synchronous throw propagates, as from CPython's close(); a promise that
    // rejects later goes to the exception handler, not to the process as an
    // unhandled rejection.
    const shutdown = executor.shutdown({ wait: false });
    if (shutdown != null && typeof shutdown.then === "function") {
      shutdown.then(undefined, (error: unknown) => {
        this.callExceptionHandler({ message: "Error shutting down the default executor in close()", exception: error });
      });
    }
  }

  // ---- debug and errors ----------------------------------------------------

  getDebug(): boolean {
    return this.#debug;
  }

  setDebug(enabled: boolean): void {
    this.#debug = Boolean(enabled);
  }

  /** Sets the handler `(loop, context) => void` for errors no one else can take; `null` restores the default. */
  setExceptionHandler(handler: ExceptionHandler | null): void {
    if (handler !== null && typeof handler !== "function") {
      throw new TypeError(`A callable object or null is expected, got ${describeValue(handler)}`);
    }
    this.#exceptionHandler = handler;
  }

  getExceptionHandler(): ExceptionHandler | null {
    return this.#exceptionHandler;
  }

  /** Passes `context` to the exception handler; errors in the handler itself are logged, never thrown. */
  callExceptionHandler(context: ExceptionContext): void {
    if (context === null || typeof context !== "object") {
      throw new TypeError(`callExceptionHandler() takes a context object ({ message, exception, ... }), got ${describeValue(context)}`);
    }
    const handler = this.#exceptionHandler;
    if (handler === null) {
      try {
        this.defaultExceptionHandler(context);
      } catch (error) {
        console.error("Exception in default exception handler", error);
      }
      return;
    }
    try {
      handler(this, context);
    } catch (error) {
      try {
        this.defaultExceptionHandler({ message: "Unhandled error in exception handler", exception: error, context });
      } catch (inner) {
        console.error("Exception in default exception handler while handling an unexpected error in custom exception handler", inner);
      }
    }
  }

  /**
   * asyncio's default handler: logs the message, the other context keys (as
   * Python's `repr()` shows them) and the exception's stack to stderr. In debug
   * mode, a report made while a callback runs also says where that callback was
   * scheduled (`handle_traceback`, added to the context as asyncio does).
   */
  defaultExceptionHandler(context: ExceptionContext): void {
    const lines = [context.message || "Unhandled exception in event loop"];
    if (context.level === "warning") {
      console.warn(lines[0]);
      return;
    }
    const current = this.#slowHandle;
    if (!("source_traceback" in context) && current !== null && current._sourceTraceback) {
      context.handle_traceback = current._sourceTraceback;
    }
    for (const key of Object.keys(context).sort()) {
      if (key === "message" || key === "exception" || key === "level") continue;
      const value = context[key];
      if (key === "source_traceback") lines.push(`${key}: Object created at ${formatTraceback(value)}`);
      else if (key === "handle_traceback") lines.push(`${key}: Handle created at ${formatTraceback(value)}`);
      else lines.push(`${key}: ${reprFull(value)}`);
    }
    if (context.exception !== undefined) lines.push(formatException(context.exception));
    console.error(lines.join("\n"));
  }

  // ---- executors -------------------------------------------------------------

  /**
   * Runs `fn(...args)` in `executor` (or the default one, made on first use by
   * `@asyncio-ts/threads`) and returns a future for its result. Cancelling the
   * future cancels the executor's work where the executor supports it.
   */
  runInExecutor<T>(executor: Executor | null, fn: (...args: never[]) => T | PromiseLike<T>, ...args: unknown[]): FutureLike<Awaited<T>> {
    this.#checkClosed();
    checkCallable(fn, "runInExecutor");
    let pool = executor;
    if (pool !== null && pool !== undefined && (typeof pool !== "object" || typeof pool.submit !== "function")) {
      throw new TypeError(`runInExecutor() needs an Executor (with submit()) or null for the default one, got ${describeValue(pool)}`);
    }
    if (pool === null || pool === undefined) {
      if (this.#executorShutdownCalled) throw new RuntimeError("Executor shutdown has been called");
      pool = this.#defaultExecutor;
      if (pool === null) {
        const make = G.defaultExecutorFactory;
        if (make === null) {
          throw new RuntimeError(
            "runInExecutor(null, ...) needs a default executor: import '@asyncio-ts/threads' or call loop.setDefaultExecutor()",
          );
        }
        pool = this.#defaultExecutor = make();
      }
    }
    if (typeof pool.submitOnLoop === "function") return pool.submitOnLoop(this, fn as AnyFunction, ...args) as FutureLike<Awaited<T>>;
    const submitted = pool.submit(fn as AnyFunction, ...args) as PromiseLike<T> & { cancel?: () => unknown };
    const future = futureFactory().ensureFuture(submitted as PromiseLike<Awaited<T>>, this);
    if (typeof submitted.cancel === "function") {
      future.addDoneCallback((f) => {
        if (f.cancelled()) submitted.cancel!();
      });
    }
    return future;
  }

  /** Makes `executor` the one `runInExecutor(null, ...)` uses. */
  setDefaultExecutor(executor: Executor): void {
    if (executor === null || typeof executor !== "object" || typeof executor.submit !== "function" || typeof executor.shutdown !== "function") {
      throw new TypeError(`setDefaultExecutor() needs an Executor (with submit() and shutdown()), got ${describeValue(executor)}`);
    }
    this.#defaultExecutor = executor;
  }

  /** Shuts the default executor down and waits for its running work; later `runInExecutor(null)` calls fail. */
  async shutdownDefaultExecutor(): Promise<void> {
    this.#executorShutdownCalled = true;
    const executor = this.#defaultExecutor;
    if (executor === null) return;
    this.#defaultExecutor = null;
    await executor.shutdown({ wait: true });
  }

  toString(): string {
    return `<EventLoop running=${this.#running} closed=${this.#closed} debug=${this.#debug}>`;
  }

  // ---- the iteration ---------------------------------------------------------

  readonly #onImmediate = (): void => {
    this.#immediate = null;
    if (this.#running) this.#enterIteration();
  };

  readonly #onHostTimer = (): void => {
    this.#hostTimer = null;
    this.#hostTimerAt = Infinity;
    if (this.#running && this.#immediate === null) this.#enterIteration();
  };

  /**
   * Runs an iteration outside any task's async context (the tasks package
   * installs `hostContext`), so plain callbacks never see the context of
   * whichever code happened to wake the loop.
   */
  #enterIteration(): void {
    const hostContext = G.slots.hostContext as ((fn: () => void) => void) | undefined;
    if (hostContext === undefined) this.#runOnce();
    else hostContext(this.#runOnceBound);
  }

  readonly #runOnceBound = (): void => this.#runOnce();

  #runOnce(): void {
    this.#inIteration = true;
    const timers = this.#timers;
    if (timers.size > 0) {
      const now = this.#clock.now();
      // Due entries move to the ready queue without being touched (the heap
      // keeps their deadlines): #runBatch marks them unscheduled, and skips
      // the cancelled ones, when it reaches them anyway.
      const ready = this.#ready;
      while (timers.peekWhen() <= now) ready.push(timers.pop()!);
    }
    this.#batch = this.#ready;
    this.#ready = this.#spare;
    this.#pos = 0;
    this.#runBatch();
  }

  /** Runs the current batch; returns early (to resume after a microtask drain) when needed. */
  #runBatch(): void {
    const batch = this.#batch;
    const debug = this.#debug;
    while (this.#pos < batch.length) {
      const handle = batch[this.#pos];
      // Let go of it now, as CPython's popleft does: a long batch would otherwise keep every ran entry alive.
      batch[this.#pos++] = DONE;
      if ((handle as Partial<TimerEntry>)._scheduled === true) {
        // A timer moved here by #runOnce: out of the heap now.
        (handle as TimerEntry)._scheduled = false;
        if (handle._cancelled) this.#uncountCancelled();
      }
      if (handle._cancelled) continue;
      this.#needDrain = handle._drain;
      if (debug) {
        this.#slowHandle = handle;
        this.#slowStart = realClock.now();
      }
      try {
        handle._run();
      } catch (error) {
        if (handle._pooled) handle._pooled = false; // the exception context hands it out
        this.callExceptionHandler({
          message: `Exception in callback ${formatCallbackSource(handle)}`,
          exception: error,
          handle,
          ...(handle._sourceTraceback ? { source_traceback: handle._sourceTraceback } : {}),
        });
      }
      if (this.#needDrain) {
        this.#needDrain = false;
        this.#draining = handle;
        this.#drainThenResume();
        return;
      }
      if (debug) this.#reportIfSlow();
      if (handle._pooled) this.#recycle(handle);
    }
    batch.length = 0;
    this.#spare = batch;
    this.#batch = EMPTY;
    this.#inIteration = false;
    if (this.#stopping) this.#finishRun();
    else this.#scheduleHost();
  }

  /** Resumes the batch once the microtasks queued by its last callback have run. */
  readonly #drainThenResume = afterMicrotasksOf((): void => this.#resumeBatch());

  readonly #resumeBatch = (): void => {
    if (this.#debug) this.#reportIfSlow();
    const handle = this.#draining;
    this.#draining = null;
    // Tasks without AsyncLocalStorage note whose microtasks these were: forget it now.
    const drained = G.slots.afterDrain as (() => void) | undefined;
    if (drained !== undefined) drained();
    if (handle !== null && handle._pooled) this.#recycle(handle);
    this.#runBatch();
  };

  #reportIfSlow(): void {
    const handle = this.#slowHandle;
    this.#slowHandle = null;
    if (handle === null) return;
    const elapsed = realClock.now() - this.#slowStart;
    if (elapsed >= this.slowCallbackDuration) {
      this.callExceptionHandler({
        message: `Executing ${formatHandle(handle)} took ${elapsed.toFixed(3)} seconds`,
        level: "warning",
        handle,
      });
    }
  }

  /** Arms the one host callback the loop needs next (running, between iterations). */
  #scheduleHost(): void {
    if (this.#ready.length > 0 || this.#stopping) {
      if (this.#immediate === null) this.#immediate = scheduleMacrotask(this.#onImmediate);
      return;
    }
    const timers = this.#timers;
    let next = timers.peek();
    while (next !== undefined && next._cancelled) {
      timers.pop();
      next._scheduled = false;
      this.#uncountCancelled();
      next = timers.peek();
    }
    if (next === undefined) {
      this.#clearHostTimer();
      return;
    }
    const when = next._when;
    if (this.#clock.virtual) {
      // An infinite deadline never comes (asyncio's loop waits on it forever):
      // time must not jump there, or every later deadline would be due at once.
      if (when === Infinity) return;
      // Nothing is ready: virtual time jumps straight to the next deadline.
      this.#clock.advanceTo!(when);
      if (this.#immediate === null) this.#immediate = scheduleMacrotask(this.#onImmediate);
      return;
    }
    if (this.#hostTimer !== null) {
      if (this.#hostTimerAt === when) return;
      clearTimeout(this.#hostTimer);
    }
    const delayMs = (when - this.#clock.now()) * 1000;
    if (delayMs <= 0) {
      this.#clearHostTimer();
      if (this.#immediate === null) this.#immediate = scheduleMacrotask(this.#onImmediate);
      return;
    }
    this.#hostTimerAt = when;
    // The host may wake early; #runOnce then finds nothing due and re-arms.
    this.#hostTimer = setTimeout(this.#onHostTimer, Math.min(MAX_HOST_DELAY_MS, Math.ceil(delayMs)));
  }

  #clearHostTimer(): void {
    if (this.#hostTimer !== null) {
      clearTimeout(this.#hostTimer);
      this.#hostTimer = null;
      this.#hostTimerAt = Infinity;
    }
  }

  #clearHostCallbacks(): void {
    this.#clearHostTimer();
    if (this.#immediate !== null) {
      this.#immediate.cancel();
      this.#immediate = null;
    }
  }

  #finishRun(): void {
    this.#stopping = false;
    this.#running = false;
    if (G.runningLoop === this) G.runningLoop = null;
    this.#clearHostCallbacks();
    const resolve = this.#onStopped;
    this.#onStopped = null;
    resolve?.();
  }

  #checkClosed(): void {
    if (this.#closed) throw new RuntimeError("Event loop is closed");
  }

  #checkNotRunning(): void {
    if (this.#running) throw new RuntimeError("This event loop is already running");
    if (G.runningLoop !== null) {
      throw new RuntimeError("Cannot run the event loop while another loop is running");
    }
  }
}

function futureFactory(): FutureFactory {
  const factory = G.futures;
  if (factory === null) {
    throw new RuntimeError("futures and tasks need '@asyncio-ts/tasks': import it (or 'asyncio-ts') before using them");
  }
  return factory;
}

function checkCallable(callback: unknown, where: string): void {
  if (typeof callback !== "function") {
    throw new TypeError(`a callable object was expected by ${where}(), got ${describeValue(callback)}`);
  }
}

// What a coroutine function is here (CONTRACT §1): calling one only makes a coroutine.
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor as unknown;
const GeneratorFunction = Object.getPrototypeOf(function* () {}).constructor as unknown;

/**
 * Debug mode only, as asyncio's `_check_callback`: a coroutine function (or a
 * coroutine) given as a callback would never run its body as a callback (an
 * async function's promise, or a generator, would be dropped), so say so.
 */
function checkNotCoroutine(callback: unknown, where: string): void {
  const isCoroutineFunction =
    typeof callback === "function" && (callback.constructor === AsyncFunction || callback.constructor === GeneratorFunction);
  const isGenerator =
    callback !== null &&
    typeof callback === "object" &&
    typeof (callback as Generator).next === "function" &&
    typeof (callback as Generator).throw === "function";
  if (isCoroutineFunction || isGenerator) throw new TypeError(`coroutines cannot be used with ${where}()`);
}

function checkSeconds(value: unknown, where: string, what: string): void {
  if (typeof value !== "number") {
    throw new TypeError(`${where}() ${what} must be a number of seconds, got ${describeValue(value)}`);
  }
  if (Number.isNaN(value)) throw new RangeError(`${where}() ${what} must be a number of seconds, got NaN`);
}

/** The stack of whoever called the loop method that calls this (innermost frame first). */
function captureStack(): string {
  return (new Error().stack ?? "").split("\n").slice(3).join("\n");
}

/**
 * As asyncio's `del handle._source_traceback[-1]` in `call_later` and
 * `call_soon_threadsafe`: their captured stack starts in the loop method they
 * delegate to; the source traceback starts at the user's call.
 */
function dropInnermostFrame(stack: string): string {
  const newline = stack.indexOf("\n");
  return newline === -1 ? "" : stack.slice(newline + 1);
}

/**
 * A captured stack as asyncio's default handler shows one: "(most recent call
 * last):" and the frames, outermost first (a JavaScript stack lists the
 * innermost first).
 */
function formatTraceback(stack: unknown): string {
  const frames = String(stack).split("\n").map((f) => f.trim()).filter(Boolean);
  return ["(most recent call last):", ...frames.reverse().map((f) => `  ${f}`)].join("\n");
}

function formatException(error: unknown): string {
  if (error instanceof Error || (error !== null && typeof error === "object" && "stack" in error)) {
    const stack = (error as Error).stack;
    if (typeof stack === "string" && stack.length > 0) return stack;
  }
  return describeValue(error);
}

function debugFromEnvironment(): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const value = env?.ASYNCIO_TS_DEBUG;
  return value !== undefined && value !== "" && value !== "0";
}
