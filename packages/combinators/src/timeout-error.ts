import { brand } from "@asyncio-ts/loop/lowlevel";

/**
 * A deadline passed (Python's built-in `TimeoutError`, which asyncio raises
 * from `timeout()`, `waitFor()` and `asCompleted()`). The `CancelledError`
 * that the timeout turned into this error is its `cause`, as Python's
 * `raise TimeoutError from exc` sets `__cause__`.
 *
 * Branded, so `instanceof TimeoutError` holds for errors made by any loaded
 * copy (ESM or CJS) of this package.
 */
export class TimeoutError extends Error {
  static {
    brand(this, "TimeoutError");
  }
  constructor(message = "", options?: ErrorOptions) {
    super(message, options);
    this.name = "TimeoutError";
  }
}
