import { brand } from "./brand.js";

/**
 * Python's `RuntimeError`: the operation is not possible in the loop's current
 * state (no running loop, a closed loop, a loop run twice at once, `run()` inside a
 * running loop, `setResult` on a Task).
 */
export class RuntimeError extends Error {
  static {
    brand(this, "RuntimeError");
  }
  constructor(message = "", options?: ErrorOptions) {
    super(message, options);
    this.name = "RuntimeError";
  }
}
