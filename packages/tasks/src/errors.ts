import { brand } from "@asyncio-ts/loop/lowlevel";

/**
 * Raised into a coroutine at its suspension point when its task is cancelled
 * (asyncio's `CancelledError`). Catch it only to clean up, then rethrow: a task
 * that swallows it ends normally, not cancelled.
 */
export class CancelledError extends Error {
  static {
    brand(this, "CancelledError");
  }
  constructor(message = "", options?: ErrorOptions) {
    super(message, options);
    this.name = "CancelledError";
  }
  /** True for a `CancelledError` from any loaded copy of asyncio-ts (same as `instanceof`). */
  static isInstance(value: unknown): value is CancelledError {
    return value instanceof CancelledError;
  }
}

/** The future is not in a state that allows the operation (asyncio's `InvalidStateError`). */
export class InvalidStateError extends Error {
  static {
    brand(this, "InvalidStateError");
  }
  constructor(message = "", options?: ErrorOptions) {
    super(message, options);
    this.name = "InvalidStateError";
  }
}

/** Raised by `Runner.run()` when Ctrl-C (SIGINT) interrupted the main task, as Python raises `KeyboardInterrupt`. */
export class KeyboardInterrupt extends Error {
  static {
    brand(this, "KeyboardInterrupt");
  }
  constructor(message = "", options?: ErrorOptions) {
    super(message, options);
    this.name = "KeyboardInterrupt";
  }
}
