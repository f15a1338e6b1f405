import type { Readable, Writable } from "node:stream";
import type { EventLoop } from "@asyncio-ts/loop";
import { RuntimeError } from "@asyncio-ts/loop";
import { NodeStreamTransport, type BaseProtocol, type NodeStreamTransportOptions, type Protocol } from "@asyncio-ts/streams/lowlevel";
import { brokenPipeError } from "./node-errors.js";

const noop = (): void => {};

/**
 * What both ends of a pipe to a child share, over `NodeStreamTransport`:
 * `connectionMade` in the next iteration (scheduled at construction, so it
 * runs before any data), `"pipe"` as extra info, and a release that also
 * removes the transport's listeners. Not tracked for the loop's closing: the
 * subprocess transport that owns the pipes releases them then.
 */
abstract class PipeTransport extends NodeStreamTransport {
  readonly #stream: Readable | Writable;

  constructor(loop: EventLoop, stream: Readable | Writable, protocol: BaseProtocol, options: NodeStreamTransportOptions) {
    super(loop, stream, protocol, options);
    this.#stream = stream;
    // An error listener stays for the stream's whole life: an unhandled 'error' would crash Node.
    stream.on("error", noop);
    loop.callSoon(this.#connectionMade);
  }

  readonly #connectionMade = (): void => {
    if (this._isLost()) return;
    this.getProtocol().connectionMade?.(this);
  };

  protected override _releaseStream(): void {
    this._stopListening();
    super._releaseStream();
  }

  /** `"pipe"`: the Node stream; else `defaultValue`. */
  override getExtraInfo(name: string, defaultValue: unknown = undefined): unknown {
    return name === "pipe" ? this.#stream : defaultValue;
  }
}

/**
 * The read end of a pipe from a child (asyncio's `_UnixReadPipeTransport`),
 * over the Node stream of `child.stdout` / `child.stderr`. Not meant for
 * subclassing.
 *
 * `pauseReading()` pauses the Node stream, which stops reading the pipe: the
 * child then blocks on a full pipe, so memory stays bounded. Unlike a socket,
 * EOF always ends the transport: `eofReceived()`, then `connectionLost(null)`.
 * EOF and the end of the pipe wait behind data held while reading is paused.
 */
export class ReadPipeTransport extends PipeTransport {
  constructor(loop: EventLoop, stream: Readable, protocol: Protocol) {
    super(loop, stream, protocol, { reading: true, writing: false });
  }

  protected override _streamEnded(): void {
    if (!this.isClosing()) this._afterHeldData(this.#deliverEof);
  }

  protected override _streamClosed(): void {
    if (this._isLostScheduled()) return;
    const error = this._error();
    // A read error ends the pipe at once (asyncio's _fatal_error): what is held is dropped.
    if (error !== null) this._callConnectionLost(error);
    else this._afterHeldData(this.#pipeEnded);
  }

  readonly #deliverEof = (): void => {
    // asyncio: eof_received() then connection_lost(None) in the next iteration, whatever eofReceived returns.
    this._markConnectionLostScheduled();
    try {
      this.getProtocol().eofReceived?.();
    } finally {
      this._scheduleConnectionLost(null);
    }
  };

  readonly #pipeEnded = (): void => {
    this._callConnectionLost(null);
  };

  /** Closes the pipe now (unread data is dropped); `connectionLost(null)` follows in the next iteration. */
  override close(): void {
    if (!this.isClosing()) this._forceClose(null);
  }

  override abort(): void {
    this.close();
  }

  // A read pipe has no write side; these exist because Transport is asyncio's combined interface.
  override setWriteBufferLimits(): void {
    throw new RuntimeError("a read pipe has no write buffer");
  }
  override getWriteBufferSize(): number {
    return 0;
  }
  override getWriteBufferLimits(): [low: number, high: number] {
    return [0, 0];
  }
  override write(): void {
    throw new RuntimeError("cannot write to a read pipe");
  }
  override writelines(): void {
    throw new RuntimeError("cannot write to a read pipe");
  }
  override writeEof(): void {
    throw new RuntimeError("cannot write to a read pipe");
  }
  override canWriteEof(): boolean {
    return false;
  }

  override toString(): string {
    return `<ReadPipeTransport ${this._isLost() ? "closed" : this.isClosing() ? "closing" : this.isReading() ? "open" : "paused"}>`;
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
export class WritePipeTransport extends PipeTransport {
  readonly #stream: Writable;
  readonly #hooks: WritePipeHooks;
  #closedByUs = false;
  #unflushed = 0;

  constructor(loop: EventLoop, stream: Writable, protocol: BaseProtocol, hooks: WritePipeHooks = {}) {
    super(loop, stream, protocol, { reading: false, writing: true });
    this.#stream = stream;
    this.#hooks = hooks;
  }

  protected override _streamClosed(): void {
    let error = this._error();
    if (error === null && this.#unflushed > 0 && !this.#closedByUs) error = brokenPipeError();
    this._callConnectionLost(error);
  }

  /** Closes after the buffered data is written (the child sees EOF); `connectionLost` follows. */
  override close(): void {
    if (this.isClosing()) return;
    this.#closedByUs = true;
    const stream = this.#stream;
    if (stream.writableLength === 0 || stream.destroyed) this._forceClose(this._error());
    else super.close();
  }

  /**
   * @internal The subprocess transport is closing (the child exited or is being
   * killed): unlike `close()` by the writer's owner, writes after this are
   * reported as a broken pipe.
   */
  _closeForChild(): void {
    if (this.isClosing()) return;
    let error = this._error();
    if (error === null && this.#unflushed > 0) error = brokenPipeError();
    this._forceClose(error);
  }

  /** Closes at once; buffered data is lost. */
  override abort(): void {
    if (this._isLostScheduled()) return;
    this.#closedByUs = true;
    this._forceClose(null);
  }

  /**
   * Buffers `bytes` for the child. After `close()` they are dropped, as
   * asyncio does; after the pipe broke (the child closed its stdin or exited)
   * they are dropped too and the next `drain()` fails with an `EPIPE` error.
   */
  protected override _writeBytes(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    const stream = this.#stream;
    if (this.isClosing() || stream.destroyed) {
      if (!this.#closedByUs) this.#hooks.onBrokenWrite?.(this._error() ?? brokenPipeError());
      return;
    }
    const size = bytes.length;
    this.#unflushed += size;
    stream.write(bytes, (error) => {
      if (error === null || error === undefined) this.#unflushed -= size;
    });
    const failed = stream.errored;
    if (failed !== null && failed !== undefined) {
      // Node failed the write at once (EPIPE: the child is gone); its 'error' and 'close' follow.
      this._recordError(failed);
      this.#hooks.onBrokenWrite?.(failed);
      return;
    }
    this._maybePauseProtocol();
  }

  /** For a pipe, EOF is closing it (asyncio's `write_eof` on a pipe). */
  override writeEof(): void {
    this.close();
  }

  override toString(): string {
    return `<WritePipeTransport ${this._isLost() ? "closed" : this.isClosing() ? "closing" : "open"} bufsize=${this.#stream.writableLength}>`;
  }
}
