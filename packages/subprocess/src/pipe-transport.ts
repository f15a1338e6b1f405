import type { Readable, Writable } from "node:stream";
import type { EventLoop } from "@asyncio-ts/loop";
import { RuntimeError } from "@asyncio-ts/loop";
import { describeValue } from "@asyncio-ts/loop/lowlevel";
import type { BaseProtocol, Protocol, Transport } from "@asyncio-ts/streams/lowlevel";
import { brokenPipeError } from "./node-errors.js";

const DEFAULT_HIGH = 64 * 1024;
const EMPTY = Buffer.alloc(0);
const EOF = Symbol("eof");
const LOST = Symbol("lost");
const noop = (): void => {};

function toBytes(data: unknown, where: string): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (typeof data === "string") return Buffer.from(data, "utf8");
  throw new TypeError(`${where}() takes bytes (a Uint8Array) or a string, got ${describeValue(data)}`);
}

/**
 * The read end of a pipe from a child (asyncio's `_UnixReadPipeTransport`),
 * over the Node stream of `child.stdout` / `child.stderr`. Not meant for
 * subclassing.
 *
 * Every Node event is forwarded into the loop with `loop.callSoon`, in order:
 * protocol callbacks are loop callbacks. `pauseReading()` pauses the Node
 * stream, which stops reading the pipe: the child then blocks on a full pipe,
 * so memory stays bounded.
 *
 * Invariants: `#queue` holds what arrived (already scheduled) while reading was
 * paused, in order — chunks, then maybe EOF and the end of the pipe; it is
 * delivered before anything newer. `#lost` becomes true once, when
 * `connectionLost` is delivered; no protocol callback runs after it.
 */
export class ReadPipeTransport implements Transport {
  readonly #loop: EventLoop;
  readonly #stream: Readable;
  #protocol: Protocol;
  #closing = false;
  #lost = false;
  #lostScheduled = false;
  #paused = false;
  #error: Error | null = null;
  readonly #queue: (Buffer | typeof EOF | typeof LOST)[] = [];
  #flushScheduled = false;

  constructor(loop: EventLoop, stream: Readable, protocol: Protocol) {
    this.#loop = loop;
    this.#stream = stream;
    this.#protocol = protocol;
    // An error listener stays for the stream's whole life: an unhandled 'error' would crash Node.
    stream.on("error", noop);
    stream.on("data", this.#onNodeData);
    stream.on("end", this.#onNodeEnd);
    stream.on("error", this.#onNodeError);
    stream.on("close", this.#onNodeClose);
    loop.callSoon(this.#connectionMade);
  }

  #schedule<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): void {
    if (this.#loop.isClosed()) {
      this._destroy();
      return;
    }
    this.#loop.callSoon(callback, ...args);
  }

  readonly #onNodeData = (chunk: Buffer): void => this.#schedule(this.#dataReceived, chunk);
  readonly #onNodeEnd = (): void => this.#schedule(this.#eofReceived);
  readonly #onNodeError = (error: Error): void => {
    this.#error ??= error;
  };
  readonly #onNodeClose = (): void => this.#schedule(this.#pipeClosed);

  readonly #connectionMade = (): void => {
    if (this.#lost) return;
    this.#protocol.connectionMade?.(this);
  };

  readonly #dataReceived = (chunk: Buffer): void => {
    if (this.#closing || this.#lost) return;
    if (this.#paused || this.#queue.length > 0) this.#queue.push(chunk);
    else this.#deliver(chunk);
  };

  readonly #eofReceived = (): void => {
    if (this.#closing || this.#lost) return;
    if (this.#paused || this.#queue.length > 0) this.#queue.push(EOF);
    else this.#deliverEof();
  };

  readonly #pipeClosed = (): void => {
    if (this.#lost || this.#lostScheduled) return;
    if (this.#error !== null) {
      // A read error ends the pipe at once (asyncio's _fatal_error): what is queued is dropped.
      this.#callConnectionLost(this.#error);
    } else if (this.#paused || this.#queue.length > 0) {
      this.#queue.push(LOST);
    } else {
      this.#callConnectionLost(null);
    }
  };

  #deliver(chunk: Buffer): void {
    try {
      this.#protocol.dataReceived(chunk);
    } catch (error) {
      this.#fatalError(error, "Fatal error: protocol.dataReceived() call failed.");
    }
  }

  #deliverEof(): void {
    // asyncio: eof_received() then connection_lost(None) in the next iteration, whatever eofReceived returns.
    this.#closing = true;
    this.#lostScheduled = true;
    try {
      this.#protocol.eofReceived?.();
    } finally {
      this.#loop.callSoon(this.#callConnectionLost, null);
    }
  }

  readonly #flushQueue = (): void => {
    this.#flushScheduled = false;
    while (this.#queue.length > 0 && !this.#paused && !this.#closing && !this.#lost) {
      const item = this.#queue.shift()!;
      if (item === EOF) this.#deliverEof();
      else if (item === LOST) this.#callConnectionLost(null);
      else this.#deliver(item);
    }
  };

  readonly #callConnectionLost = (error: Error | null): void => {
    if (this.#lost) return;
    this.#lost = true;
    this.#closing = true;
    this.#queue.length = 0;
    this.#detach();
    this.#protocol.connectionLost?.(error);
  };

  #fatalError(error: unknown, message: string): void {
    this.#loop.callExceptionHandler({ message, exception: error, transport: this, protocol: this.#protocol });
    if (this.#lost || this.#lostScheduled) return;
    this.#closing = true;
    this.#lostScheduled = true;
    this.#stream.destroy();
    this.#loop.callSoon(this.#callConnectionLost, error instanceof Error ? error : null);
  }

  #detach(): void {
    const stream = this.#stream;
    stream.off("data", this.#onNodeData);
    stream.off("end", this.#onNodeEnd);
    stream.off("error", this.#onNodeError);
    stream.off("close", this.#onNodeClose);
    if (!stream.destroyed) stream.destroy();
  }

  /** @internal The loop closed: release the pipe, without callbacks. */
  _destroy(): void {
    this.#closing = true;
    this.#lost = true;
    this.#queue.length = 0;
    this.#detach();
  }

  /** `"pipe"`: the Node stream; else `defaultValue`. */
  getExtraInfo(name: string, defaultValue: unknown = undefined): unknown {
    return name === "pipe" ? this.#stream : defaultValue;
  }

  isClosing(): boolean {
    return this.#closing;
  }

  /** Closes the pipe now (unread data is dropped); `connectionLost(null)` follows in the next iteration. */
  close(): void {
    if (this.#closing) return;
    this.#closing = true;
    this.#lostScheduled = true;
    this.#queue.length = 0;
    this.#stream.destroy();
    this.#loop.callSoon(this.#callConnectionLost, null);
  }

  abort(): void {
    this.close();
  }

  setProtocol(protocol: Protocol): void {
    this.#protocol = protocol;
  }

  getProtocol(): Protocol {
    return this.#protocol;
  }

  isReading(): boolean {
    return !this.#paused && !this.#closing;
  }

  pauseReading(): void {
    if (this.#closing || this.#paused) return;
    this.#paused = true;
    this.#stream.pause();
  }

  resumeReading(): void {
    if (this.#closing || !this.#paused) return;
    this.#paused = false;
    if (this.#queue.length > 0 && !this.#flushScheduled) {
      this.#flushScheduled = true;
      this.#loop.callSoon(this.#flushQueue);
    }
    this.#stream.resume();
  }

  // A read pipe has no write side; these exist because Transport is asyncio's combined interface.
  setWriteBufferLimits(): void {
    throw new RuntimeError("a read pipe has no write buffer");
  }
  getWriteBufferSize(): number {
    return 0;
  }
  getWriteBufferLimits(): [low: number, high: number] {
    return [0, 0];
  }
  write(): void {
    throw new RuntimeError("cannot write to a read pipe");
  }
  writelines(): void {
    throw new RuntimeError("cannot write to a read pipe");
  }
  writeEof(): void {
    throw new RuntimeError("cannot write to a read pipe");
  }
  canWriteEof(): boolean {
    return false;
  }

  toString(): string {
    return `<ReadPipeTransport ${this.#lost ? "closed" : this.#closing ? "closing" : this.#paused ? "paused" : "open"}>`;
  }
}

/** What the write pipe tells its owner beyond the protocol callbacks. */
export interface WritePipeHooks {
  /**
   * The pipe is broken and a write was lost: dropped after the pipe ended (not
   * closed by us; `error` is then a made-up EPIPE error), or failed at once in
   * Node (`error` is Node's). The next `drain()` should fail with it.
   */
  onBrokenWrite?(error: Error): void;
}

/**
 * The write end of a pipe to a child (asyncio's `_UnixWritePipeTransport`),
 * over the Node stream of `child.stdin`. Not meant for subclassing.
 *
 * Writes never block: they go to Node's buffer, and the protocol's
 * `pauseWriting()` / `resumeWriting()` say when it is over the high-water mark
 * (64 KiB) and back under the low-water mark. `writeEof()` is `close()`, as
 * for asyncio's pipes.
 *
 * Invariants: `#closedByUs` is set by `close()`/`writeEof()`/`abort()`;
 * `#unflushed` counts bytes handed to Node whose write has not completed — a
 * pipe that ends while it is > 0 (or with Node's EPIPE error) ended broken,
 * and `connectionLost` gets an `EPIPE` error; one that ends otherwise gets
 * `null`.
 */
export class WritePipeTransport implements Transport {
  readonly #loop: EventLoop;
  readonly #stream: Writable;
  #protocol: BaseProtocol;
  readonly #hooks: WritePipeHooks;
  #closing = false;
  #closedByUs = false;
  #lost = false;
  #lostScheduled = false;
  #protocolPaused = false;
  #high = DEFAULT_HIGH;
  #low = DEFAULT_HIGH / 4;
  #error: Error | null = null;
  #unflushed = 0;

  constructor(loop: EventLoop, stream: Writable, protocol: BaseProtocol, hooks: WritePipeHooks = {}) {
    this.#loop = loop;
    this.#stream = stream;
    this.#protocol = protocol;
    this.#hooks = hooks;
    stream.on("error", noop);
    stream.on("error", this.#onNodeError);
    stream.on("close", this.#onNodeClose);
    stream.on("drain", this.#onNodeDrain);
    loop.callSoon(this.#connectionMade);
  }

  #schedule<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): void {
    if (this.#loop.isClosed()) {
      this._destroy();
      return;
    }
    this.#loop.callSoon(callback, ...args);
  }

  readonly #onNodeError = (error: Error): void => {
    this.#error ??= error;
  };
  readonly #onNodeClose = (): void => this.#schedule(this.#pipeClosed);
  readonly #onNodeDrain = (): void => this.#schedule(this.#maybeResumeProtocol);

  readonly #connectionMade = (): void => {
    if (this.#lost) return;
    (this.#protocol as Protocol).connectionMade?.(this);
  };

  readonly #pipeClosed = (): void => {
    if (this.#lost) return;
    let error = this.#error;
    if (error === null && this.#unflushed > 0 && !this.#closedByUs) error = brokenPipeError();
    this.#callConnectionLost(error);
  };

  readonly #callConnectionLost = (error: Error | null): void => {
    if (this.#lost) return;
    this.#lost = true;
    this.#closing = true;
    this.#detach();
    this.#protocol.connectionLost?.(error);
  };

  #detach(): void {
    const stream = this.#stream;
    stream.off("error", this.#onNodeError);
    stream.off("close", this.#onNodeClose);
    stream.off("drain", this.#onNodeDrain);
    if (!stream.destroyed) stream.destroy();
  }

  /** @internal The loop closed: release the pipe, without callbacks. */
  _destroy(): void {
    this.#closing = true;
    this.#lost = true;
    this.#detach();
  }

  /** `"pipe"`: the Node stream; else `defaultValue`. */
  getExtraInfo(name: string, defaultValue: unknown = undefined): unknown {
    return name === "pipe" ? this.#stream : defaultValue;
  }

  isClosing(): boolean {
    return this.#closing;
  }

  /** Closes after the buffered data is written (the child sees EOF); `connectionLost` follows. */
  close(): void {
    if (this.#closing) return;
    this.#closing = true;
    this.#closedByUs = true;
    const stream = this.#stream;
    if (stream.writableLength === 0 || stream.destroyed) {
      this.#lostScheduled = true;
      stream.destroy();
      this.#loop.callSoon(this.#callConnectionLost, this.#error);
    } else {
      stream.end();
    }
  }

  /**
   * @internal The subprocess transport is closing (the child exited or is being
   * killed): unlike `close()` by the writer's owner, writes after this are
   * reported as a broken pipe.
   */
  _closeForChild(): void {
    if (this.#closing) return;
    this.#closing = true;
    this.#lostScheduled = true;
    let error = this.#error;
    if (error === null && this.#unflushed > 0) error = brokenPipeError();
    this.#stream.destroy();
    this.#loop.callSoon(this.#callConnectionLost, error);
  }

  /** Closes at once; buffered data is lost. */
  abort(): void {
    if (this.#lost || this.#lostScheduled) return;
    this.#closing = true;
    this.#closedByUs = true;
    this.#lostScheduled = true;
    this.#stream.destroy();
    this.#loop.callSoon(this.#callConnectionLost, null);
  }

  setProtocol(protocol: Protocol): void {
    this.#protocol = protocol;
  }

  getProtocol(): Protocol {
    return this.#protocol as Protocol;
  }

  // A write pipe is never read; these exist because Transport is asyncio's combined interface.
  isReading(): boolean {
    return false;
  }
  pauseReading(): void {}
  resumeReading(): void {}

  setWriteBufferLimits(high: number | null = null, low: number | null = null): void {
    if (high !== null && (typeof high !== "number" || Number.isNaN(high))) throw new TypeError(`high must be a number of bytes, got ${describeValue(high)}`);
    if (low !== null && (typeof low !== "number" || Number.isNaN(low))) throw new TypeError(`low must be a number of bytes, got ${describeValue(low)}`);
    if (high === null) high = low === null ? DEFAULT_HIGH : 4 * low;
    if (low === null) low = Math.floor(high / 4);
    if (!(high >= low && low >= 0)) throw new RangeError(`high (${high}) must be >= low (${low}) must be >= 0`);
    this.#high = high;
    this.#low = low;
    this.#maybePauseProtocol();
  }

  getWriteBufferSize(): number {
    return this.#stream.writableLength;
  }

  getWriteBufferLimits(): [low: number, high: number] {
    return [this.#low, this.#high];
  }

  /**
   * Buffers `data` for the child. After `close()` the data is dropped, as
   * asyncio does; after the pipe broke (the child closed its stdin or exited)
   * it is dropped too and the next `drain()` fails with an `EPIPE` error.
   */
  write(data: Uint8Array | string): void {
    const bytes = toBytes(data, "write");
    if (bytes.length === 0) return;
    if (this.#closing || this.#lost || this.#stream.destroyed) {
      if (!this.#closedByUs) this.#hooks.onBrokenWrite?.(this.#error ?? brokenPipeError());
      return;
    }
    const size = bytes.length;
    this.#unflushed += size;
    this.#stream.write(bytes, (error) => {
      if (error === null || error === undefined) this.#unflushed -= size;
    });
    const failed = this.#stream.errored;
    if (failed !== null && failed !== undefined) {
      // Node failed the write at once (EPIPE: the child is gone); its 'error' and 'close' follow.
      this.#error ??= failed;
      this.#hooks.onBrokenWrite?.(failed);
      return;
    }
    this.#maybePauseProtocol();
  }

  writelines(list: Iterable<Uint8Array | string>): void {
    if (list === null || typeof (list as Iterable<unknown>)?.[Symbol.iterator] !== "function") {
      throw new TypeError(`writelines() takes an iterable of bytes or strings, got ${describeValue(list)}`);
    }
    const parts: Uint8Array[] = [];
    for (const item of list) parts.push(toBytes(item, "writelines"));
    if (parts.length > 0) this.write(parts.length === 1 ? parts[0] : Buffer.concat(parts));
  }

  /** For a pipe, EOF is closing it (asyncio's `write_eof` on a pipe). */
  writeEof(): void {
    this.close();
  }

  canWriteEof(): boolean {
    return true;
  }

  #maybePauseProtocol(): void {
    if (this.#protocolPaused || this.#stream.writableLength <= this.#high) return;
    this.#protocolPaused = true;
    try {
      this.#protocol.pauseWriting?.();
    } catch (error) {
      this.#loop.callExceptionHandler({ message: "protocol.pauseWriting() failed", exception: error, transport: this, protocol: this.#protocol });
    }
    // Node emits 'drain' only past its own high-water mark: ask for a callback once the queue is written.
    if (!this.#stream.writableNeedDrain) this.#stream.write(EMPTY, () => this.#onNodeDrain());
  }

  readonly #maybeResumeProtocol = (): void => {
    if (!this.#protocolPaused || this.#lost) return;
    if (this.#stream.writableLength > this.#low) {
      if (!this.#stream.writableNeedDrain) this.#stream.write(EMPTY, () => this.#onNodeDrain());
      return;
    }
    this.#protocolPaused = false;
    try {
      this.#protocol.resumeWriting?.();
    } catch (error) {
      this.#loop.callExceptionHandler({ message: "protocol.resumeWriting() failed", exception: error, transport: this, protocol: this.#protocol });
    }
  };

  toString(): string {
    return `<WritePipeTransport ${this.#lost ? "closed" : this.#closing ? "closing" : "open"} bufsize=${this.#stream.writableLength}>`;
  }
}
