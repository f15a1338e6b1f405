/**
 * @internal What the ready queue and the timer heap hold. `Handle` and
 * `TimerHandle` are the public kinds; a future can also be its own timer entry
 * (`sleep()` does this, so a sleeping task costs one object, not two).
 */
export interface Runnable {
  _cancelled: boolean;
  /** The callback may queue microtasks, which must drain before the next callback. */
  _drain: boolean;
  /** The loop may reuse the object once it has run (nobody else holds it). */
  _pooled: boolean;
  _sourceTraceback: string | undefined;
  /** For messages: the task or future this callback works for, if any. */
  _thisArg?: unknown;
  _run(): void;
}

/** @internal A runnable ordered by deadline in the loop's timer heap. */
export interface TimerEntry extends Runnable {
  _when: number;
  /** Tie-breaker: equal deadlines run in scheduling order. */
  _seq: number;
  /** True while in the heap. */
  _scheduled: boolean;
}
