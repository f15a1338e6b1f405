import type * as net from "node:net";
import type { Coroutine, EventLoop } from "@asyncio-ts/loop";
import { RuntimeError } from "@asyncio-ts/loop";
import { brand, describeValue } from "@asyncio-ts/loop/lowlevel";
import { Future, sleep, type Task } from "@asyncio-ts/tasks";
import { trackResource, untrackResource, type Closeable } from "./track-resource.js";
import type { SocketTransport, ServerHooks } from "./transport.js";

/** A listening socket of a `Server`. */
export interface ServerSocket<A = [host: string, port: number]> {
  /** `[host, port]` for TCP (port 0 at creation → the real port here); the path for a Unix socket. */
  getsockname(): A;
  /** The Node server behind it. */
  readonly server: net.Server;
}

/** @internal How a Server accepts a connection (made by createServer). */
export type Acceptor = (socket: net.Socket) => void;

/**
 * A listening server (asyncio's `Server`), from `startServer`,
 * `startUnixServer` or `createServer`.
 *
 * `close()` stops listening (connections stay open); `waitClosed()` waits
 * until the server is closed *and* every connection it accepted is gone;
 * `closeClients()`/`abortClients()` (3.13) end those connections.
 * `await using server = await startServer(...)` is `async with server:`
 * (close, then wait closed); so is `server.use(async (server) => ...)`.
 *
 * Not meant for subclassing.
 */
export class Server<A = [host: string, port: number]> implements AsyncDisposable, ServerHooks, Closeable {
  static {
    brand(this, "Server");
  }
  readonly #loop: EventLoop;
  #servers: net.Server[] | null;
  readonly #sockets: readonly ServerSocket<A>[];
  readonly #clients = new Set<SocketTransport>();
  /**
   * TLS servers: the TCP connections accepted and still in their handshake
   * (asyncio attaches a connection to its server when it is accepted). They
   * count for `waitClosed()`, `closeClients()`/`abortClients()` end them, and
   * one that completes its handshake after `close()` is still served. Each
   * leaves on its transport's `_attach`, or when it closes (`#handshakeEnded`).
   */
  readonly #handshakes = new Map<net.Socket, () => void>();
  /** `waitClosed()` futures; null once closed with no client left. */
  #waiters: Future<void>[] | null = [];
  #serving = false;
  #servingForever: ServeForever | null = null;
  /** A `serveForever()` stopping: cancelled once the server is closed and no connection is left. */
  #stoppingForever: ServeForever | null = null;
  #accept: Acceptor | null = null;
  /** Connections accepted by the OS before serving started: handed over by startServing(). */
  #early: net.Socket[] = [];
  /** Stops a listening socket (a Unix server's keeps a socket file that is not its own). */
  readonly #closeServer: (server: net.Server) => void;

  /** @internal Made by createServer / createUnixServer. */
  constructor(loop: EventLoop, servers: net.Server[], address: (server: net.Server) => A, closeServer: (server: net.Server) => void = closeNodeServer) {
    this.#loop = loop;
    this.#closeServer = closeServer;
    this.#servers = servers;
    this.#sockets = Object.freeze(
      servers.map((server) => {
        const name = address(server);
        return Object.freeze({ server, getsockname: () => name });
      }),
    );
    trackResource(loop, this);
  }

  /** @internal */
  _setAcceptor(accept: Acceptor): void {
    this.#accept = accept;
  }

  /** @internal A TLS server accepted a TCP connection; its handshake starts (Node event handler). */
  _handshakeStarted(raw: net.Socket): void {
    if (this.#servers === null || this.#loop.isClosed() || raw.destroyed) return;
    const onClose = (): void => {
      if (!this.#loop.isClosed()) this.#loop.callSoon(this.#handshakeEnded, raw);
    };
    raw.once("close", onClose);
    this.#handshakes.set(raw, onClose);
  }

  readonly #handshakeEnded = (raw: net.Socket): void => {
    if (this.#handshakes.delete(raw)) this.#maybeWakeup();
  };

  /** @internal May `socket` (from a Node event, or waiting in the loop) still be served? Also one whose handshake began before `close()`. */
  _mayAccept(socket: net.Socket): boolean {
    if (this.#servers !== null) return true;
    const raw = tlsParent(socket);
    return raw !== null && this.#handshakes.has(raw);
  }

  /** @internal A connection arrived (Node event handler). */
  _incoming(socket: net.Socket): void {
    if (!this._mayAccept(socket) || this.#loop.isClosed()) {
      socket.destroy();
      return;
    }
    if (this.#servers === null) {
      // Its handshake began before close(): served, as asyncio serves a connection it accepted.
      this.#loop.callSoon(this.#accept!, socket);
      return;
    }
    if (!this.#serving) {
      socket.on("error", ignore);
      this.#early.push(socket);
      return;
    }
    this.#loop.callSoon(this.#accept!, socket);
  }

  /** @internal Starts accepting (createServer's default). */
  _beginServing(): void {
    this.#startServing();
  }

  /** @internal */
  _attach(transport: SocketTransport): void {
    this.#clients.add(transport);
    const raw = tlsParent(transport.getExtraInfo("socket") as net.Socket);
    const onClose = raw === null ? undefined : this.#handshakes.get(raw);
    if (onClose !== undefined) {
      raw!.removeListener("close", onClose);
      this.#handshakes.delete(raw!);
    }
  }

  /** @internal */
  _detach(transport: SocketTransport): void {
    this.#clients.delete(transport);
    this.#maybeWakeup();
  }

  /** Wakes `waitClosed()` once the server is closed and no connection is left. */
  #maybeWakeup(): void {
    if (this.#clients.size === 0 && this.#handshakes.size === 0 && this.#servers === null) this.#wakeup();
  }

  #wakeup(): void {
    const waiters = this.#waiters;
    this.#waiters = null;
    if (waiters !== null) for (const waiter of waiters) if (!waiter.done()) waiter.setResult(undefined);
    const forever = this.#stoppingForever;
    this.#stoppingForever = null;
    forever?._stopped();
  }

  getLoop(): EventLoop {
    return this.#loop;
  }

  isServing(): boolean {
    return this.#serving;
  }

  /** The listening sockets; empty once closed. */
  get sockets(): readonly ServerSocket<A>[] {
    return this.#servers === null ? [] : this.#sockets;
  }

  #startServing(): void {
    if (this.#serving || this.#servers === null) return;
    this.#serving = true;
    const early = this.#early;
    this.#early = [];
    for (const socket of early) {
      socket.removeListener("error", ignore);
      this.#loop.callSoon(this.#accept!, socket);
    }
  }

  /** Stops listening. Accepted connections stay open (see `closeClients()`). Idempotent. */
  close(): void {
    const servers = this.#servers;
    if (servers === null) return;
    this.#servers = null;
    untrackResource(this.#loop, this);
    for (const server of servers) this.#closeServer(server);
    for (const socket of this.#early) socket.destroy();
    this.#early = [];
    this.#serving = false;
    const forever = this.#servingForever;
    this.#servingForever = null;
    if (forever !== null && !forever.done()) {
      // asyncio cancels serve_forever(), which then waits for wait_closed() before re-raising.
      this.#stoppingForever = forever;
      forever._stopping();
    }
    this.#maybeWakeup();
  }

  /** Closes every connection the server accepted (after flushing what they buffered); one still in its TLS handshake is dropped. */
  closeClients(): void {
    for (const transport of [...this.#clients]) transport.close();
    for (const raw of [...this.#handshakes.keys()]) raw.destroy();
  }

  /** Closes every connection the server accepted at once, dropping buffered data. */
  abortClients(): void {
    for (const transport of [...this.#clients]) transport.abort();
    for (const raw of [...this.#handshakes.keys()]) raw.destroy();
  }

  /** Starts accepting connections (for a server made with `startServing: false`), then yields one iteration. */
  startServing(): Future<void> {
    this.#startServing();
    return sleep(0);
  }

  /**
   * Accepts connections until cancelled; then closes the server and waits for
   * its connections to go before the `CancelledError` propagates (a second
   * cancel does not wait). `close()` ends it the same way.
   *
   * Errors: `RuntimeError` if already serving forever, or closed.
   */
  serveForever(): Future<void> {
    if (this.#servingForever !== null) throw new RuntimeError(`server ${String(this)} is already being awaited on serveForever()`);
    if (this.#servers === null) throw new RuntimeError(`server ${String(this)} is closed`);
    this.#startServing();
    return (this.#servingForever = new ServeForever(this.#loop, this));
  }

  /**
   * Waits until the server is closed and every connection it accepted has
   * been dropped (3.12.1 semantics), in either order.
   *
   * Cancellation: only this wait is cancelled.
   */
  waitClosed(): Future<void> {
    const waiter = new Future<void>({ loop: this.#loop });
    if (this.#waiters === null) waiter.setResult(undefined);
    else {
      const waiters = this.#waiters;
      waiters.push(waiter);
      waiter.addDoneCallback(() => {
        const i = waiters.indexOf(waiter);
        if (i !== -1) waiters.splice(i, 1);
      });
    }
    return waiter;
  }

  /**
   * `async with server:` as a callback: runs `body(server)` in a task, then
   * closes the server and waits until it is closed, whatever the body did.
   *
   * Cancellation: cancelling the returned task cancels the body; the server is
   * closed all the same.
   */
  use<T>(body: (server: this) => Coroutine<T> | PromiseLike<T> | T): Task<T> {
    if (typeof body !== "function") throw new TypeError(`use() takes a function (server) => ..., got ${describeValue(body)}`);
    return this.#loop.createTask(async () => {
      try {
        const result = body(this) as unknown;
        if (isGenerator(result)) return (await this.#loop.createTask(result as Coroutine<T>)) as T;
        return (await result) as T;
      } finally {
        this.close();
        await this.waitClosed();
      }
    }) as Task<T>;
  }

  /** `await using server = ...`: close, then wait until closed. */
  [Symbol.asyncDispose](): Promise<void> {
    this.close();
    return Promise.resolve(this.waitClosed());
  }

  /** @internal The loop closed with the server open. */
  _destroyOnLoopClose(): void {
    const servers = this.#servers;
    this.#servers = null;
    this.#serving = false;
    for (const server of servers ?? []) this.#closeServer(server);
    for (const socket of this.#early) socket.destroy();
    this.#early = [];
    for (const raw of this.#handshakes.keys()) raw.destroy();
    this.#handshakes.clear();
  }

  toString(): string {
    const names = this.#sockets.map((s) => JSON.stringify(s.getsockname())).join(", ");
    return `<Server sockets=(${this.#servers === null ? "" : names})>`;
  }
}

/**
 * What `serveForever()` returns: pending while the server serves. It is
 * awaited directly, not through a task of its own, so that its awaiter
 * resumes when asyncio's would: cancelling it (or `close()`) closes the
 * server, and it ends cancelled once the server is closed and its
 * connections are gone, as the `CancelledError` that asyncio's
 * `serve_forever()` re-raises after `close()` and `wait_closed()`.
 */
class ServeForever extends Future<void> {
  readonly #server: Server<unknown>;
  #stopping = false;
  #message: string | undefined = undefined;

  constructor(loop: EventLoop, server: Server<unknown>) {
    super({ loop });
    this.#server = server;
  }

  override cancel(msg?: string): boolean {
    if (this.done()) return false;
    if (this.#stopping) return super.cancel(msg); // cancelled again while waiting: at once
    this.#message = msg;
    this.#server.close(); // calls _stopping(), and _stopped() once nothing is left
    return true;
  }

  /** @internal The server is closing: the cancellation completes at `_stopped()`. */
  _stopping(): void {
    this.#stopping = true;
  }

  /** @internal The server is closed and no connection is left. */
  _stopped(): void {
    if (!this.done()) super.cancel(this.#message);
  }
}

function isGenerator(value: unknown): boolean {
  return value !== null && typeof value === "object" && typeof (value as Generator).next === "function" && typeof (value as Generator).throw === "function";
}

function ignore(): void {}

/** The TCP socket under a server-side TLSSocket (Node's `_parent`), or null. */
function tlsParent(socket: net.Socket | undefined): net.Socket | null {
  const parent = (socket as { _parent?: unknown } | undefined)?._parent;
  return parent !== null && typeof parent === "object" ? (parent as net.Socket) : null;
}

function closeNodeServer(server: net.Server): void {
  server.close(ignore);
}
