import { brand } from "@asyncio-ts/loop/lowlevel";

/**
 * A read needed more bytes than the stream had before EOF (asyncio's
 * `IncompleteReadError`). `partial` holds the bytes read before EOF (they are
 * consumed from the stream); `expected` is the number asked for, or `null`
 * when the read was waiting for a separator.
 */
export class IncompleteReadError extends Error {
  static {
    brand(this, "IncompleteReadError");
  }
  readonly partial: Uint8Array;
  readonly expected: number | null;
  constructor(partial: Uint8Array, expected: number | null, options?: ErrorOptions) {
    const what = expected === null ? "undefined" : String(expected);
    super(`${partial.length} bytes read on a total of ${what} expected bytes`, options);
    this.name = "IncompleteReadError";
    this.partial = partial;
    this.expected = expected;
  }
}

/**
 * The stream's `limit` was reached while looking for a separator (asyncio's
 * `LimitOverrunError`). Nothing is consumed: `consumed` is how many bytes can
 * be skipped (read with `readexactly(consumed)`) to make progress.
 */
export class LimitOverrunError extends Error {
  static {
    brand(this, "LimitOverrunError");
  }
  readonly consumed: number;
  constructor(message: string, consumed: number, options?: ErrorOptions) {
    super(message, options);
    this.name = "LimitOverrunError";
    this.consumed = consumed;
  }
}

/**
 * The connection was lost while writing (Python's `ConnectionResetError`,
 * raised by `drain()` after the transport is gone). Carries `code: "ECONNRESET"`
 * like Node's own network errors.
 */
export class ConnectionResetError extends Error {
  static {
    brand(this, "ConnectionResetError");
  }
  readonly code = "ECONNRESET";
  constructor(message = "Connection lost", options?: ErrorOptions) {
    super(message, options);
    this.name = "ConnectionResetError";
  }
}
