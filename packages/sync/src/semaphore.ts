import type { Coroutine } from "@asyncio-ts/loop";
import { brand, describeValue } from "@asyncio-ts/loop/lowlevel";
import { CancelledError, Future } from "@asyncio-ts/tasks";
import type { Acquisition } from "./acquisition.js";
import { checkBody } from "./internal/coroutine-check.js";
import { Deque } from "./internal/deque.js";
import { type Body, Operation } from "./internal/inline.js";
import { LoopBound } from "./internal/loop-bound.js";
import { acquisitionOf, heldBody } from "./lock.js";

/** What `Semaphore.statistics()` reports. */
export interface SemaphoreStatistics {
  /** The counter: how many more `acquire()` calls would succeed (ignoring FIFO). */
  value: number;
  /** True when `acquire()` would wait. */
  locked: boolean;
  /** Acquirers queued, including woken ones that have not resumed yet. */
  waiters: number;
}

export function checkValue(value: unknown, what: string): number {
  if (typeof value !== "number") throw new TypeError(`${what} initial value must be a number, got ${describeValue(value)}`);
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${what} initial value must be an integer >= 0, got ${value}`);
  return value;
}

/**
 * A counter of permits (asyncio's `Semaphore`): `acquire()` takes one,
 * waiting while there are none; `release()` gives one back. Waiters are served
 * in FIFO order and a newcomer never jumps ahead of a queued waiter.
 *
 * ```ts
 * const slots = new Semaphore(3);
 * await slots.use(async () => { await download(url); });  // at most 3 at once
 * ```
 */
export class Semaphore extends LoopBound {
  static {
    brand(this, "Semaphore");
  }
  #waiters: Deque<Future<true>> | null = null;
  /** Invariant: never negative; a waiter woken by release() has its permit taken already. */
  #value: number;

  constructor(value = 1) {
    super();
    this.#value = checkValue(value, new.target === Semaphore ? "Semaphore" : "BoundedSemaphore");
  }

  /** True if `acquire()` would wait: no permit, or others queued first (FIFO). */
  locked(): boolean {
    if (this.#value === 0) return true;
    const waiters = this.#waiters;
    if (waiters !== null && waiters.length > 0) for (const w of waiters) if (!w.cancelled()) return true;
    return false;
  }

  /**
   * Takes a permit, waiting for one if needed; resolves to `true` (at once, with
   * no loop turn, when one is free and nobody is queued).
   *
   * Cancellation: the waiter leaves the queue; if it had been woken already, its
   * permit goes back and the next waiter is woken, so no permit is lost.
   *
   * Errors: `RuntimeError` outside a running loop or from another loop.
   */
  acquire(): Future<true> {
    if (!this.locked()) {
      const done = this._doneTrue(); // first: it throws outside a running loop
      this.#value--;
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
        try {
          yield future;
        } finally {
          waiters.remove(future);
        }
      } catch (error) {
        // Woken (permit taken for us) but not going to acquire: give it back.
        if (error instanceof CancelledError && future.done() && !future.cancelled()) this.#value++;
        throw error;
      }
    } finally {
      // New waiters may have queued behind us (FIFO): wake as many as allowed.
      while (this.#value > 0) if (!this.#wakeUpNext()) break;
    }
    return true;
  }

  /** Gives a permit back and wakes the first waiter, if any. */
  release(): void {
    this.#value++;
    this.#wakeUpNext();
  }

  #wakeUpNext(): boolean {
    const waiters = this.#waiters;
    if (waiters === null || waiters.length === 0) return false;
    for (const future of waiters) {
      if (!future.done()) {
        this.#value--;
        future.setResult(true);
        return true;
      }
    }
    return false;
  }

  /** `async with semaphore:` as a callback; see `Lock.use()`. */
  use<T>(body: Coroutine<T>): Future<T> {
    checkBody(body, "Semaphore.use()");
    return new Operation(this._anyLoop(), heldBody(this.acquire(), body, () => this.release()));
  }

  /** Takes a permit and resolves to an `Acquisition` that gives it back; see `Lock.acquireDisposable()`. */
  acquireDisposable(): Future<Acquisition> {
    return acquisitionOf(this.acquire(), () => this.release(), this);
  }

  /** Debug information; see `SemaphoreStatistics`. */
  statistics(): SemaphoreStatistics {
    return { value: this.#value, locked: this.locked(), waiters: this.#waiters?.length ?? 0 };
  }

  /** @internal For BoundedSemaphore. */
  protected _value(): number {
    return this.#value;
  }

  override toString(): string {
    let extra = this.locked() ? "locked" : `unlocked, value:${this.#value}`;
    if (this.#waiters !== null && this.#waiters.length > 0) extra += `, waiters:${this.#waiters.length}`;
    return `<${this.constructor.name} [${extra}]>`;
  }
}
