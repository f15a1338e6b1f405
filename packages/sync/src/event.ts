import { brand } from "@asyncio-ts/loop/lowlevel";
import { Future } from "@asyncio-ts/tasks";
import { Deque } from "./internal/deque.js";
import { type Body, Operation } from "./internal/inline.js";
import { LoopBound } from "./internal/loop-bound.js";

/** What `Event.statistics()` reports. */
export interface EventStatistics {
  isSet: boolean;
  /** Tasks blocked in `wait()`, including woken ones that have not resumed yet. */
  waiters: number;
}

/**
 * A flag tasks can wait for (asyncio's `Event`): `set()` wakes every waiter,
 * `clear()` resets it, `wait()` returns at once while it is set.
 *
 * ```ts
 * const ready = new Event();
 * createTask(async () => { await ready.wait(); console.log("go"); });
 * ready.set();
 * ```
 */
export class Event extends LoopBound {
  static {
    brand(this, "Event");
  }
  #waiters = new Deque<Future<true>>();
  #value = false;

  /** True while the flag is set. */
  isSet(): boolean {
    return this.#value;
  }

  /** Sets the flag and wakes every waiting task; later `wait()` calls return at once. */
  set(): void {
    if (this.#value) return;
    this.#value = true;
    for (const future of this.#waiters) if (!future.done()) future.setResult(true);
  }

  /** Resets the flag: later `wait()` calls block until `set()`. */
  clear(): void {
    this.#value = false;
  }

  /**
   * Waits until the flag is set; resolves to `true`. Done at once if it is set.
   *
   * Cancellation: the waiter is removed; nothing else changes.
   *
   * Errors: `RuntimeError` outside a running loop or from another loop.
   */
  wait(): Future<true> {
    if (this.#value) return this._doneTrue();
    return new Operation(this._getLoop(), this.#waitBody());
  }

  *#waitBody(): Body<true> {
    const future = new Future<true>({ loop: this._getLoop() });
    this.#waiters.push(future);
    try {
      yield future;
      return true;
    } finally {
      this.#waiters.remove(future);
    }
  }

  /** Debug information; see `EventStatistics`. */
  statistics(): EventStatistics {
    return { isSet: this.#value, waiters: this.#waiters.length };
  }

  override toString(): string {
    let extra = this.#value ? "set" : "unset";
    if (this.#waiters.length > 0) extra += `, waiters:${this.#waiters.length}`;
    return `<Event [${extra}]>`;
  }
}
