import type { Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import type { EventLoop } from "@asyncio-ts/loop";
import { RuntimeError } from "@asyncio-ts/loop";
import { describeValue } from "@asyncio-ts/loop/lowlevel";
import { trackResource, untrackResource, type Closeable } from "./loop-close.js";
import type { Protocol } from "./protocol.js";

/**
 * asyncio's stream `Transport` (`ReadTransport` + `WriteTransport`): one
 * connection, as its protocol sees it. Writes never block: they go to a buffer,
 * and the protocol's `pauseWriting()`/`resumeWriting()` say when that buffer is
 * over its high-water mark and back under its low-water mark.
 */
export interface Transport {
  /** Information about the connection: `"peername"`, `"sockname"`, `"socket"`, `"peercert"`, `"cipher"`, `"sslcontext"`. */
  getExtraInfo(name: string, defaultValue?: unknown): unknown;
  isClosing(): boolean;
  /** Closes after the buffered data is flushed; the protocol's `connectionLost(null)` follows. */
  close(): void;
  setProtocol(protocol: Protocol): void;
  getProtocol(): Protocol;
  isReading(): boolean;
  /** Stops `dataReceived` calls until `resumeReading()`. */
  pauseReading(): void;
  resumeReading(): void;
  setWriteBufferLimits(high?: number | null, low?: number | null): void;
  getWriteBufferSize(): number;
  /** `[low, high]`, in bytes. */
  getWriteBufferLimits(): [low: number, high: number];
  /** Buffers `data` (bytes, or a string as UTF-8) for sending. After `close()` or a lost connection the data is dropped. */
  write(data: Uint8Array | string): void;
  writelines(list: Iterable<Uint8Array | string>): void;
  /** Half-closes: sends EOF after the buffered data; reading goes on. */
  writeEof(): void;
  canWriteEof(): boolean;
  /** Closes at once; buffered data is lost. */
  abort(): void;
}

/** @internal What the server sees of the transports it accepted. */
export interface ServerHooks {
  _attach(transport: SocketTransport): void;
  _detach(transport: SocketTransport): void;
}

const DEFAULT_HIGH = 64 * 1024;
const EMPTY = Buffer.alloc(0);

/** @internal Extra information known at creation (unix socket paths, the server). */
export interface TransportExtra {
  peername?: unknown;
  sockname?: unknown;
  server?: ServerHooks | null;
  tls?: boolean;
}

/**
 * A `Transport` over a Node `net.Socket` or `tls.TLSSocket` (asyncio's
 * `_SelectorSocketTransport` and `_SSLProtocolTransport`). Not meant for
 * subclassing.
 *
 * Every socket event is delivered into the loop with `loop.callSoon`, in the
 * order Node emitted them, so protocol callbacks run as loop callbacks.
 *
 * Invariants: `#lost` becomes true once, when `connectionLost` has been (or is
 * about to be) delivered; after it no other protocol callback runs.
 * `#closing` is set by `close()`/`abort()` and by the connection ending.
 * `#pending` holds data that arrived (was already queued in the loop) while
 * reading was paused; it is delivered, in order, before anything newer.
 */
export class SocketTransport implements Transport, Closeable {
  readonly #loop: EventLoop;
  #socket: Socket;
  #protocol: Protocol;
  #extra: TransportExtra;
  readonly #tls: boolean;
  #server: ServerHooks | null;
  #closing = false;
  #eof = false;
  #lost = false;
  #lostScheduled = false;
  #paused = false;
  #protocolPaused = false;
  #high = DEFAULT_HIGH;
  #low = DEFAULT_HIGH / 4;
  #error: Error | null = null;
  #pending: (Buffer | null)[] = [];
  #flushScheduled = false;
  #detached = false;
  /** Node listeners, kept to remove them when the socket is handed to TLS (startTls). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Node listeners of several signatures
  readonly #listeners: [string, (...args: any[]) => void][];

  constructor(loop: EventLoop, socket: Socket, protocol: Protocol, extra: TransportExtra = {}) {
    this.#loop = loop;
    this.#socket = socket;
    this.#protocol = protocol;
    this.#extra = extra;
    this.#tls = extra.tls === true;
    this.#server = extra.server ?? null;
    this.#listeners = [
      ["data", this.#onNodeData],
      ["end", this.#onNodeEnd],
      ["error", this.#onNodeError],
      ["close", this.#onNodeClose],
      ["drain", this.#onNodeDrain],
    ];
    for (const [event, listener] of this.#listeners) socket.on(event, listener);
    this.#error = (socket.errored as Error | null) ?? null;
    // Known now, and kept: Node forgets the addresses once the socket is destroyed.
    if (!("peername" in extra) && socket.remoteAddress !== undefined) this.#extra = { ...extra, peername: [socket.remoteAddress, socket.remotePort] };
    if (!("sockname" in this.#extra) && socket.localAddress !== undefined) this.#extra = { ...this.#extra, sockname: [socket.localAddress, socket.localPort] };
    trackResource(loop, this);
    this.#server?._attach(this);
  }

  /**
   * @internal Starts the connection: `connectionMade` in the next iteration,
   * then `onReady` (asyncio's waiter) right after it. Reading starts at once
   * (data is queued behind `connectionMade`).
   */
  _start(callConnectionMade: boolean, onReady?: () => void): void {
    if (callConnectionMade) this.#schedule(this.#connectionMade);
    if (onReady !== undefined) this.#schedule(onReady);
    if (this.#socket.destroyed) {
      // Closed before we listened: 'close' will not come again.
      this.#schedule(this.#callConnectionLost, this.#error);
    }
  }

  readonly #connectionMade = (): void => {
    if (this.#lost) return;
    try {
      this.#protocol.connectionMade?.(this);
    } catch (error) {
      this.#fatalError(error, "Fatal error: protocol.connectionMade() call failed.");
    }
  };

  // ---- Node events (run in Node's handlers: only forward into the loop) --------------

  #schedule<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): void {
    if (this.#loop.isClosed()) {
      this._destroyOnLoopClose();
      return;
    }
    this.#loop.callSoon(callback, ...args);
  }

  readonly #onNodeData = (chunk: Buffer): void => {
    this.#schedule(this.#dataReceived, chunk);
  };
  readonly #onNodeEnd = (): void => {
    this.#schedule(this.#eofReceived);
  };
  readonly #onNodeError = (error: Error): void => {
    // 'close' follows; the error goes to connectionLost then.
    this.#error ??= error;
  };
  readonly #onNodeClose = (): void => {
    this.#schedule(this.#callConnectionLost, this.#error);
  };
  readonly #onNodeDrain = (): void => {
    this.#schedule(this.#maybeResumeProtocol);
  };

  // ---- loop callbacks ---------------------------------------------------------------

  readonly #dataReceived = (chunk: Buffer): void => {
    if (this.#closing || this.#lost || this.#detached) return;
    if (this.#paused || this.#pending.length > 0) {
      this.#pending.push(chunk);
      return;
    }
    try {
      this.#protocol.dataReceived(chunk);
    } catch (error) {
      this.#fatalError(error, "Fatal error: protocol.dataReceived() call failed.");
    }
  };

  readonly #eofReceived = (): void => {
    if (this.#lost || this.#detached) return;
    if (this.#paused || this.#pending.length > 0) {
      this.#pending.push(null);
      return;
    }
    this.#deliverEof();
  };

  #deliverEof(): void {
    let keepOpen: unknown;
    try {
      keepOpen = this.#protocol.eofReceived?.();
    } catch (error) {
      this.#fatalError(error, "Fatal error: protocol.eofReceived() call failed.");
      return;
    }
    if (keepOpen !== true || this.#tls) this.close();
  }

  readonly #flushPending = (): void => {
    this.#flushScheduled = false;
    while (this.#pending.length > 0 && !this.#paused && !this.#lost && !this.#closing && !this.#detached) {
      const item = this.#pending.shift()!;
      if (item === null) {
        this.#deliverEof();
        continue;
      }
      try {
        this.#protocol.dataReceived(item);
      } catch (error) {
        this.#fatalError(error, "Fatal error: protocol.dataReceived() call failed.");
        return;
      }
    }
  };

  readonly #callConnectionLost = (error: Error | null): void => {
    if (this.#lost || this.#detached) return;
    this.#lost = true;
    this.#closing = true;
    this.#pending.length = 0;
    if (!this.#socket.destroyed) this.#socket.destroy();
    untrackResource(this.#loop, this);
    try {
      this.#protocol.connectionLost?.(error);
    } finally {
      const server = this.#server;
      this.#server = null;
      server?._detach(this);
    }
  };

  #fatalError(error: unknown, message: string): void {
    this.#loop.callExceptionHandler({ message, exception: error, transport: this, protocol: this.#protocol });
    this.#forceClose(error instanceof Error ? error : null);
  }

  #forceClose(error: Error | null): void {
    if (this.#lost || this.#lostScheduled) return;
    this.#closing = true;
    this.#lostScheduled = true;
    this.#socket.destroy();
    this.#loop.callSoon(this.#callConnectionLost, error);
  }

  // ---- the Transport API ------------------------------------------------------------

  getExtraInfo(name: string, defaultValue: unknown = undefined): unknown {
    const socket = this.#socket;
    switch (name) {
      case "peername":
        if ("peername" in this.#extra) return this.#extra.peername;
        return socket.remoteAddress === undefined ? defaultValue : [socket.remoteAddress, socket.remotePort];
      case "sockname":
        if ("sockname" in this.#extra) return this.#extra.sockname;
        return socket.localAddress === undefined ? defaultValue : [socket.localAddress, socket.localPort];
      case "socket":
        return socket;
      case "peercert": {
        if (!this.#tls) return defaultValue;
        const cert = (socket as TLSSocket).getPeerCertificate();
        return cert === null || Object.keys(cert).length === 0 ? null : cert;
      }
      case "cipher":
        return this.#tls ? (socket as TLSSocket).getCipher() : defaultValue;
      case "sslcontext":
      case "ssl_object":
        return this.#tls ? socket : defaultValue;
      default:
        return defaultValue;
    }
  }

  isClosing(): boolean {
    return this.#closing;
  }

  close(): void {
    if (this.#closing) return;
    this.#closing = true;
    this.#pending.length = 0;
    const socket = this.#socket;
    if (socket.writableLength === 0 || socket.destroyed) {
      // Nothing to flush: connectionLost in the next iteration, as asyncio does.
      this.#lostScheduled = true;
      socket.destroy();
      this.#loop.callSoon(this.#callConnectionLost, null);
    } else {
      socket.pause();
      socket.destroySoon();
    }
  }

  abort(): void {
    this.#forceClose(null);
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
    this.#socket.pause();
  }

  resumeReading(): void {
    if (this.#closing || !this.#paused) return;
    this.#paused = false;
    if (this.#pending.length > 0 && !this.#flushScheduled) {
      this.#flushScheduled = true;
      this.#loop.callSoon(this.#flushPending);
    }
    this.#socket.resume();
  }

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
    return this.#socket.writableLength;
  }

  getWriteBufferLimits(): [low: number, high: number] {
    return [this.#low, this.#high];
  }

  write(data: Uint8Array | string): void {
    const bytes = toBytes(data, "write");
    if (this.#eof) throw new RuntimeError("Cannot call write() after writeEof()");
    if (bytes.length === 0) return;
    // asyncio drops writes once the connection is lost (drain() then raises).
    if (this.#closing || this.#lost || this.#detached) return;
    this.#socket.write(bytes);
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

  writeEof(): void {
    if (this.#closing || this.#eof) return;
    if (!this.canWriteEof()) throw new RuntimeError("writeEof() is not supported over TLS");
    this.#eof = true;
    this.#socket.end();
  }

  canWriteEof(): boolean {
    return !this.#tls;
  }

  #maybePauseProtocol(): void {
    const size = this.#socket.writableLength;
    if (size <= this.#high || this.#protocolPaused) return;
    this.#protocolPaused = true;
    try {
      this.#protocol.pauseWriting?.();
    } catch (error) {
      this.#loop.callExceptionHandler({ message: "protocol.pauseWriting() failed", exception: error, transport: this, protocol: this.#protocol });
    }
    if (!this.#socket.writableNeedDrain) {
      // Node emits 'drain' only past its own high-water mark: ask for a callback once the queue is written.
      this.#socket.write(EMPTY, () => this.#onNodeDrain());
    }
  }

  readonly #maybeResumeProtocol = (): void => {
    if (!this.#protocolPaused || this.#lost) return;
    if (this.#socket.writableLength > this.#low) {
      if (!this.#socket.writableNeedDrain) this.#socket.write(EMPTY, () => this.#onNodeDrain());
      return;
    }
    this.#protocolPaused = false;
    try {
      this.#protocol.resumeWriting?.();
    } catch (error) {
      this.#loop.callExceptionHandler({ message: "protocol.resumeWriting() failed", exception: error, transport: this, protocol: this.#protocol });
    }
  };

  /** @internal The loop closed with this connection open: release the socket, without callbacks. */
  _destroyOnLoopClose(): void {
    this.#closing = true;
    this.#lost = true;
    untrackResource(this.#loop, this);
    this.#socket.destroy();
  }

  /**
   * @internal Hands the socket over (to a TLS wrapper, for `startTls`): this
   * transport stops delivering events and is closing from now on. Returns the
   * socket and the data that arrived but was not delivered yet.
   */
  _detach(): { socket: Socket; pending: Buffer[] } {
    this.#detached = true;
    this.#closing = true;
    for (const [event, listener] of this.#listeners) this.#socket.removeListener(event, listener);
    untrackResource(this.#loop, this);
    const pending = this.#pending.filter((c): c is Buffer => c !== null);
    this.#pending.length = 0;
    const server = this.#server;
    this.#server = null;
    server?._detach(this);
    return { socket: this.#socket, pending };
  }

  /** @internal */
  _server(): ServerHooks | null {
    return this.#server;
  }

  /** @internal */
  _isTls(): boolean {
    return this.#tls;
  }

  /** @internal */
  _loop(): EventLoop {
    return this.#loop;
  }

  toString(): string {
    const state = this.#lost ? "closed" : this.#closing ? "closing" : "open";
    return `<SocketTransport ${state}${this.#tls ? " tls" : ""}>`;
  }
}

/** Bytes from a writer's argument: a Uint8Array as is, a string as UTF-8. */
export function toBytes(data: unknown, where: string): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (typeof data === "string") return Buffer.from(data, "utf8");
  throw new TypeError(`${where}() takes bytes (a Uint8Array) or a string, got ${describeValue(data)}`);
}
