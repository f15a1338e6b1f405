import type { Duplex, Readable, Writable } from "node:stream";
import type { EventLoop } from "@asyncio-ts/loop";
import { RuntimeError } from "@asyncio-ts/loop";
import { describeValue } from "@asyncio-ts/loop/lowlevel";
import { hasSyncCallbacks, type BaseProtocol, type Protocol } from "./protocol.js";
import { toBytes } from "./to-bytes.js";
import type { Closeable } from "./track-resource.js";
import type { Transport } from "./transport.js";

const DEFAULT_HIGH = 64 * 1024;
/**
 * The most the transport holds between the stream and the protocol before it
 * pauses the stream (asyncio reads at most 256 KiB per socket per iteration).
 * It resumes the stream once what it holds is down to half of this.
 */
const MAX_HELD = 256 * 1024;
const EMPTY = Buffer.alloc(0);

/** Which sides of the Node stream a `NodeStreamTransport` uses. */
export interface NodeStreamTransportOptions {
  /** Listen for `'data'`/`'end'`; `pauseReading()`/`resumeReading()` pause the stream. Default `true`. */
  reading?: boolean;
  /** Listen for `'drain'`; the write buffer is the stream's. Default `true`. */
  writing?: boolean;
}

/**
 * A `Transport` over a Node `Readable`, `Writable` or `Duplex` stream: the
 * mechanics every such transport shares (asyncio's `_SelectorTransport` and
 * `_FlowControlMixin`), for library authors to build transports on.
 * `SocketTransport` and the subprocess pipe transports are built on it.
 *
 * - **Into the loop.** Every Node event is delivered by a loop callback, in
 *   the order Node emitted it, so protocol callbacks run as loop callbacks,
 *   never inside a Node handler. The chunks that arrive between two loop
 *   iterations are delivered by one callback, one `dataReceived` each (as one
 *   bigger read would bring them). An event that comes after the loop closed
 *   destroys the transport instead (`_destroyOnLoopClose()`).
 * - **Reading.** `pauseReading()` pauses the stream: no `dataReceived` comes
 *   until `resumeReading()`; what was already on its way is held, and
 *   delivered, in order, before anything newer. The transport holds at most
 *   about 256 KiB (plus one chunk): past that it pauses the stream too, and
 *   resumes it once the protocol is reading and has taken most of it, so
 *   memory stays bounded however fast the stream brings data and however
 *   often the protocol pauses and resumes.
 * - **Microtasks.** A protocol callback is followed by a microtask drain
 *   (CONTRACT §1), except for `StreamReaderProtocol`, whose callbacks queue
 *   none.
 * - **Writing.** Writes go to the stream's buffer and never block; the
 *   protocol's `pauseWriting()`/`resumeWriting()` say when that buffer went
 *   over the high-water mark and back under the low-water mark.
 * - **Closing.** `connectionLost` is delivered once, after which no other
 *   protocol callback runs; an exception from `dataReceived` is reported to
 *   the loop's exception handler and aborts the transport.
 *
 * Designed for subclassing: the defaults are a socket's (EOF closes unless
 * `eofReceived()` returns `true`; `close()` flushes, then destroys). The
 * `_`-prefixed protected methods are the extension points: override
 * `_streamEnded`, `_streamClosed`, `_writeBytes`, `_releaseStream` or
 * `_connectionLost` to change that policy, and call the others to drive the
 * state. The subclass calls `connectionMade` itself (when is its choice), and
 * decides whether to `trackResource` the transport.
 *
 * @example
 * class SerialTransport extends NodeStreamTransport {
 *   constructor(loop: EventLoop, port: Duplex, protocol: Protocol) {
 *     super(loop, port, protocol);
 *     loop.callSoon(() => protocol.connectionMade?.(this));
 *   }
 *   getExtraInfo(name: string, defaultValue?: unknown): unknown {
 *     return name === "serial" ? port : defaultValue;
 *   }
 * }
 */
export abstract class NodeStreamTransport implements Transport, Closeable {
  readonly #loop: EventLoop;
  /** Typed as a Duplex; only the readable side is used when reading, the writable side when writing. */
  readonly #stream: Duplex;
  #protocol: Protocol;
  readonly #reading: boolean;
  // Invariants: `#lost` and `#detached` each imply `#closing`; `#lost` becomes
  // true once, when connectionLost is (about to be) delivered, and no protocol
  // callback runs after it; `#lostScheduled` means a connectionLost call is
  // queued in the loop (or was delivered). `#detached`: the stream was handed
  // to another owner (`_handOver`); its events already in the loop are dropped.
  #closing = false;
  #lost = false;
  #lostScheduled = false;
  #detached = false;
  #eof = false;
  /** The first error Node reported; connectionLost gets it when the stream closes. */
  #error: Error | null;
  // Reading. `#held[#heldHead..]` is what arrived (chunks, and actions such as
  // EOF that must come after them) and was not delivered yet, in arrival order;
  // `#heldBytes` counts its bytes. Invariants: while it is non-empty and reading
  // is not paused (`#paused`), a flush is scheduled; `#streamPaused` (the Node
  // stream is paused by us) holds while `#paused` or while `#heldBytes` is over
  // MAX_HELD / 2 after having gone over MAX_HELD.
  #paused = false;
  #streamPaused = false;
  #held: (Buffer | (() => void) | undefined)[] = [];
  #heldHead = 0;
  #heldBytes = 0;
  #flushScheduled = false;
  /** The protocol's callbacks queue no microtasks (see `SYNC_CALLBACKS`): no microtask drain after them. */
  #syncProtocol: boolean;
  // Writing. Invariant: `#protocolPaused` is true between the protocol's
  // pauseWriting() and resumeWriting(); while it is, a 'drain' (real, or the
  // callback of an empty write) is on its way.
  #high = DEFAULT_HIGH;
  #low = DEFAULT_HIGH / 4;
  #protocolPaused = false;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Node listeners of several signatures
  readonly #listeners: [string, (...args: any[]) => void][] = [];

  constructor(loop: EventLoop, stream: Readable | Writable | Duplex, protocol: BaseProtocol, options: NodeStreamTransportOptions = {}) {
    this.#loop = loop;
    this.#stream = stream as Duplex;
    this.#protocol = protocol as Protocol;
    this.#syncProtocol = hasSyncCallbacks(protocol);
    this.#reading = options.reading ?? true;
    this.#error = (stream.errored as Error | null) ?? null;
    if (this.#reading) this.#listeners.push(["data", this.#onNodeData], ["end", this.#onNodeEnd]);
    this.#listeners.push(["error", this.#onNodeError], ["close", this.#onNodeClose]);
    if (options.writing ?? true) this.#listeners.push(["drain", this.#onNodeDrain]);
    for (const [event, listener] of this.#listeners) stream.on(event, listener);
  }

  // ---- Node events (run in Node's handlers: only forward into the loop) --------------

  #schedule<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): void {
    if (this.#loop.isClosed()) {
      this._destroyOnLoopClose();
      return;
    }
    this.#loop.callSoon(callback, ...args);
  }

  readonly #onNodeData = (chunk: Buffer): void => {
    if (this.#closing) return; // dropped, as asyncio drops what arrives once closing
    if (this.#loop.isClosed()) {
      this._destroyOnLoopClose();
      return;
    }
    this.#held.push(chunk);
    this.#heldBytes += chunk.length;
    if (!this.#flushScheduled && !this.#paused) this.#scheduleFlush();
    if (this.#heldBytes > MAX_HELD && !this.#streamPaused) {
      this.#streamPaused = true;
      this.#stream.pause();
    }
  };
  readonly #onNodeEnd = (): void => {
    this.#schedule(this.#streamEnded);
  };
  readonly #onNodeError = (error: Error): void => {
    // 'close' follows; the error goes to connectionLost then.
    this.#error ??= error;
    // Except when the stream stays open: a TLSSocket reports an error after the handshake (a
    // corrupt record) without destroying itself. An error is fatal, as asyncio's _fatal_error.
    if (!this.#stream.destroyed) this.#stream.destroy();
  };
  readonly #onNodeClose = (): void => {
    this.#schedule(this.#streamClosed);
  };
  readonly #onNodeDrain = (): void => {
    if (this.#loop.isClosed()) {
      this._destroyOnLoopClose();
      return;
    }
    this.#loop._callSoonInternal(this.#maybeResumeProtocol, this, undefined, false);
  };

  #scheduleFlush(): void {
    this.#flushScheduled = true;
    // A pooled loop handle, without a microtask drain unless the callback asks for one (#drainUnlessSync).
    this.#loop._callSoonInternal(this.#flushHeld, this, undefined, false);
  }

  /** In a loop callback that called into the protocol: the loop drains microtasks after it, unless the protocol queues none. */
  #drainUnlessSync(): void {
    if (!this.#syncProtocol) this.#loop._markDrain();
  }

  // ---- loop callbacks ---------------------------------------------------------------

  #deliver(chunk: Buffer): void {
    try {
      this.#protocol.dataReceived(chunk);
    } catch (error) {
      this._fatalError(error, "Fatal error: protocol.dataReceived() call failed.");
    }
  }

  readonly #streamEnded = (): void => {
    if (!this.#detached) this._streamEnded();
  };

  readonly #streamClosed = (): void => {
    if (!this.#detached) this._streamClosed();
  };

  /** The loop callback that delivers what arrived, until reading is paused or the transport closes. */
  readonly #flushHeld = (): void => {
    this.#flushScheduled = false;
    const held = this.#held;
    this.#drainUnlessSync();
    // An action or a failing dataReceived that closes the transport ends the loop.
    while (this.#heldHead < held.length && !this.#paused && !this.#closing) {
      const item = held[this.#heldHead]!;
      held[this.#heldHead++] = undefined;
      if (typeof item === "function") {
        this.#loop._markDrain(); // a subclass's action may call anything
        item();
      } else {
        this.#heldBytes -= item.length;
        this.#deliver(item);
      }
    }
    this.#drainUnlessSync(); // the protocol may have been replaced meanwhile
    if (this.#heldHead === held.length && held === this.#held) this.#clearHeld();
    this.#maybeResumeStream();
  };

  #maybeResumeStream(): void {
    if (this.#streamPaused && !this.#paused && this.#heldBytes <= MAX_HELD / 2 && !this.#closing) {
      this.#streamPaused = false;
      this.#stream.resume();
    }
  }

  #clearHeld(): void {
    const held = this.#held;
    // pop() stays in JIT code; setting `length` is a runtime call, which this path (once per delivery) notices.
    if (held.length > 64) this.#held = [];
    else while (held.length > 0) held.pop();
    this.#heldHead = 0;
    this.#heldBytes = 0;
  }

  #hasHeld(): boolean {
    return this.#heldHead < this.#held.length;
  }

  readonly #deliverEof = (): void => {
    let keepOpen: unknown;
    try {
      keepOpen = this.#protocol.eofReceived?.();
    } catch (error) {
      this._fatalError(error, "Fatal error: protocol.eofReceived() call failed.");
      return;
    }
    // Half-open needs a write side that can still send EOF (not so over TLS, as in asyncio).
    if (keepOpen !== true || !this.canWriteEof()) this.close();
  };

  readonly #callConnectionLost = (error: Error | null): void => {
    if (this.#lost || this.#detached) return;
    this.#lost = true;
    this.#closing = true;
    this.#clearHeld();
    this._releaseStream();
    this._connectionLost(error);
  };

  // ---- extension points (for subclasses) --------------------------------------------

  /**
   * In the loop, the stream ended (`'end'`). Default: unless connectionLost
   * came, `eofReceived()` after the held data; the transport closes unless it
   * returned `true` and `canWriteEof()`.
   */
  protected _streamEnded(): void {
    if (this.#lost) return;
    this._afterHeldData(this.#deliverEof);
  }

  /** In the loop, the stream closed (`'close'`). Default: connectionLost with the first error Node reported, or `null`. */
  protected _streamClosed(): void {
    this.#callConnectionLost(this.#error);
  }

  /** Writes `bytes` (from `write()`/`writelines()`, already converted). Default: dropped once closing, as asyncio does; else buffered in the stream. */
  protected _writeBytes(bytes: Uint8Array): void {
    if (this.#eof) throw new RuntimeError("Cannot call write() after writeEof()");
    if (bytes.length === 0) return;
    // asyncio drops writes once the connection is lost (drain() then raises).
    if (this.#closing) return;
    this.#stream.write(bytes);
    this._maybePauseProtocol();
  }

  /** The transport is done with the stream (lost, or the loop closed): no callback may run from here. Default: destroy it. */
  protected _releaseStream(): void {
    if (!this.#stream.destroyed) this.#stream.destroy();
  }

  /** Tells the protocol the connection is gone; runs once. */
  protected _connectionLost(error: Error | null): void {
    this.#protocol.connectionLost?.(error);
  }

  /** `loop.callSoon(callback, ...args)`, or, once the loop is closed, `_destroyOnLoopClose()` instead: for work a Node event starts. */
  protected _schedule<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): void {
    this.#schedule(callback, ...args);
  }

  /** Runs `action` now, or, while reading is paused or data is held, after the held data (EOF must not overtake data). */
  protected _afterHeldData(action: () => void): void {
    if (this.#paused || this.#hasHeld()) this.#held.push(action);
    else action();
  }

  /** Delivers connectionLost(`error`) now, unless it was delivered already. */
  protected _callConnectionLost(error: Error | null): void {
    this.#callConnectionLost(error);
  }

  /** From now on the transport is closing and connectionLost is on its way (the caller schedules it). */
  protected _markConnectionLostScheduled(): void {
    this.#closing = true;
    this.#lostScheduled = true;
  }

  /** Closing: connectionLost(`error`) in the next loop iteration. */
  protected _scheduleConnectionLost(error: Error | null): void {
    this._markConnectionLostScheduled();
    this.#loop.callSoon(this.#callConnectionLost, error);
  }

  /** Closes at once (asyncio's `_force_close`): destroys the stream, buffered data is lost; connectionLost(`error`) follows. No-op once connectionLost is on its way. */
  protected _forceClose(error: Error | null): void {
    if (this.#lost || this.#lostScheduled) return;
    this._markConnectionLostScheduled();
    this.#stream.destroy();
    this.#loop.callSoon(this.#callConnectionLost, error);
  }

  /** Reports `error` from a protocol callback to the loop's exception handler, then `_forceClose`s. */
  protected _fatalError(error: unknown, message: string): void {
    this.#loop.callExceptionHandler({ message, exception: error, transport: this, protocol: this.#protocol });
    this._forceClose(error instanceof Error ? error : null);
  }

  /** The first error Node reported on the stream, or `null`. */
  protected _error(): Error | null {
    return this.#error;
  }

  /** Records `error` as the stream's error unless one was reported before. */
  protected _recordError(error: Error): void {
    this.#error ??= error;
  }

  /** connectionLost was delivered. */
  protected _isLost(): boolean {
    return this.#lost;
  }

  /** connectionLost was delivered or is on its way. */
  protected _isLostScheduled(): boolean {
    return this.#lost || this.#lostScheduled;
  }

  /** Removes this transport's Node listeners from the stream. */
  protected _stopListening(): void {
    for (const [event, listener] of this.#listeners) this.#stream.removeListener(event, listener);
  }

  /**
   * Hands the stream to another owner (e.g. a TLS wrapper): the transport stops
   * listening, is closing from now on and delivers nothing more. Returns the
   * data that arrived but was not delivered yet.
   */
  protected _handOver(): Buffer[] {
    this.#detached = true;
    this.#closing = true;
    this._stopListening();
    const held = this.#held.slice(this.#heldHead).filter((item): item is Buffer => item !== undefined && typeof item !== "function");
    this.#clearHeld();
    return held;
  }

  /** @internal The loop closed with the transport open: release the stream, without callbacks. */
  _destroyOnLoopClose(): void {
    this.#closing = true;
    this.#lost = true;
    this.#clearHeld();
    this._releaseStream();
  }

  // ---- the Transport API ------------------------------------------------------------

  /** Nothing by default: subclasses name what they know. */
  getExtraInfo(_name: string, defaultValue: unknown = undefined): unknown {
    return defaultValue;
  }

  isClosing(): boolean {
    return this.#closing;
  }

  /** Closes after the buffered data is flushed (held data is dropped); connectionLost(null) follows. */
  close(): void {
    if (this.#closing) return;
    this.#closing = true;
    this.#clearHeld();
    const stream = this.#stream;
    if (stream.writableLength === 0 || stream.destroyed) {
      // Nothing to flush: connectionLost in the next iteration, as asyncio does.
      this.#lostScheduled = true;
      stream.destroy();
      this.#loop.callSoon(this.#callConnectionLost, null);
    } else {
      // Node's Socket.destroySoon(), for any Duplex: 'close' then reports the loss.
      if (this.#reading) stream.pause();
      if (stream.writable) stream.end();
      if (stream.writableFinished) stream.destroy();
      else stream.once("finish", stream.destroy);
    }
  }

  abort(): void {
    this._forceClose(null);
  }

  setProtocol(protocol: Protocol): void {
    this.#protocol = protocol;
    this.#syncProtocol = hasSyncCallbacks(protocol);
  }

  getProtocol(): Protocol {
    return this.#protocol;
  }

  isReading(): boolean {
    return this.#reading && !this.#paused && !this.#closing;
  }

  /** Stops `dataReceived` calls, and pauses the stream. */
  pauseReading(): void {
    if (!this.#reading || this.#closing || this.#paused) return;
    this.#paused = true;
    if (!this.#streamPaused) {
      this.#streamPaused = true;
      this.#stream.pause();
    }
  }

  /** Resumes delivery: what is held first (in the next iteration), then the stream. */
  resumeReading(): void {
    if (!this.#reading || this.#closing || !this.#paused) return;
    this.#paused = false;
    if (this.#hasHeld() && !this.#flushScheduled) this.#scheduleFlush();
    this.#maybeResumeStream();
  }

  setWriteBufferLimits(high: number | null = null, low: number | null = null): void {
    if (high !== null && (typeof high !== "number" || Number.isNaN(high))) throw new TypeError(`high must be a number of bytes, got ${describeValue(high)}`);
    if (low !== null && (typeof low !== "number" || Number.isNaN(low))) throw new TypeError(`low must be a number of bytes, got ${describeValue(low)}`);
    if (high === null) high = low === null ? DEFAULT_HIGH : 4 * low;
    if (low === null) low = Math.floor(high / 4);
    if (!(high >= low && low >= 0)) throw new RangeError(`high (${high}) must be >= low (${low}) must be >= 0`);
    this.#high = high;
    this.#low = low;
    this._maybePauseProtocol();
  }

  getWriteBufferSize(): number {
    return this.#stream.writableLength;
  }

  getWriteBufferLimits(): [low: number, high: number] {
    return [this.#low, this.#high];
  }

  /** Buffers `data` (bytes, or a string as UTF-8) for sending. */
  write(data: Uint8Array | string): void {
    this._writeBytes(toBytes(data, "write"));
  }

  writelines(list: Iterable<Uint8Array | string>): void {
    if (list === null || typeof (list as Iterable<unknown>)?.[Symbol.iterator] !== "function") {
      throw new TypeError(`writelines() takes an iterable of bytes or strings, got ${describeValue(list)}`);
    }
    const parts: Uint8Array[] = [];
    for (const item of list) parts.push(toBytes(item, "writelines"));
    // Even an empty list goes through write(): after writeEof() it raises, as asyncio's writelines() does.
    this.write(parts.length === 1 ? parts[0] : Buffer.concat(parts));
  }

  /** Half-closes: sends EOF after the buffered data; reading goes on. */
  writeEof(): void {
    if (this.#closing || this.#eof) return;
    if (!this.canWriteEof()) throw new RuntimeError("writeEof() is not supported over TLS");
    this.#eof = true;
    this.#stream.end();
  }

  canWriteEof(): boolean {
    return true;
  }

  /** Calls the protocol's pauseWriting() if the write buffer went over the high-water mark. Subclasses that write call it after each write. */
  protected _maybePauseProtocol(): void {
    const stream = this.#stream;
    if (this.#protocolPaused || stream.writableLength <= this.#high) return;
    this.#protocolPaused = true;
    try {
      this.#protocol.pauseWriting?.();
    } catch (error) {
      this.#loop.callExceptionHandler({ message: "protocol.pauseWriting() failed", exception: error, transport: this, protocol: this.#protocol });
    }
    // Node emits 'drain' only past its own high-water mark: ask for a callback once the queue is written.
    if (!stream.writableNeedDrain) stream.write(EMPTY, this.#onNodeDrain);
  }

  readonly #maybeResumeProtocol = (): void => {
    if (!this.#protocolPaused || this.#lost) return;
    const stream = this.#stream;
    if (stream.writableLength > this.#low) {
      if (!stream.writableNeedDrain) stream.write(EMPTY, this.#onNodeDrain);
      return;
    }
    this.#protocolPaused = false;
    this.#drainUnlessSync();
    try {
      this.#protocol.resumeWriting?.();
    } catch (error) {
      this.#loop.callExceptionHandler({ message: "protocol.resumeWriting() failed", exception: error, transport: this, protocol: this.#protocol });
    }
  };
}
