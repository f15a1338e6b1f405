import type { Coroutine } from "@asyncio-ts/loop";
import { RuntimeError } from "@asyncio-ts/loop";
import { brand } from "@asyncio-ts/loop/lowlevel";
import { CancelledError, currentTask, Future, type Task } from "@asyncio-ts/tasks";
import { type Acquisition, AcquisitionImpl } from "./acquisition.js";
import { checkBody } from "./internal/coroutine-check.js";
import { Deque } from "./internal/deque.js";
import { type Body, InlineBody, Operation, resolved } from "./internal/inline.js";
import { LoopBound } from "./internal/loop-bound.js";

/** What `Lock.statistics()` reports. */
export interface LockStatistics {
  /** True while some task holds the lock. */
  locked: boolean;
  /** The task that acquired the lock (null when unlocked, or acquired outside a task). */
  holder: Task<unknown> | null;
  /** Acquirers queued, including one woken that has not resumed yet. */
  waiters: number;
}

/**
 * A mutual-exclusion lock for coroutines (asyncio's `Lock`). Not owned by a
 * task: any code may release it. Waiters are woken in FIFO order; a new
 * `acquire()` never jumps ahead of a woken waiter (no barging).
 *
 * Prefer the forms that cannot leak the lock: `lock.use(body)` or
 * `using _held = await lock.acquireDisposable()`.
 *
 * ```ts
 * const lock = new Lock();
 * await lock.use(async () => {
 *   counter = (await read()) + 1;   // no other task runs this section meanwhile
 * });
 * ```
 */
export class Lock extends LoopBound {
  static {
    brand(this, "Lock");
  }
  // Invariant: #locked only turns true in acquire(), from the fast path or in the
  // acquiring task when it resumes (CPython). Between release() and that resume
  // the lock is unlocked, but the woken waiter heads #waiters and is not
  // cancelled, so no newcomer can take it.
  #waiters: Deque<Future<true>> | null = null;
  #locked = false;
  #holder: Task<unknown> | null = null;

  /** True if the lock is held. */
  locked(): boolean {
    return this.#locked;
  }

  /**
   * Acquires the lock, waiting while it is held; resolves to `true`. Completes
   * at once (an already-done future, no loop turn) when the lock is free and
   * nobody is queued.
   *
   * Cancellation: cancelling the waiting task removes it from the queue. If it
   * had already been woken, the wake-up passes to the next waiter, so a
   * cancelled acquire never leaves the lock held.
   *
   * Errors: `RuntimeError` outside a running loop, or when the lock is bound to
   * another loop.
   */
  acquire(): Future<true> {
    if (!this.#locked && (this.#waiters === null || allCancelled(this.#waiters))) {
      const done = this._doneTrue(); // first: it throws outside a running loop
      this.#locked = true;
      this.#holder = currentTask();
      return done;
    }
    return new Operation(this._getLoop(), this.#acquireBody());
  }

  *#acquireBody(): Body<true> {
    const waiters = (this.#waiters ??= new Deque());
    const future = new Future<true>({ loop: this._getLoop() });
    waiters.push(future);
    try {
      try {
        yield future;
      } finally {
        waiters.remove(future);
      }
    } catch (error) {
      // If the lock is not claimed (or about to be) and someone waits, the first must run.
      if (error instanceof CancelledError && !this.#locked) this.#wakeUpFirst();
      throw error;
    }
    this.#locked = true;
    this.#holder = currentTask();
    return true;
  }

  /**
   * Releases the lock and wakes the first waiter, if any.
   *
   * Errors: `RuntimeError("Lock is not acquired.")` if the lock is not held.
   */
  release(): void {
    if (!this.#locked) throw new RuntimeError("Lock is not acquired.");
    this.#locked = false;
    this.#holder = null;
    this.#wakeUpFirst();
  }

  #wakeUpFirst(): void {
    const first = this.#waiters?.peekFirst();
    // A done first waiter is already set to wake up.
    if (first !== undefined && !first.done()) first.setResult(true);
  }

  /**
   * Runs `body` (an async function, uncalled, or a generator object) with the
   * lock held, in the calling task, and releases it however the body ends:
   * asyncio's `async with lock:`. Resolves to the body's result.
   *
   * Cancellation: if the caller is cancelled while waiting for the lock, the
   * body never runs; if it is cancelled inside the body, the lock is released
   * before `CancelledError` propagates.
   *
   * ```ts
   * await lock.use(async () => { await write(data); });
   * const n = yield* lock.use(function* () { yield* sleep(1); return 1; }());
   * ```
   */
  use<T>(body: Coroutine<T>): Future<T> {
    checkBody(body, "Lock.use()");
    return new Operation(this._anyLoop(), heldBody(this.acquire(), body, () => this.release()));
  }

  /**
   * Acquires the lock and resolves to an `Acquisition` that releases it when a
   * `using` declaration ends: the `async with` analogue for straight-line code.
   *
   * ```ts
   * {
   *   using _held = await lock.acquireDisposable();       // or: yield* lock.acquireDisposable()
   *   await criticalSection();
   * } // released here, also on throw or cancellation
   * ```
   *
   * Cancellation: as `acquire()`; nothing is held when it rejects.
   */
  acquireDisposable(): Future<Acquisition> {
    return acquisitionOf(this.acquire(), () => this.release(), this);
  }

  /** Debug information; see `LockStatistics`. */
  statistics(): LockStatistics {
    return { locked: this.#locked, holder: this.#holder, waiters: this.#waiters?.length ?? 0 };
  }

  override toString(): string {
    let extra = this.#locked ? "locked" : "unlocked";
    if (this.#waiters !== null && this.#waiters.length > 0) extra += `, waiters:${this.#waiters.length}`;
    return `<Lock [${extra}]>`;
  }
}

export function allCancelled(waiters: Iterable<Future<unknown>>): boolean {
  for (const waiter of waiters) if (!waiter.cancelled()) return false;
  return true;
}

/** `async with primitive: return await body` as an operation body. */
export function* heldBody<T>(acquired: Future<unknown>, body: Coroutine<T>, release: () => void): Body<T> {
  yield acquired;
  try {
    return (yield new InlineBody(body)) as T;
  } finally {
    release();
  }
}

/** `acquire()` then an Acquisition; at once (one small allocation) when `acquired` is already done. */
export function acquisitionOf(acquired: Future<unknown>, release: () => void, owner: LoopBound): Future<Acquisition> {
  if (acquired.done() && !acquired.cancelled() && acquired.exception() === undefined) {
    return resolved<Acquisition>(acquired.getLoop(), new AcquisitionImpl(release));
  }
  return new Operation(owner._anyLoop(), acquisitionBody(acquired, release));
}

function* acquisitionBody(acquired: Future<unknown>, release: () => void): Body<Acquisition> {
  yield acquired;
  return new AcquisitionImpl(release);
}
