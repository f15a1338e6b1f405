import type { Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import type { EventLoop } from "@asyncio-ts/loop";
import { NodeStreamTransport } from "./node-stream-transport.js";
import type { Protocol } from "./protocol.js";
import { trackResource, untrackResource } from "./track-resource.js";

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
 * subclassing. The mechanics (delivery into the loop, held data while reading
 * is paused, write-buffer limits, connectionLost once) are
 * `NodeStreamTransport`'s; this class adds what a socket knows (addresses,
 * TLS, its server), loop-close tracking and the hand-over to `startTls`.
 *
 * Invariant: the transport is tracked (`trackResource`) from construction
 * until connectionLost, the hand-over or the loop's closing, and attached to
 * `#server` (if any) until connectionLost or the hand-over.
 */
export class SocketTransport extends NodeStreamTransport {
  readonly #loop: EventLoop;
  readonly #socket: Socket;
  #extra: TransportExtra;
  readonly #tls: boolean;
  #server: ServerHooks | null;

  constructor(loop: EventLoop, socket: Socket, protocol: Protocol, extra: TransportExtra = {}) {
    super(loop, socket, protocol);
    this.#loop = loop;
    this.#socket = socket;
    this.#extra = extra;
    this.#tls = extra.tls === true;
    this.#server = extra.server ?? null;
    // Known now, and kept: Node forgets the addresses once the socket is destroyed.
    if (!("peername" in extra) && socket.remoteAddress !== undefined) this.#extra = { ...extra, peername: [socket.remoteAddress, socket.remotePort] };
    if (!("sockname" in this.#extra) && socket.localAddress !== undefined) this.#extra = { ...this.#extra, sockname: [socket.localAddress, socket.localPort] };
    // asyncio keeps a TCP/Unix transport whose both directions have ended (our writeEof, the
    // peer's EOF) open until close(); Node would destroy the socket then (autoDestroy).
    if (!this.#tls) setAutoDestroy(socket, false);
    trackResource(loop, this);
    this.#server?._attach(this);
  }

  /**
   * @internal Starts the connection: `connectionMade` in the next iteration,
   * then `onReady` (asyncio's waiter) right after it. Reading starts at once
   * (data is queued behind `connectionMade`).
   */
  _start(callConnectionMade: boolean, onReady?: () => void): void {
    if (callConnectionMade) this._schedule(this.#connectionMade);
    if (onReady !== undefined) this._schedule(onReady);
    if (this.#socket.destroyed) {
      // Closed before we listened: 'close' will not come again.
      this._schedule((error: Error | null) => this._callConnectionLost(error), this._error());
    }
  }

  readonly #connectionMade = (): void => {
    if (this._isLost()) return;
    try {
      this.getProtocol().connectionMade?.(this);
    } catch (error) {
      this._fatalError(error, "Fatal error: protocol.connectionMade() call failed.");
    }
  };

  protected override _releaseStream(): void {
    super._releaseStream();
    untrackResource(this.#loop, this);
  }

  protected override _connectionLost(error: Error | null): void {
    try {
      super._connectionLost(error);
    } finally {
      const server = this.#server;
      this.#server = null;
      server?._detach(this);
    }
  }

  // ---- the Transport API ------------------------------------------------------------

  override getExtraInfo(name: string, defaultValue: unknown = undefined): unknown {
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

  /** TLS cannot half-close: `writeEof()` throws, and EOF from the peer closes the transport. */
  override canWriteEof(): boolean {
    return !this.#tls;
  }

  /**
   * @internal Hands the socket over (to a TLS wrapper, for `startTls`): this
   * transport stops delivering events and is closing from now on. Returns the
   * socket and the data that arrived but was not delivered yet.
   */
  _detach(): { socket: Socket; pending: Buffer[] } {
    const pending = this._handOver();
    setAutoDestroy(this.#socket, true); // Node's default again for its new owner
    untrackResource(this.#loop, this);
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

  override toString(): string {
    const state = this._isLost() ? "closed" : this.isClosing() ? "closing" : "open";
    return `<SocketTransport ${state}${this.#tls ? " tls" : ""}>`;
  }
}

/** Turns Node's auto-destroy (once both sides of a Duplex have ended, or on an error) off or on. */
function setAutoDestroy(socket: Socket, on: boolean): void {
  const states = socket as unknown as { _readableState?: { autoDestroy: boolean }; _writableState?: { autoDestroy: boolean } };
  if (states._readableState !== undefined) states._readableState.autoDestroy = on;
  if (states._writableState !== undefined) states._writableState.autoDestroy = on;
}
