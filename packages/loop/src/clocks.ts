import { describeValue } from "./describe.js";

/**
 * A loop's source of time, in seconds. The loop asks it for `now()`; a virtual
 * clock also lets the loop jump time forward when nothing is ready to run.
 */
export interface Clock {
  /** Monotonic time in seconds. */
  now(): number;
  /**
   * When true, the loop never waits on the host for a timer: with nothing
   * ready it calls `advanceTo(deadline)` and runs the timer at once.
   */
  readonly virtual: boolean;
  advanceTo?(when: number): void;
}

const perf: { now(): number } =
  (globalThis as { performance?: { now(): number } }).performance ?? { now: () => Date.now() };

/** Real monotonic time (`performance.now()`), the default. */
export class MonotonicClock implements Clock {
  readonly virtual = false;
  now(): number {
    return perf.now() / 1000;
  }
}

/**
 * Virtual time for deterministic tests: time stands still while callbacks run and
 * jumps straight to the next timer's deadline when nothing is ready, so
 * `sleep(3600)` completes at once and timers fire in the same order every run.
 *
 * The jump does not wait for I/O or foreign promises: code under a virtual clock
 * should wait only on the loop's own timers and futures.
 *
 * ```ts
 * await run(main, { loopFactory: () => new EventLoop({ clock: new VirtualClock() }) });
 * ```
 */
export class VirtualClock implements Clock {
  readonly virtual = true;
  #now: number;
  constructor(start = 0) {
    if (typeof start !== "number") throw new TypeError(`VirtualClock() start must be a number of seconds, got ${describeValue(start)}`);
    if (!Number.isFinite(start)) throw new RangeError(`VirtualClock() start must be a finite number of seconds, got ${start}`);
    this.#now = start;
  }
  now(): number {
    return this.#now;
  }
  /** Moves time forward to `when` (never backward). Time stays finite: an infinite `when` is a RangeError. */
  advanceTo(when: number): void {
    if (typeof when !== "number") throw new TypeError(`VirtualClock.advanceTo() needs a time in seconds, got ${describeValue(when)}`);
    if (Number.isNaN(when)) throw new RangeError("VirtualClock.advanceTo() needs a time in seconds, got NaN");
    if (when === Infinity) throw new RangeError("VirtualClock.advanceTo() needs a finite time, got Infinity");
    if (when > this.#now) this.#now = when;
  }
  /** Moves time forward by `seconds` (a finite, non-negative number). */
  advance(seconds: number): void {
    if (typeof seconds !== "number") throw new TypeError(`VirtualClock.advance() needs a number of seconds, got ${describeValue(seconds)}`);
    if (!(seconds >= 0) || seconds === Infinity) {
      throw new RangeError(`VirtualClock.advance() needs a finite, non-negative number of seconds, got ${String(seconds)}`);
    }
    this.#now += seconds;
  }
}
