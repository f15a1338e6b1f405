import type { EventLoop } from "@asyncio-ts/loop";
import { brand, describeValue, getRunningLoopOrNull } from "@asyncio-ts/loop/lowlevel";
import { Future, sleep } from "@asyncio-ts/tasks";
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
 * What `drain()` returns once the transport is closing: asyncio's
 * `await sleep(0)` followed by `await protocol._drain_helper()`, in the
 * awaiting task. Awaiting it (`await` or `yield*`) awaits a zero sleep, so
 * the task resumes exactly one iteration later, as after CPython's bare
 * yield, and only then asks the protocol: a connectionLost that ran meanwhile
 * makes it fail with `ConnectionResetError`; while writing is paused it waits
 * for the protocol's drain waiter itself. The future settles with that same
 * outcome (its exception counts as retrieved: the awaiter got it from the
 * protocol's future), for done callbacks and `done()`.
 */
class DrainAfterYield extends Future<void> {
  readonly #yielded: Future<void>;
  readonly #protocol: StreamReaderProtocol;
  #helper: Future<void> | null = null;

  constructor(loop: EventLoop, protocol: StreamReaderProtocol) {
    super({ loop });
    this.#protocol = protocol;
    this.#yielded = sleep(0);
    this.#yielded.addDoneCallback(() => void this.#afterYield());
  }

  /** After the yield: the protocol's drain helper, asked once; this future follows it. */
  #afterYield(): Future<void> {
    let helper = this.#helper;
    if (helper === null) {
      const asked = (helper = this.#helper = this.#protocol._drainHelper());
      if (asked.done()) this.#follow(asked);
      else asked.addDoneCallback(() => this.#follow(asked));
    }
    return helper;
  }

  #follow(helper: Future<void>): void {
    if (this.done()) return;
    if (helper.cancelled()) super.cancel();
    else {
      const exc = helper.exception();
      if (exc === undefined) this.setResult(undefined);
      else {
        this.setException(exc);
        super.exception(); // retrieved: the awaiter got it from the helper
      }
    }
  }

  override cancel(msg?: string): boolean {
    if (!super.cancel(msg)) return false;
    this.#yielded.cancel();
    this.#helper?.cancel();
    return true;
  }

  override then<R1 = void, R2 = never>(
    onfulfilled?: ((value: void) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    if (this.done() && this.#helper === null) return super.then(onfulfilled, onrejected); // cancelled before the yield
    return this.#yielded.then(() => this.#afterYield()).then(onfulfilled, onrejected);
  }

  override *[Symbol.iterator](): Iterator<unknown, void, unknown> {
    if (this.done() && this.#helper === null) return this.result(); // cancelled before the yield: throws
    yield* this.#yielded;
    return yield* this.#afterYield();
  }
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
      if (getRunningLoopOrNull() === this.#loop) return new DrainAfterYield(this.#loop, this.#protocol);
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
