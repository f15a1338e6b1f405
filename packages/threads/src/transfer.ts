import { describeValue } from "@asyncio-ts/loop/lowlevel";

const TRANSFER = Symbol.for("asyncio-ts.threads.Transfer");

/** An argument or result marked to be moved, not copied, to the other thread. */
export interface Transfer<T> {
  readonly [TRANSFER]: true;
  readonly value: T;
  readonly list: readonly Transferable[];
}

/**
 * Marks `value` to be *moved* to the other thread instead of copied: the
 * `ArrayBuffer` behind it (or those in `transferList`) is detached here and
 * arrives there without a copy. Use it for an argument of `toThread()` /
 * `submit()` (`toThread(hash, transfer(bytes))`; the function receives
 * `bytes`), or for a worker function's return value.
 *
 * Errors: `TypeError` when no transfer list is given and `value` is not an
 * `ArrayBuffer` or a view of one. A `Buffer` carved from Node's shared pool
 * (small `Buffer.from()`/`allocUnsafe()` results) cannot be moved: copy it
 * into its own `ArrayBuffer` first.
 *
 * ```ts
 * const bytes = new Uint8Array(1024);
 * const marked = transfer(bytes); // toThread((b) => b.length, marked) moves the buffer
 * ```
 */
export function transfer<T>(value: T, transferList?: readonly Transferable[]): Transfer<T> {
  let list: readonly Transferable[];
  if (transferList !== undefined) {
    if (!Array.isArray(transferList)) throw new TypeError(`transfer() list must be an array, got ${describeValue(transferList)}`);
    list = transferList;
  } else if (value instanceof ArrayBuffer) {
    list = [value];
  } else if (ArrayBuffer.isView(value) && value.buffer instanceof ArrayBuffer) {
    list = [value.buffer];
  } else {
    throw new TypeError(`transfer() moves an ArrayBuffer or a view of one; for ${describeValue(value)} pass the list of buffers to move: transfer(value, [buffer])`);
  }
  return { [TRANSFER]: true, value, list };
}

export function isTransfer(value: unknown): value is Transfer<unknown> {
  return value !== null && typeof value === "object" && (value as Record<symbol, unknown>)[TRANSFER] === true;
}

/** The (shared, never modified) transfer list of arguments that move nothing. */
const NO_TRANSFERS: Transferable[] = [];

/** Unwraps `transfer()` markers among `args`; returns the plain values and what to move. */
export function unwrapTransfers(args: unknown[]): { args: unknown[]; transferList: Transferable[] } {
  let transferList: Transferable[] | null = null;
  let out: unknown[] | null = null;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (isTransfer(arg)) {
      out ??= args.slice();
      out[i] = arg.value;
      (transferList ??= []).push(...arg.list);
    }
  }
  if (transferList === null) return { args, transferList: NO_TRANSFERS };
  return { args: out ?? args, transferList };
}
