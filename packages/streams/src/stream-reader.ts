import type { EventLoop } from "@asyncio-ts/loop";
import { EventLoop as Loop, RuntimeError } from "@asyncio-ts/loop";
import { brand, checkOptionNames, describeValue, getRunningLoopOrNull, reprValue } from "@asyncio-ts/loop/lowlevel";
import { Future } from "@asyncio-ts/tasks";
import { ByteBuffer, EMPTY } from "./byte-buffer.js";
import { IncompleteReadError, LimitOverrunError } from "./errors.js";
import type { Transport } from "./transport.js";

/** asyncio's `_DEFAULT_LIMIT`: 64 KiB. */
export const DEFAULT_LIMIT = 64 * 1024;

export interface StreamReaderOptions {
  /** The longest line (or `readuntil` chunk) accepted, and half the buffer size at which reading pauses. Default 64 KiB. */
  limit?: number;
  /** The loop whose futures the reader returns; default the running loop. */
  loop?: EventLoop;
}

/**
 * A read: whether it can complete now (`ready()`), and the work that completes
 * it (`run()`: consumes, returns or throws). One object per read call, no
 * closures: `read(n)`; subclasses for the other reads.
 */
class ReadOp {
  readonly reader: StreamReader;
  readonly n: number;
  constructor(reader: StreamReader, n: number) {
    this.reader = reader;
    this.n = n;
  }
  get name(): string {
    return "read";
  }
  ready(): boolean {
    return this.reader._buffer().length > 0 || this.reader._eofFed();
  }
  /**
   * When ready: the error `run()` will throw, or `undefined`; consumes nothing.
   * An error is made once and kept, so `run()` throws that same object.
   */
  failure(): unknown {
    return undefined;
  }
  run(): Buffer {
    const buffer = this.reader._buffer();
    const data = buffer.take(Math.min(this.n, buffer.length));
    this.reader._consumed();
    return data;
  }
  /** A cancelled wait gives back what it had already taken. */
  cancelled(): void {}
}

/** The result a pending read is given when it becomes ready: the bytes are taken when the awaiting code resumes. */
const LAZY: unique symbol = Symbol("asyncio-ts.streams.lazy");

const WAITING = 0;
const READY = 1;
const TAKEN = 2;
const EXPIRED = 3;
/** Taken, and the read failed: `#outcome` is the error. */
const FAILED = 4;

/**
 * The future returned by a read that has to wait.
 *
 * CPython's read coroutines take their bytes from the buffer when the task
 * *resumes*, so a task cancelled after the data arrived but before it ran
 * loses nothing: the bytes stay in the stream. This future does the same: when
 * the read can complete it is given a placeholder result, and the bytes are
 * taken on the first `result()` (which is what resuming an `await` or
 * `yield*` calls). If the next read starts before anyone took them (the waiter
 * was cancelled meanwhile), the bytes stay in the stream for that read and
 * this future's `result()` throws `RuntimeError`.
 */
class PendingRead extends Future<Buffer> {
  #reader: StreamReader | null;
  #op: ReadOp;
  #state = WAITING;
  /** Once taken: the bytes, or the error. */
  #outcome: unknown = EMPTY;

  constructor(loop: EventLoop | undefined, reader: StreamReader, op: ReadOp) {
    super({ loop });
    this.#reader = reader;
    this.#op = op;
  }

  /** Shown as the plain future asyncio's reader waits on. */
  override _kindName(): string {
    return "Future";
  }

  /** @internal */
  _op(): ReadOp {
    return this.#op;
  }

  /** @internal The read can complete: wake the awaiter, which takes the bytes when it resumes. */
  _ready(): void {
    this.#state = READY;
    super.setResult(LAZY as unknown as Buffer);
  }

  /** @internal A newer read started before the bytes were taken: they stay in the stream. */
  _expire(): void {
    if (this.#state === READY) {
      this.#state = EXPIRED;
      this.#op.cancelled?.();
    }
    this.#reader = null;
  }

  override cancel(msg?: string): boolean {
    if (!super.cancel(msg)) return false;
    this.#op.cancelled?.();
    this.#reader?._waiterDone(this);
    this.#reader = null;
    return true;
  }

  #take(): Buffer {
    if (this.#state === READY) {
      this.#state = TAKEN;
      this.#reader?._waiterDone(this);
      this.#reader = null;
      try {
        this.#outcome = this.#op.run();
      } catch (error) {
        this.#state = FAILED;
        this.#outcome = error;
      }
    } else if (this.#state === EXPIRED) {
      throw new RuntimeError(`the bytes of this ${this.#op.name}() were left in the stream: another read started before this one's result was retrieved`);
    }
    if (this.#state === FAILED) throw this.#outcome;
    return this.#outcome as Buffer;
  }

  override result(): Buffer {
    const value = super.result() as unknown;
    return value === LAZY ? this.#take() : (value as Buffer);
  }

  override exception(): unknown {
    const error = super.exception();
    if (error !== undefined || this.#state === WAITING) return error;
    // Looking is not resuming: the bytes stay in the stream until result() takes them.
    if (this.#state === READY) return this.#op.failure();
    try {
      this.#take();
      return undefined;
    } catch (e) {
      return e;
    }
  }

  override then<R1 = Buffer, R2 = never>(
    onfulfilled?: ((value: Buffer) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    // Pending: the awaiter is woken through `result()`, which takes the bytes.
    if (typeof onfulfilled !== "function" || !this.done()) return super.then(onfulfilled, onrejected);
    const fulfilled = (value: Buffer): R1 | PromiseLike<R1> | R2 | PromiseLike<R2> => {
      if ((value as unknown) !== LAZY) return onfulfilled(value);
      let bytes: Buffer;
      try {
        bytes = this.#take();
      } catch (error) {
        if (typeof onrejected === "function") return onrejected(error);
        throw error;
      }
      return onfulfilled(bytes);
    };
    return super.then(fulfilled as (value: Buffer) => R1 | PromiseLike<R1>, onrejected);
  }
}

function resolved(loop: EventLoop | undefined, value: Buffer): Future<Buffer> {
  const future = new Future<Buffer>({ loop });
  future.setResult(value);
  return future;
}

function rejected<T>(loop: EventLoop | undefined, error: unknown): Future<T> {
  const future = new Future<T>({ loop });
  future.setException(error);
  return future;
}

/**
 * Reads from a connection (asyncio's `StreamReader`). Get one from
 * `openConnection()` or `startServer()`; `new StreamReader()` makes one fed by
 * hand with `feedData()`/`feedEof()`.
 *
 * Every read returns a `Future`: await it (`await reader.read(100)`) or
 * `yield*` it in a generator coroutine. Only one read may wait at a time: a
 * second read that would have to wait fails with `RuntimeError`.
 *
 * Flow control: when more than twice `limit` bytes are buffered, reading from
 * the socket pauses; it resumes when the buffer is back under `limit` (or a
 * read needs more), so memory stays bounded whatever the peer sends.
 *
 * Cancellation: cancelling a task blocked in a read leaves the stream usable
 * and loses no byte: a read takes its bytes only when its task resumes (see
 * `readexactly`, `readuntil`); `read(-1)` gives back what it had collected.
 *
 * Not meant for subclassing.
 */
export class StreamReader implements AsyncIterable<Buffer> {
  static {
    brand(this, "StreamReader");
  }
  readonly #limit: number;
  readonly #loop: EventLoop | undefined;
  readonly #buffer = new ByteBuffer();
  #eof = false;
  #exception: unknown = null;
  #transport: Transport | null = null;
  #paused = false;
  /** The read waiting for data (asyncio's `_waiter`), or null. */
  #waiter: PendingRead | null = null;
  /** A read that became ready and whose bytes have not been taken yet. */
  #delivering: PendingRead | null = null;

  constructor(options: StreamReaderOptions = {}) {
    if (options === null || typeof options !== "object") throw new TypeError(`StreamReader options must be an object, got ${describeValue(options)}`);
    checkOptionNames(options, ["limit", "loop"], "StreamReader");
    this.#limit = checkLimit(options.limit, "StreamReader");
    if (options.loop !== undefined && options.loop !== null && !(options.loop instanceof Loop)) {
      throw new TypeError(`StreamReader() loop must be an EventLoop, got ${describeValue(options.loop)}`);
    }
    this.#loop = options.loop ?? getRunningLoopOrNull() ?? undefined;
  }

  /** The buffer limit this reader was made with. */
  get limit(): number {
    return this.#limit;
  }

  /** The exception set by `setException()` (or the connection's error), or `null`. */
  exception(): unknown {
    return this.#exception;
  }

  /** Makes every later read fail with `exc`, and the waiting one too. */
  setException(exc: unknown): void {
    this.#exception = exc;
    const waiter = this.#waiter;
    if (waiter !== null) {
      this.#waiter = null;
      if (!waiter.done()) waiter.setException(exc);
    }
  }

  /** @internal */
  _setTransport(transport: Transport): void {
    if (this.#transport !== null) throw new RuntimeError("Transport already set");
    this.#transport = transport;
  }

  /** @internal After startTls the reader is fed by the new transport. */
  _replaceTransport(transport: Transport): void {
    this.#transport = transport;
    if (this.#paused) transport.pauseReading();
  }

  /** Marks the end of the stream: waiting reads complete with what is buffered. */
  feedEof(): void {
    this.#eof = true;
    this.#wakeupWaiter();
  }

  /** True when EOF was fed and the buffer is empty. */
  atEof(): boolean {
    return this.#eof && this.#buffer.length === 0;
  }

  /** Adds bytes to the buffer (copied). Throws `RuntimeError` after `feedEof()`. */
  feedData(data: Uint8Array): void {
    if (!(data instanceof Uint8Array)) throw new TypeError(`feedData() takes bytes (a Uint8Array), got ${describeValue(data)}`);
    this._feed(Buffer.from(data));
  }

  /** @internal Adds a chunk the reader may keep as is (from the socket). */
  _feed(chunk: Buffer): void {
    if (this.#eof) throw new RuntimeError("feedData after feedEof");
    if (chunk.length === 0) return;
    this.#buffer.push(chunk);
    this.#wakeupWaiter();
    const transport = this.#transport;
    if (transport !== null && !this.#paused && this.#buffer.length > 2 * this.#limit && this.#waiter === null) {
      this.#paused = true;
      transport.pauseReading();
    }
  }

  #wakeupWaiter(): void {
    const waiter = this.#waiter;
    if (waiter === null) return;
    if (waiter.done()) {
      this.#waiter = null;
      return;
    }
    let ready: boolean;
    try {
      ready = waiter._op().ready();
    } catch (error) {
      this.#waiter = null;
      waiter.setException(error);
      return;
    }
    if (ready) {
      this.#waiter = null;
      this.#delivering = waiter;
      waiter._ready();
    }
  }

  /** @internal A read's future is done (cancelled, or its bytes taken). */
  _waiterDone(waiter: PendingRead): void {
    if (this.#waiter === waiter) this.#waiter = null;
    if (this.#delivering === waiter) this.#delivering = null;
  }

  /** Runs `op` now if it can complete, else returns a future that completes when it can. */
  #start(op: ReadOp): Future<Buffer> {
    const delivering = this.#delivering;
    if (delivering !== null) {
      this.#delivering = null;
      delivering._expire();
    }
    if (op.ready()) {
      try {
        return resolved(this.#loop, op.run());
      } catch (error) {
        return rejected(this.#loop, error);
      }
    }
    if (this.#waiter !== null && !this.#waiter.done()) {
      return rejected(this.#loop, new RuntimeError(`${op.name}() called while another coroutine is already waiting for incoming data`));
    }
    // Waiting for data while paused would deadlock.
    if (this.#paused) {
      this.#paused = false;
      this.#transport!.resumeReading();
    }
    const waiter = new PendingRead(this.#loop, this, op);
    this.#waiter = waiter;
    return waiter;
  }

  /**
   * Reads up to `n` bytes: as soon as at least one byte is buffered, returns
   * what is there (at most `n`). `n < 0` (the default, -1) reads until EOF.
   * At EOF returns an empty buffer.
   *
   * Cancellation: nothing is consumed; for `read(-1)`, what was collected is
   * put back in the stream.
   */
  read(n = -1): Future<Buffer> {
    checkSize(n, "read");
    if (this.#exception !== null) return rejected(this.#loop, this.#exception);
    if (n === 0) return resolved(this.#loop, EMPTY);
    return this.#start(n < 0 ? new ReadAllOp(this) : new ReadOp(this, n));
  }

  /**
   * Reads exactly `n` bytes. At EOF first, fails with `IncompleteReadError`
   * whose `partial` holds the bytes that were there (consumed).
   *
   * Cancellation: nothing is consumed.
   */
  readexactly(n: number): Future<Buffer> {
    checkSize(n, "readexactly");
    if (n < 0) throw new RangeError("readexactly size can not be less than zero");
    if (this.#exception !== null) return rejected(this.#loop, this.#exception);
    if (n === 0) return resolved(this.#loop, EMPTY);
    return this.#start(new ReadExactlyOp(this, n));
  }

  /**
   * Reads up to and including `separator` (default `"\n"`; a list of
   * separators matches the shortest result, as in 3.13).
   *
   * Errors: `LimitOverrunError` when no separator is found within `limit`
   * bytes (nothing consumed); `IncompleteReadError` (with `expected: null`) at
   * EOF without a separator (the buffer is consumed into `partial`).
   *
   * Cancellation: nothing is consumed.
   */
  readuntil(separator: Uint8Array | string | readonly (Uint8Array | string)[] = NEWLINE): Future<Buffer> {
    const seps = separator === NEWLINE ? NEWLINES : separators(separator);
    if (this.#exception !== null) return rejected(this.#loop, this.#exception);
    return this.#start(new ReadUntilOp(this, seps, "readuntil"));
  }

  /**
   * Reads one line, ending with `"\n"`. At EOF returns what is left (maybe
   * without the newline), or an empty buffer. A line longer than `limit` fails
   * with `RangeError` (Python's `ValueError`; its `cause` is the
   * `LimitOverrunError`), and the line's bytes are dropped.
   *
   * Cancellation: nothing is consumed.
   */
  readline(): Future<Buffer> {
    if (this.#exception !== null) return rejected(this.#loop, this.#exception);
    return this.#start(new ReadLineOp(this));
  }

  // ---- what the read operations use ------------------------------------------------

  /** @internal */
  _buffer(): ByteBuffer {
    return this.#buffer;
  }

  /** @internal EOF was fed (whatever is still buffered). */
  _eofFed(): boolean {
    return this.#eof;
  }

  /** @internal After consuming: resumes the transport once the buffer is back under the limit. */
  _consumed(): void {
    if (this.#paused && this.#buffer.length <= this.#limit) {
      this.#paused = false;
      this.#transport!.resumeReading();
    }
  }

  /** `for await (const line of reader)`: the lines, until EOF. */
  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    return {
      next: () =>
        this.readline().then((line): IteratorResult<Buffer> => (line.length === 0 ? { done: true, value: undefined } : { done: false, value: line })),
      [Symbol.asyncIterator]() {
        return this;
      },
    } as AsyncIterator<Buffer>;
  }

  toString(): string {
    const info = ["StreamReader"];
    if (this.#buffer.length > 0) info.push(`${this.#buffer.length} bytes`);
    if (this.#eof) info.push("eof");
    if (this.#limit !== DEFAULT_LIMIT) info.push(`limit=${this.#limit}`);
    if (this.#waiter !== null) info.push(`waiter=${String(this.#waiter)}`);
    if (this.#exception !== null) info.push(`exception=${reprValue(this.#exception)}`);
    if (this.#transport !== null) info.push(`transport=${String(this.#transport)}`);
    if (this.#paused) info.push("paused");
    return `<${info.join(" ")}>`;
  }
}

const NEWLINE = Buffer.from("\n");
const NEWLINES: readonly Buffer[] = [NEWLINE];

function separators(separator: unknown): Buffer[] {
  const list = Array.isArray(separator) ? separator : [separator];
  if (list.length === 0) throw new RangeError("Separator should contain at least one element");
  const seps = list.map((s: unknown) => {
    if (typeof s === "string") return Buffer.from(s, "utf8");
    if (s instanceof Uint8Array) return Buffer.from(s.buffer, s.byteOffset, s.byteLength);
    throw new TypeError(`readuntil() separator must be bytes (a Uint8Array) or a string, got ${describeValue(s)}`);
  });
  seps.sort((a, b) => a.length - b.length);
  if (seps[0].length === 0) throw new RangeError("Separator should be at least one-byte string");
  return seps;
}

function checkSize(n: unknown, where: string): asserts n is number {
  if (typeof n !== "number" || !Number.isInteger(n)) {
    throw new TypeError(`${where}() size must be an integer, got ${describeValue(n)}`);
  }
}

/** Validates a stream `limit` (asyncio: `ValueError('Limit cannot be <= 0')`). */
export function checkLimit(limit: unknown, where: string): number {
  if (limit === undefined || limit === null) return DEFAULT_LIMIT;
  if (typeof limit !== "number") throw new TypeError(`${where}() limit must be a number of bytes, got ${describeValue(limit)}`);
  if (!(limit > 0)) throw new RangeError(`Limit cannot be <= 0: ${where}() limit must be a number of bytes > 0, got ${limit}`);
  return limit;
}

/** `read(-1)`: everything until EOF. */
class ReadAllOp extends ReadOp {
  readonly #blocks: Buffer[] = [];
  constructor(reader: StreamReader) {
    super(reader, -1);
  }
  #collect(): void {
    const buffer = this.reader._buffer();
    if (buffer.length > 0) this.#blocks.push(buffer.take(buffer.length));
    this.reader._consumed();
  }
  override ready(): boolean {
    // Like CPython's loop of read(limit): take what is there, so reading never pauses.
    this.#collect();
    return this.reader._eofFed();
  }
  override run(): Buffer {
    this.#collect();
    const blocks = this.#blocks;
    return blocks.length === 1 ? blocks[0] : Buffer.concat(blocks);
  }
  override cancelled(): void {
    const blocks = this.#blocks;
    const buffer = this.reader._buffer();
    for (let i = blocks.length - 1; i >= 0; i--) buffer.unshift(blocks[i]);
    blocks.length = 0;
  }
}

class ReadExactlyOp extends ReadOp {
  override get name(): string {
    return "readexactly";
  }
  override ready(): boolean {
    return this.reader._buffer().length >= this.n || this.reader._eofFed();
  }
  #failure: unknown = undefined;
  override failure(): unknown {
    const buffer = this.reader._buffer();
    if (this.#failure === undefined && buffer.length < this.n) {
      this.#failure = this.reader._eofFed()
        ? new IncompleteReadError(buffer.peek(buffer.length), this.n)
        : new RuntimeError("readexactly(): another read consumed the data");
    }
    return this.#failure;
  }
  override run(): Buffer {
    const buffer = this.reader._buffer();
    const failure = this.failure();
    if (failure !== undefined) {
      if (failure instanceof IncompleteReadError) buffer.skip(failure.partial.length);
      throw failure;
    }
    const data = buffer.take(this.n);
    this.reader._consumed();
    return data;
  }
}

/** `readuntil()`: the scan of CPython's readuntil loop, resumed where the last one stopped. */
class ReadUntilOp extends ReadOp {
  readonly #seps: readonly Buffer[];
  readonly #opName: string;
  /** Where the next scan starts (bytes before it cannot begin a separator). */
  #offset = 0;
  #matchStart = -1;
  #matchEnd = -1;
  #scannedLength = -1;

  constructor(reader: StreamReader, seps: readonly Buffer[], name: string) {
    super(reader, reader.limit);
    this.#seps = seps;
    this.#opName = name;
  }

  override get name(): string {
    return this.#opName;
  }

  /** True when the read can finish (found, over the limit, or EOF). */
  override ready(): boolean {
    const buffer = this.reader._buffer();
    const buflen = buffer.length;
    if (this.#matchEnd === -1 && buflen !== this.#scannedLength) {
      this.#scannedLength = buflen;
      const seps = this.#seps;
      const offset = this.#offset;
      if (buflen - offset >= seps[0].length) {
        for (let i = 0; i < seps.length; i++) {
          const sep = seps[i];
          const isep = buffer.indexOf(sep, offset);
          if (isep !== -1) {
            const end = isep + sep.length;
            if (this.#matchEnd === -1 || end < this.#matchEnd) {
              this.#matchEnd = end;
              this.#matchStart = isep;
            }
          }
        }
        if (this.#matchEnd === -1) this.#offset = Math.max(0, buflen + 1 - seps[seps.length - 1].length);
      }
    }
    return this.#matchEnd !== -1 || this.#offset > this.n || this.reader._eofFed();
  }

  #failure: unknown = undefined;
  /** readuntil's error, if the read (ready) must fail: made once. */
  protected _untilFailure(): unknown {
    if (this.#failure !== undefined || this.#matchEnd !== -1 && this.#matchStart <= this.n) return this.#failure;
    const limit = this.n;
    if (!this.ready()) {
      this.#failure = new RuntimeError(`${this.#opName}(): another read consumed the data`);
    } else if (this.#matchEnd === -1) {
      const buffer = this.reader._buffer();
      this.#failure =
        this.#offset > limit
          ? new LimitOverrunError("Separator is not found, and chunk exceed the limit", this.#offset)
          : new IncompleteReadError(buffer.peek(buffer.length), null);
    } else {
      this.#failure = new LimitOverrunError("Separator is found, but chunk is longer than limit", this.#matchStart);
    }
    return this.#failure;
  }
  override failure(): unknown {
    return this._untilFailure();
  }
  /** Takes the bytes up to and including the separator found. */
  protected _takeMatch(): Buffer {
    const chunk = this.reader._buffer().take(this.#matchEnd);
    this.reader._consumed();
    return chunk;
  }
  override run(): Buffer {
    const failure = this._untilFailure();
    if (failure === undefined) return this._takeMatch();
    // At EOF without a separator, CPython's readuntil consumes what was there.
    if (failure instanceof IncompleteReadError) this.reader._buffer().skip(failure.partial.length);
    throw failure;
  }
}

/** `readline()`: `readuntil("\n")`, with readline's answers to EOF and to an overlong line. */
class ReadLineOp extends ReadUntilOp {
  constructor(reader: StreamReader) {
    super(reader, NEWLINES, "readline");
  }

  #failure: unknown = undefined;
  override failure(): unknown {
    const error = this._untilFailure();
    if (error === undefined || error instanceof IncompleteReadError) return undefined; // at EOF: what is left
    // Over the limit: Python's ValueError, made once.
    this.#failure ??= error instanceof LimitOverrunError ? new RangeError(error.message, { cause: error }) : error;
    return this.#failure;
  }
  override run(): Buffer {
    const error = this._untilFailure();
    if (error === undefined) return this._takeMatch();
    const buffer = this.reader._buffer();
    if (error instanceof IncompleteReadError) {
      const rest = buffer.take(buffer.length);
      this.reader._consumed();
      return rest;
    }
    if (error instanceof LimitOverrunError) {
      // The overlong line is dropped (up to its newline, or all that is there).
      if (buffer.startsWith(NEWLINE, error.consumed)) buffer.skip(error.consumed + 1);
      else buffer.clear();
      this.reader._consumed();
    }
    throw this.failure();
  }
}
