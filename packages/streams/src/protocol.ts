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

/**
 * @internal Set on a protocol class's prototype (the value is that prototype)
 * when its callbacks never queue microtasks: a transport may then run them
 * without a microtask drain after each. Subclasses do not inherit it (they may
 * override a callback with one that does).
 */
export const SYNC_CALLBACKS: unique symbol = Symbol("asyncio-ts.streams.syncCallbacks");

/** @internal True when `protocol`'s own class is marked with `SYNC_CALLBACKS`. */
export function hasSyncCallbacks(protocol: object): boolean {
  const proto: unknown = Object.getPrototypeOf(protocol);
  return proto !== null && (protocol as { [SYNC_CALLBACKS]?: unknown })[SYNC_CALLBACKS] === proto;
}
