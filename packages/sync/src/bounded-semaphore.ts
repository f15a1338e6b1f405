import { brand } from "@asyncio-ts/loop/lowlevel";
import { Semaphore } from "./semaphore.js";

/**
 * A `Semaphore` that refuses to be released more times than it was acquired
 * (asyncio's `BoundedSemaphore`), which catches unbalanced `release()` bugs.
 *
 * Errors: `release()` throws `RangeError("BoundedSemaphore released too many
 * times")` when the counter would exceed its initial value (Python's ValueError).
 */
export class BoundedSemaphore extends Semaphore {
  static {
    brand(this, "BoundedSemaphore");
  }
  readonly #bound: number;

  constructor(value = 1) {
    super(value);
    this.#bound = value;
  }

  override release(): void {
    if (this._value() >= this.#bound) throw new RangeError("BoundedSemaphore released too many times");
    super.release();
  }
}
