import type { EventLoop } from "@asyncio-ts/loop";
import { brand, describeValue } from "@asyncio-ts/loop/lowlevel";
import { Future } from "@asyncio-ts/tasks";
import type { StreamReader } from "./stream-reader.js";
import type { StreamReaderProtocol } from "./stream-reader-protocol.js";
import { startTlsOnTransport, type StartTlsOptions } from "./start-tls.js";
import type { SocketTransport, Transport } from "./transport.js";
import { toBytes } from "./to-bytes.js";

/** Completes `outer` as `inner` completes; cancelling `outer` cancels `inner`. */
export function chain<T>(inner: Future<T>, outer: Future<T>): void {
  const copy = (): void => {
    if (outer.done()) return;
    if (inner.cancelled()) outer.cancel();
    else {
      const exc = inner.exception();
      if (exc !== undefined) outer.setException(exc);
      else outer.setResult(inner.result());
    }
  };
  if (inner.done()) copy();
  else inner.addDoneCallback(copy);
  outer.addDoneCallback(() => {
    if (outer.cancelled()) inner.cancel();
  });
}

/**
 * Writes to a connection (asyncio's `StreamWriter`). `write()` never blocks:
 * call `await writer.drain()` after writing to wait while the socket's buffer
 * is over its high-water mark (64 KiB), which is what bounds memory.
 *
 * Not meant for subclassing.
 */
export class StreamWriter {
  static {
    brand(this, "StreamWriter");
  }
  #transport: Transport;
  readonly #protocol: StreamReaderProtocol;
  readonly #reader: StreamReader | null;
  readonly #loop: EventLoop;

  constructor(transport: Transport, protocol: StreamReaderProtocol, reader: StreamReader | null, loop: EventLoop) {
    this.#transport = transport;
    this.#protocol = protocol;
    this.#reader = reader;
    this.#loop = loop;
  }

  /** The transport under this writer (`@asyncio-ts/streams/lowlevel`). */
  get transport(): Transport {
    return this.#transport;
  }

  /** Buffers `data` (bytes, or a string as UTF-8) for sending. Follow with `await drain()`. */
  write(data: Uint8Array | string): void {
    this.#transport.write(toBytes(data, "write"));
  }

  /** Writes each item of `lines` (no separator is added). */
  writelines(lines: Iterable<Uint8Array | string>): void {
    this.#transport.writelines(lines);
  }

  /** Half-closes: sends EOF after what is buffered; the reader still reads. */
  writeEof(): void {
    this.#transport.writeEof();
  }

  canWriteEof(): boolean {
    return this.#transport.canWriteEof();
  }

  /** Closes the connection after flushing. Follow with `await waitClosed()`. */
  close(): void {
    this.#transport.close();
  }

  isClosing(): boolean {
    return this.#transport.isClosing();
  }

  /**
   * Waits until the connection is closed. Fails with the connection's error if
   * it ended with one.
   *
   * Cancellation: only this wait is cancelled.
   */
  waitClosed(): Future<void> {
    return this.#protocol._waitClosed();
  }

  /** `"peername"`, `"sockname"`, `"socket"`, `"peercert"`, `"cipher"`, `"sslcontext"`; else `defaultValue`. */
  getExtraInfo(name: string, defaultValue?: unknown): unknown {
    return this.#transport.getExtraInfo(name, defaultValue);
  }

  /**
   * Waits until it is appropriate to write more: while the transport's write
   * buffer is over its high-water mark. Fails with the reader's exception
   * (e.g. Node's `ECONNRESET` error) if the connection broke, and with
   * `ConnectionResetError` after the connection was closed or lost.
   *
   * Cancellation: only the wait is cancelled; buffered data is still sent.
   */
  drain(): Future<void> {
    const exc = this.#reader?.exception();
    if (exc !== null && exc !== undefined) {
      const failed = new Future<void>({ loop: this.#loop });
      failed.setException(exc);
      return failed;
    }
    if (this.#transport.isClosing()) {
      // One iteration first, so that connectionLost() may run and drain() sees the error
      // (asyncio: `await sleep(0)` before `_drain_helper()`).
      const outer = new Future<void>({ loop: this.#loop });
      const handle = this.#loop.callSoon(() => {
        if (!outer.done()) chain(this.#protocol._drainHelper(), outer);
      });
      outer.addDoneCallback(() => handle.cancel());
      return outer;
    }
    return this.#protocol._drainHelper();
  }

  /**
   * Upgrades the connection to TLS (asyncio 3.11's `start_tls`): the client
   * side verifies the server (Node's trust store unless `ca` is given), the
   * server side (a writer from `startServer`) needs `key` and `cert`.
   */
  startTls(options: StartTlsOptions = {}): Future<void> {
    if (options === null || typeof options !== "object") throw new TypeError(`startTls() options must be an object, got ${describeValue(options)}`);
    const serverSide = this.#protocol._isServerSide();
    const outer = new Future<void>({ loop: this.#loop });
    const drained = this.drain();
    const upgrade = (): void => {
      if (outer.done()) return;
      const upgraded = startTlsOnTransport(this.#transport as SocketTransport, this.#protocol, serverSide, options);
      upgraded.addDoneCallback((f) => {
        if (outer.done()) {
          if (!f.cancelled() && f.exception() === undefined) f.result().close();
          return;
        }
        if (f.cancelled()) outer.cancel();
        else if (f.exception() !== undefined) outer.setException(f.exception());
        else {
          this.#transport = f.result();
          this.#protocol._replaceWriter(this);
          this.#reader?._replaceTransport(f.result());
          outer.setResult(undefined);
        }
      });
      outer.addDoneCallback(() => {
        if (outer.cancelled()) upgraded.cancel();
      });
    };
    const afterDrain = (): void => {
      if (outer.done()) return;
      const exc = drained.exception();
      if (exc !== undefined) outer.setException(exc);
      else upgrade();
    };
    if (drained.done()) afterDrain();
    else {
      drained.addDoneCallback(() => (drained.cancelled() ? outer.cancel() : afterDrain()));
      outer.addDoneCallback(() => outer.cancelled() && drained.cancel());
    }
    return outer;
  }

  toString(): string {
    const info = ["StreamWriter", `transport=${String(this.#transport)}`];
    if (this.#reader !== null) info.push(`reader=${String(this.#reader)}`);
    return `<${info.join(" ")}>`;
  }
}
