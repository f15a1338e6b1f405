import type { Coroutine } from "@asyncio-ts/loop";
import { RuntimeError } from "@asyncio-ts/loop";
import { brand, describeValue } from "@asyncio-ts/loop/lowlevel";
import { CancelledError, Future } from "@asyncio-ts/tasks";
import type { Acquisition } from "./acquisition.js";
import { checkBody } from "./internal/coroutine-check.js";
import { Deque } from "./internal/deque.js";
import { type Body, Operation, resolved } from "./internal/inline.js";
import { LoopBound } from "./internal/loop-bound.js";
import { acquisitionOf, heldBody, Lock, type LockStatistics } from "./lock.js";

/** What `Condition.statistics()` reports. */
export interface ConditionStatistics {
  /** Tasks blocked in `wait()` (not counting those re-acquiring the lock). */
  waiters: number;
  /** The underlying lock's statistics (holder, queued acquirers). */
  lock: LockStatistics;
}

/**
 * A condition variable (asyncio's `Condition`): tasks holding its lock wait
 * with `wait()` / `waitFor(predicate)` until another task calls `notify()` or
 * `notifyAll()`. It owns a `Lock` (or shares the one given), and has its
 * `acquire`, `release`, `locked`, `use` and `acquireDisposable`.
 *
 * ```ts
 * const cond = new Condition();
 * await cond.use(async () => {
 *   await cond.waitFor(() => items.length > 0);
 *   consume(items.shift());
 * });
 * // elsewhere
 * await cond.use(async () => { items.push(x); cond.notify(); });
 * ```
 */
export class Condition extends LoopBound {
  static {
    brand(this, "Condition");
  }
  readonly #lock: Lock;
  #waiters = new Deque<Future<boolean>>();

  constructor(lock?: Lock) {
    super();
    if (lock === undefined || lock === null) lock = new Lock();
    else if (!(lock instanceof Lock)) throw new TypeError(`Condition() takes a Lock, got ${describeValue(lock)}`);
    this.#lock = lock;
  }

  /** The underlying lock's `acquire()`. */
  acquire(): Future<true> {
    return this.#lock.acquire();
  }

  /** The underlying lock's `release()`. */
  release(): void {
    this.#lock.release();
  }

  /** The underlying lock's `locked()`. */
  locked(): boolean {
    return this.#lock.locked();
  }

  /** `async with condition:` as a callback; see `Lock.use()`. */
  use<T>(body: Coroutine<T>): Future<T> {
    checkBody(body, "Condition.use()");
    return new Operation(this._anyLoop(), heldBody(this.acquire(), body, () => this.release()));
  }

  /** See `Lock.acquireDisposable()`. */
  acquireDisposable(): Future<Acquisition> {
    return acquisitionOf(this.acquire(), () => this.release(), this);
  }

  /**
   * Releases the lock, waits until notified, re-acquires the lock and resolves
   * to `true`. May return spuriously: re-check your condition (or use
   * `waitFor`).
   *
   * Cancellation: the lock is re-acquired before `CancelledError` propagates,
   * so the caller always holds it when `wait()` settles. A waiter that is
   * notified and then cancelled passes the notification on to another waiter
   * (asyncio 3.13), so no wake-up is lost.
   *
   * Errors: `RuntimeError("cannot wait on un-acquired lock")` at the call if the
   * lock is not held.
   */
  wait(): Future<true> {
    if (!this.locked()) throw new RuntimeError("cannot wait on un-acquired lock");
    return new Operation(this._getLoop(), this.#waitBody());
  }

  *#waitBody(): Body<true> {
    const future = new Future<boolean>({ loop: this._getLoop() });
    this.release();
    try {
      try {
        this.#waiters.push(future);
        try {
          yield future;
          return true;
        } finally {
          this.#waiters.remove(future);
        }
      } finally {
        // Must re-acquire the lock even if the wait is cancelled.
        let cancelled: CancelledError | null = null;
        for (;;) {
          try {
            yield this.acquire();
            break;
          } catch (error) {
            if (!(error instanceof CancelledError)) throw error;
            cancelled = error;
          }
        }
        if (cancelled !== null) throw cancelled;
      }
    } catch (error) {
      // The error may have arrived after this waiter was notified: notify another
      // one instead (a spurious wake-up is allowed).
      this.#notify(1);
      throw error;
    }
  }

  /**
   * Waits until `predicate()` is truthy and resolves to its value. The
   * predicate is checked first, then after each wake-up, always with the lock
   * held.
   *
   * Cancellation and errors: as `wait()`; an error thrown by the predicate
   * rejects the future (with the lock held).
   */
  waitFor<T>(predicate: () => T): Future<T> {
    if (typeof predicate !== "function") throw new TypeError(`waitFor() needs a function, got ${describeValue(predicate)}`);
    const first = predicate();
    if (first) return resolved(this._anyLoop(), first);
    if (!this.locked()) throw new RuntimeError("cannot wait on un-acquired lock");
    return new Operation(this._getLoop(), this.#waitForBody(predicate));
  }

  *#waitForBody<T>(predicate: () => T): Body<T> {
    let result: T;
    do {
      yield this.wait();
      result = predicate();
    } while (!result);
    return result;
  }

  /**
   * Wakes up to `n` (default 1) tasks waiting in `wait()`. They return only
   * once they re-acquire the lock, which the caller still holds.
   *
   * Errors: `RuntimeError("cannot notify on un-acquired lock")`.
   */
  notify(n = 1): void {
    if (!this.locked()) throw new RuntimeError("cannot notify on un-acquired lock");
    // Python's `idx >= n` raises TypeError for a str or None; `0 >= "2"` here would wake everyone.
    // (Python raises only once a waiter is compared; misuse throws at the call here.)
    if (typeof n !== "number") throw new TypeError(`notify() takes a number of waiters to wake, got ${describeValue(n)}`);
    this.#notify(n);
  }

  /** Wakes every waiting task; see `notify()`. */
  notifyAll(): void {
    this.notify(this.#waiters.length);
  }

  #notify(n: number): void {
    let woken = 0;
    for (const future of this.#waiters) {
      if (woken >= n) break;
      if (!future.done()) {
        woken++;
        future.setResult(false);
      }
    }
  }

  /** Debug information; see `ConditionStatistics`. */
  statistics(): ConditionStatistics {
    return { waiters: this.#waiters.length, lock: this.#lock.statistics() };
  }

  override toString(): string {
    let extra = this.locked() ? "locked" : "unlocked";
    if (this.#waiters.length > 0) extra += `, waiters:${this.#waiters.length}`;
    return `<Condition [${extra}]>`;
  }
}
