import type { EventLoop } from "@asyncio-ts/loop";
import { Future, type Task } from "@asyncio-ts/tasks";
import { ConnectionResetError } from "./errors.js";
import { SYNC_CALLBACKS, type Protocol } from "./protocol.js";
import type { StreamReader } from "./stream-reader.js";
import { StreamWriter } from "./stream-writer.js";
import type { SocketTransport, Transport } from "./transport.js";

/** What `startServer` calls for each connection. */
export type ClientConnectedCallback = (reader: StreamReader, writer: StreamWriter) => unknown;

/**
 * asyncio's `FlowControlMixin`: turns `pauseWriting`/`resumeWriting` into
 * `drain()` waits.
 *
 * Invariants: `#paused` is true between `pauseWriting()` and
 * `resumeWriting()`; `#drainWaiters` are the pending `drain()` futures,
 * completed on resume or on connection loss.
 */
export class FlowControlProtocol {
  /** @internal */ readonly _loop: EventLoop;
  #paused = false;
  readonly #drainWaiters = new Set<Future<void>>();
  #connectionLost = false;
  /** The one done future every unpaused `drain()` returns (a done future never changes). */
  #drained: Future<void> | null = null;

  constructor(loop: EventLoop) {
    this._loop = loop;
  }

  pauseWriting(): void {
    this.#paused = true;
  }

  resumeWriting(): void {
    this.#paused = false;
    for (const waiter of this.#drainWaiters) if (!waiter.done()) waiter.setResult(undefined);
  }

  connectionLost(exc: Error | null): void {
    this.#connectionLost = true;
    if (!this.#paused) return;
    for (const waiter of this.#drainWaiters) {
      if (waiter.done()) continue;
      if (exc === null) waiter.setResult(undefined);
      else waiter.setException(exc);
    }
  }

  /** @internal What `drain()` waits for: resumes writing, or the connection lost. */
  _drainHelper(): Future<void> {
    if (!this.#paused && !this.#connectionLost) {
      let drained = this.#drained;
      if (drained === null) {
        drained = this.#drained = new Future<void>({ loop: this._loop });
        drained.setResult(undefined);
      }
      return drained;
    }
    const waiter = new Future<void>({ loop: this._loop });
    if (this.#connectionLost) {
      waiter.setException(new ConnectionResetError("Connection lost"));
    } else {
      this.#drainWaiters.add(waiter);
      waiter.addDoneCallback(() => this.#drainWaiters.delete(waiter));
    }
    return waiter;
  }
}

/**
 * asyncio's `StreamReaderProtocol`: the protocol under a reader/writer pair.
 * It feeds the reader, and for `startServer` makes the writer and runs the
 * client callback in a task of its own.
 */
export class StreamReaderProtocol extends FlowControlProtocol implements Protocol {
  #reader: StreamReader | null;
  readonly #clientConnected: ClientConnectedCallback | null;
  #overTls = false;
  /** Done when the connection is lost: what `writer.waitClosed()` returns from then on. */
  readonly #closed: Future<void>;
  /**
   * The pending `waitClosed()` futures, one per call (cancelling one cancels
   * only that wait), completed by `connectionLost` itself so that their
   * awaiters resume one iteration after it, as awaiting asyncio's `_closed`
   * does.
   */
  #closeWaiters: Future<void>[] = [];
  /** @internal The task running the client callback. */
  _task: Task<unknown> | null = null;

  constructor(reader: StreamReader | null, clientConnected: ClientConnectedCallback | null, loop: EventLoop) {
    super(loop);
    this.#reader = reader;
    this.#clientConnected = clientConnected;
    this.#closed = new Future<void>({ loop });
  }

  /** @internal */
  _isServerSide(): boolean {
    return this.#clientConnected !== null;
  }

  /** @internal After startTls: the writer's new transport. */
  _replaceWriter(writer: StreamWriter): void {
    this.#overTls = (writer.transport as SocketTransport)._isTls?.() ?? false;
  }

  connectionMade(transport: Transport): void {
    const reader = this.#reader;
    reader?._setTransport(transport);
    this.#overTls = (transport as SocketTransport)._isTls?.() ?? false;
    const callback = this.#clientConnected;
    if (callback === null) return;
    const writer = new StreamWriter(transport, this, reader, this._loop);
    // Each connection in its own task: a sync function, an async function or a generator function.
    const task = this._loop.createTask((() => callback(reader!, writer)) as () => PromiseLike<unknown>) as Task<unknown>;
    this._task = task;
    task.addDoneCallback((t) => {
      if (t.cancelled()) {
        transport.close();
        return;
      }
      const exc = t.exception();
      if (exc !== undefined) {
        this._loop.callExceptionHandler({ message: "Unhandled exception in client_connected_cb", exception: exc, transport });
        transport.close();
      }
    });
  }

  override connectionLost(exc: Error | null): void {
    const reader = this.#reader;
    if (reader !== null) {
      if (exc === null) reader.feedEof();
      else reader.setException(exc);
    }
    if (!this.#closed.done()) {
      if (exc === null) this.#closed.setResult(undefined);
      else {
        this.#closed.setException(exc);
        this.#closed.exception(); // retrieved: waitClosed() is optional
      }
      const waiters = this.#closeWaiters;
      this.#closeWaiters = [];
      for (const waiter of waiters) {
        if (waiter.done()) continue;
        if (exc === null) waiter.setResult(undefined);
        else waiter.setException(exc);
      }
    }
    super.connectionLost(exc);
    this.#reader = null;
    this._task = null;
  }

  dataReceived(data: Buffer): void {
    this.#reader?._feed(data);
  }

  eofReceived(): boolean {
    this.#reader?.feedEof();
    // Over TLS asyncio closes anyway (no half-close); say so instead of warning.
    return !this.#overTls;
  }

  /** @internal What `writer.waitClosed()` returns: a wait of its own while the connection is open. */
  _waitClosed(): Future<void> {
    if (this.#closed.done()) return this.#closed; // done: cancelling it is a no-op
    const waiter = new Future<void>({ loop: this._loop });
    // Waits cancelled meanwhile are dropped now and then, so repeated timed-out waits do not pile up.
    if (this.#closeWaiters.length >= 16) this.#closeWaiters = this.#closeWaiters.filter((w) => !w.done());
    this.#closeWaiters.push(waiter);
    return waiter;
  }
}

// Its callbacks only feed the reader and complete futures (whose waiters run in
// later loop callbacks): no microtask to drain after them.
Object.defineProperty(StreamReaderProtocol.prototype, SYNC_CALLBACKS, { value: StreamReaderProtocol.prototype });
