import type { Transport } from "./transport.js";

/**
 * asyncio's `BaseProtocol`: what a transport calls on its protocol. Every
 * callback runs as a loop callback (scheduled with `loop.callSoon`), in the
 * order the socket events happened, never inside a Node event handler.
 */
export interface BaseProtocol {
  /** The connection is up; `transport` is the protocol's for its whole life. */
  connectionMade?(transport: Transport): void;
  /** The connection is gone: `exc` is the Node error that ended it, or `null` for EOF or `close()`/`abort()`. Called once. */
  connectionLost?(exc: Error | null): void;
  /** The transport's write buffer went over its high-water mark: stop writing. */
  pauseWriting?(): void;
  /** The write buffer drained to its low-water mark: writing may go on. */
  resumeWriting?(): void;
}

/** asyncio's `Protocol`: a stream protocol (TCP, TLS, Unix sockets). */
export interface Protocol extends BaseProtocol {
  /** Bytes arrived. Never called while reading is paused, nor after `close()`. */
  dataReceived(data: Buffer): void;
  /**
   * The peer sent EOF. Return `true` to keep the connection half-open (you may
   * still write; close it yourself later); anything else closes the transport.
   * Over TLS the transport is closed whatever this returns, as in asyncio.
   */
  eofReceived?(): boolean | void;
}

/** Makes a new protocol for each connection (`createConnection`, `createServer`). */
export type ProtocolFactory<P extends Protocol = Protocol> = () => P;
