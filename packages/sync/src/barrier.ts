import { brand, describeValue } from "@asyncio-ts/loop/lowlevel";
import type { Future } from "@asyncio-ts/tasks";
import { Condition } from "./condition.js";
import { BrokenBarrierError } from "./errors.js";
import { type Body, Operation } from "./internal/inline.js";
import { LoopBound } from "./internal/loop-bound.js";

type BarrierState = "filling" | "draining" | "resetting" | "broken";

/** What `Barrier.statistics()` reports. */
export interface BarrierStatistics {
  state: BarrierState;
  parties: number;
  nWaiting: number;
  broken: boolean;
}

/**
 * A meeting point for a fixed number of tasks (asyncio's `Barrier`): each
 * `wait()` blocks until `parties` tasks are waiting, then all are released
 * together, each getting a distinct index from 0 to `parties - 1`. The barrier
 * is reusable; `abort()` breaks it and `reset()` starts it over.
 *
 * ```ts
 * const barrier = new Barrier(3);
 * const index = await barrier.wait();    // in each of three tasks
 * ```
 */
export class Barrier extends LoopBound {
  static {
    brand(this, "Barrier");
  }
  readonly #cond = new Condition();
  readonly #parties: number;
  #state: BarrierState = "filling";
  /** Tasks inside wait(), while filling or draining. */
  #count = 0;

  constructor(parties: number) {
    super();
    if (typeof parties !== "number") throw new TypeError(`Barrier() parties must be a number, got ${describeValue(parties)}`);
    if (!(parties >= 1) || !Number.isInteger(parties)) throw new RangeError("parties must be > 0");
    this.#parties = parties;
  }

  /**
   * Waits until `parties` tasks are waiting; resolves to this task's index.
   *
   * Cancellation: the task leaves the barrier (it no longer counts as waiting).
   *
   * Errors (through the future): `BrokenBarrierError` when the barrier is
   * broken by `abort()` or reset by `reset()` while waiting.
   */
  wait(): Future<number> {
    // As in CPython the barrier itself is never bound to a loop: its Condition
    // binds, where a wait actually blocks (so a Barrier(1) works in any loop).
    return new Operation(this._anyLoop(), this.#waitBody());
  }

  *#waitBody(): Body<number> {
    const cond = this.#cond;
    yield cond.acquire();
    try {
      yield* this.#block();
      const index = this.#count++;
      try {
        if (index + 1 === this.#parties) this.#release();
        else yield* this.#wait();
        return index;
      } finally {
        this.#count--;
        this.#exit();
      }
    } finally {
      cond.release();
    }
  }

  /** Blocks while the barrier drains or resets; throws if it is broken. */
  *#block(): Body<void> {
    yield this.#cond.waitFor(() => this.#state !== "draining" && this.#state !== "resetting");
    if (this.#state === "broken") throw new BrokenBarrierError("Barrier aborted");
  }

  #release(): void {
    this.#state = "draining";
    this.#cond.notifyAll();
  }

  *#wait(): Body<void> {
    yield this.#cond.waitFor(() => this.#state !== "filling");
    if (this.#state === "broken" || this.#state === "resetting") throw new BrokenBarrierError("Abort or reset of barrier");
  }

  #exit(): void {
    if (this.#count === 0) {
      if (this.#state === "resetting" || this.#state === "draining") this.#state = "filling";
      this.#cond.notifyAll();
    }
  }

  /**
   * Returns the barrier to its initial state; tasks waiting in it get
   * `BrokenBarrierError`.
   */
  reset(): Future<void> {
    return new Operation(this._anyLoop(), this.#resetBody());
  }

  *#resetBody(): Body<void> {
    yield this.#cond.acquire();
    try {
      if (this.#count > 0) {
        if (this.#state !== "resetting") this.#state = "resetting";
      } else {
        this.#state = "filling";
      }
      this.#cond.notifyAll();
    } finally {
      this.#cond.release();
    }
  }

  /**
   * Breaks the barrier: waiting tasks and later `wait()` calls get
   * `BrokenBarrierError`, until `reset()`.
   */
  abort(): Future<void> {
    return new Operation(this._anyLoop(), this.#abortBody());
  }

  *#abortBody(): Body<void> {
    yield this.#cond.acquire();
    try {
      this.#state = "broken";
      this.#cond.notifyAll();
    } finally {
      this.#cond.release();
    }
  }

  /** The number of tasks needed to trip the barrier. */
  get parties(): number {
    return this.#parties;
  }

  /** The number of tasks waiting in the barrier while it fills. */
  get nWaiting(): number {
    return this.#state === "filling" ? this.#count : 0;
  }

  /** True when the barrier is broken. */
  get broken(): boolean {
    return this.#state === "broken";
  }

  /** Debug information; see `BarrierStatistics`. */
  statistics(): BarrierStatistics {
    return { state: this.#state, parties: this.#parties, nWaiting: this.nWaiting, broken: this.broken };
  }

  override toString(): string {
    let extra = this.#state as string;
    if (!this.broken) extra += `, waiters:${this.nWaiting}/${this.#parties}`;
    return `<Barrier [${extra}]>`;
  }
}
