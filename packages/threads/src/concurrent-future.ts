import { RuntimeError } from "@asyncio-ts/loop";
import { brand, describeValue } from "@asyncio-ts/loop/lowlevel";
import { CancelledError, InvalidStateError } from "@asyncio-ts/tasks";
import { TimeoutError } from "@asyncio-ts/combinators";

// Invariant: #state only moves PENDING -> RUNNING -> (FINISHED | FAILED), or
// from PENDING or RUNNING to CANCELLED, once; callbacks run once, at that move.
const PENDING = 0;
const RUNNING = 1;
const CANCELLED = 2;
const FINISHED = 3;
const FAILED = 4;

/**
 * How a future's thread can wait for it synchronously. `wait(deadline)`
 * makes what progress it can (reading messages that settle futures) and
 * returns when the future may be done or `deadline` (ms, performance.now())
 * has passed. Absent when only this thread could complete the future.
 */
export interface Blocker {
  wait(deadline: number): void;
}

/** What the completing side hooks into a future (internal). */
export interface FutureHooks {
  blocker?: Blocker | null;
  /** Called by cancel() while the future is not done; return false to refuse. */
  onCancel?: () => boolean;
  /** Why blocking is impossible, for the RuntimeError message. */
  cannotBlock?: string;
  /** Whether the work has started, for a pending future (a pool call sent ahead to a worker has not). */
  isRunning?: () => boolean;
}

let setHooks: (future: ConcurrentFuture<unknown>, hooks: FutureHooks) => void;

/** @internal Lets the side that completes a future say how to wait for it and how to cancel it. */
export function attachHooks(future: ConcurrentFuture<unknown>, hooks: FutureHooks): void {
  setHooks(future, hooks);
}

/**
 * A result that another thread will produce (Python's
 * `concurrent.futures.Future`), returned by `ThreadPoolExecutor.submit()` and
 * `runCoroutineThreadsafe()`. It lives in one thread; the thread that
 * completes it does so through messages and shared memory.
 *
 * - `result(timeout)` *blocks* the calling thread until the outcome arrives
 *   (`Atomics.wait` on shared memory), or throws `TimeoutError`. Blocking is
 *   refused with `RuntimeError` when only this thread could complete the
 *   future (a coroutine submitted to a loop running on this very thread): that
 *   would be a deadlock.
 * - It is also a `PromiseLike`: `await future` waits without blocking; inside
 *   asyncio-ts code, `wrapFuture(future)` gives a cancellable asyncio `Future`.
 *
 * Cancellation: `cancel()` returns false once the future is done. A call still
 * queued in a pool is removed and never runs; a running call is signalled
 * (see `ThreadPoolExecutor`) and the future is cancelled at once; a coroutine
 * submitted with `runCoroutineThreadsafe` has its task cancelled in its loop.
 *
 * ```ts
 * const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
 * const future = pool.submit((a: number, b: number) => a + b, 2, 3);
 * console.log(await future); // 5
 * await pool.shutdown();
 * ```
 */
export class ConcurrentFuture<T = unknown> implements PromiseLike<T> {
  static {
    brand(this, "ConcurrentFuture");
    setHooks = (future, hooks) => {
      future.#hooks = hooks;
    };
  }
  #state = PENDING;
  #value: unknown = undefined;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- callbacks of this future, made on first use
  #callbacks: ((future: any) => void)[] | null = null;
  #hooks: FutureHooks | undefined = undefined;

  /** True if the future was cancelled. */
  cancelled(): boolean {
    return this.#state === CANCELLED;
  }

  /** True while the work is running: started, not done (a pool call sent ahead to a worker has not started). */
  running(): boolean {
    return this.#state === RUNNING || (this.#state === PENDING && this.#hooks?.isRunning?.() === true);
  }

  /** True once the future has a result, an exception, or was cancelled. */
  done(): boolean {
    return this.#state >= CANCELLED;
  }

  /**
   * Cancels the future; false if it is already done. What happens to the work
   * depends on who runs it: see the class comment.
   */
  cancel(): boolean {
    if (this.#state >= CANCELLED) return false;
    const hooks = this.#hooks;
    if (hooks?.onCancel !== undefined && !hooks.onCancel()) return false;
    if (this.#state >= CANCELLED) return this.#state === CANCELLED;
    this.#settle(CANCELLED, undefined);
    return true;
  }

  /**
   * The result, waiting for it up to `timeout` seconds (`null` or omitted: no
   * limit) by blocking this thread. Throws the work's exception,
   * `CancelledError` if cancelled, `TimeoutError` when time runs out, and
   * `RuntimeError` when blocking here could never end (only this thread could
   * complete the future).
   */
  result(timeout: number | null = null): T {
    this.#waitDone(timeout, "result");
    if (this.#state === FINISHED) return this.#value as T;
    if (this.#state === CANCELLED) throw new CancelledError();
    throw this.#value;
  }

  /** The exception (undefined if the work succeeded), waiting as `result()` does. */
  exception(timeout: number | null = null): unknown {
    this.#waitDone(timeout, "exception");
    if (this.#state === CANCELLED) throw new CancelledError();
    return this.#state === FAILED ? this.#value : undefined;
  }

  /**
   * Calls `callback(future)` when the future is done, in this thread; at once
   * if it already is. Errors thrown by the callback are logged.
   */
  addDoneCallback(callback: (future: this) => void): void {
    if (typeof callback !== "function") throw new TypeError(`addDoneCallback() needs a function, got ${describeValue(callback)}`);
    if (this.#state >= CANCELLED) runCallback(callback, this);
    else (this.#callbacks ??= []).push(callback);
  }

  /**
   * For executors: marks the future running and returns true, or returns false
   * if it was cancelled (Python's `set_running_or_notify_cancel`).
   */
  setRunningOrNotifyCancel(): boolean {
    if (this.#state === CANCELLED) return false;
    if (this.#state !== PENDING) throw new InvalidStateError(`setRunningOrNotifyCancel() on a future that is ${this.#stateName()}`);
    this.#state = RUNNING;
    return true;
  }

  setResult(value: T): void {
    if (this.#state >= CANCELLED) throw new InvalidStateError(`setResult() on a future that is already ${this.#stateName()}`);
    this.#settle(FINISHED, value);
  }

  setException(exception: unknown): void {
    if (this.#state >= CANCELLED) throw new InvalidStateError(`setException() on a future that is already ${this.#stateName()}`);
    this.#settle(FAILED, exception);
  }

  /** `await future`: waits without blocking; rejects with `CancelledError` if cancelled. */
  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    const promise = new Promise<T>((resolve, reject) => {
      this.addDoneCallback((f) => {
        if (f.#state === FINISHED) resolve(f.#value as T);
        else reject(f.#state === CANCELLED ? new CancelledError() : f.#value);
      });
    });
    return onfulfilled == null && onrejected == null ? (promise as Promise<R1 | R2>) : promise.then(onfulfilled, onrejected);
  }

  toString(): string {
    return `<ConcurrentFuture state=${this.#stateName()}>`;
  }

  /** @internal Settles from the completing side; ignored when already done (a cancel won the race). */
  _settle(ok: boolean, value: unknown): boolean {
    if (this.#state >= CANCELLED) return false;
    this.#settle(ok ? FINISHED : FAILED, value);
    return true;
  }

  /** @internal */
  _markRunning(): void {
    if (this.#state === PENDING) this.#state = RUNNING;
  }

  #settle(state: number, value: unknown): void {
    this.#state = state;
    this.#value = value;
    const callbacks = this.#callbacks;
    this.#callbacks = null;
    if (callbacks !== null) for (const callback of callbacks) runCallback(callback, this);
  }

  #waitDone(timeout: number | null, what: string): void {
    if (this.#state >= CANCELLED) return;
    if (timeout !== null && timeout !== undefined) {
      if (typeof timeout !== "number" || Number.isNaN(timeout)) throw new TypeError(`${what}() timeout must be a number of seconds or null, got ${describeValue(timeout)}`);
    }
    const hooks = this.#hooks;
    const blocker = hooks?.blocker ?? null;
    if (timeout !== null && timeout !== undefined && timeout <= 0) {
      blocker?.wait(0);
      if (this.#state >= CANCELLED) return;
      throw new TimeoutError(`${what}() timed out: the future is not done`);
    }
    if (blocker === null) {
      throw new RuntimeError(
        hooks?.cannotBlock ??
          `${what}() would block forever: nothing but this thread can complete this future. Await it (or wrapFuture(future)) instead of blocking.`,
      );
    }
    const deadline = timeout === null || timeout === undefined ? Infinity : performance.now() + timeout * 1000;
    while (this.#state < CANCELLED) {
      if (performance.now() >= deadline) throw new TimeoutError(`${what}() timed out after ${timeout} second(s)`);
      blocker.wait(deadline);
    }
  }

  #stateName(): string {
    return this.running() ? "running" : ["pending", "running", "cancelled", "finished", "finished"][this.#state];
  }
}

function runCallback<F>(callback: (future: F) => void, future: F): void {
  try {
    callback(future);
  } catch (error) {
    console.error(`exception calling callback for ${String(future)}`, error);
  }
}
