import * as fs from "node:fs";
import * as net from "node:net";
import * as tls from "node:tls";
import type { EventLoop } from "@asyncio-ts/loop";
import { getRunningLoop } from "@asyncio-ts/loop";
import { describeValue } from "@asyncio-ts/loop/lowlevel";
import { Future } from "@asyncio-ts/tasks";
import { SERVER_OPTIONS, checkBacklog, checkFunction, checkHost, checkOptions, checkPath, checkPort } from "./options.js";
import type { Protocol, ProtocolFactory } from "./protocol.js";
import { Server } from "./server.js";
import { SocketTransport, type TransportExtra } from "./transport.js";

export interface CreateServerOptions {
  /** Serve TLS: Node's `tls.createServer` options (`key`, `cert`, `ca`, `requestCert`, ...). */
  ssl?: tls.TlsOptions | null;
  /** The listen backlog; default 100. */
  backlog?: number;
  /** Accept connections at once (default); with `false`, only after `startServing()`/`serveForever()`. */
  startServing?: boolean;
}

/**
 * Listens on `host:port` and attaches a new protocol from `protocolFactory`
 * to each connection (asyncio's `loop.create_server`). `host` `null` (or
 * `""`) listens on every interface; port `0` picks a free port (see
 * `server.sockets[0].getsockname()`).
 *
 * Errors (through the future): Node's listen errors (`EADDRINUSE`, ...).
 *
 * Cancellation: the listening socket is closed.
 */
export function createServer(
  protocolFactory: ProtocolFactory,
  host: string | null,
  port: number,
  options?: CreateServerOptions,
): Future<Server> {
  checkFunction(protocolFactory, "createServer", "protocolFactory");
  checkOptions(options, "createServer", SERVER_OPTIONS);
  return listenTcp(getRunningLoop(), protocolFactory, host, port, options, "createServer");
}

/** @internal */
export function listenTcp(
  loop: EventLoop,
  protocolFactory: ProtocolFactory,
  host: unknown,
  port: unknown,
  options: CreateServerOptions | undefined,
  where: string,
): Future<Server> {
  const checkedHost = checkHost(host, where, true);
  const checkedPort = checkPort(port, where, 0);
  const { ssl, backlog, startServing } = checkOptions(options, where);
  const checkedBacklog = checkBacklog(backlog, where);
  const tlsOptions = serverTls(ssl, where);
  return listenWith<[host: string, port: number]>(
    loop,
    protocolFactory,
    tlsOptions,
    startServing,
    (server) => {
      if (checkedHost === null) server.listen({ port: checkedPort, backlog: checkedBacklog });
      else server.listen({ host: checkedHost, port: checkedPort, backlog: checkedBacklog });
    },
    (server) => {
      const address = server.address() as net.AddressInfo;
      return [address.address, address.port];
    },
    () => ({}),
  );
}

/**
 * Listens on the Unix socket `path` (asyncio's `loop.create_unix_server`). A
 * stale socket file at `path` is removed first; the file is removed when the
 * server closes.
 */
export function createUnixServer(protocolFactory: ProtocolFactory, path: string, options?: CreateServerOptions): Future<Server<string>> {
  checkFunction(protocolFactory, "createUnixServer", "protocolFactory");
  checkOptions(options, "createUnixServer", SERVER_OPTIONS);
  return listenUnix(getRunningLoop(), protocolFactory, path, options, "createUnixServer");
}

/** @internal */
export function listenUnix(
  loop: EventLoop,
  protocolFactory: ProtocolFactory,
  path: unknown,
  options: CreateServerOptions | undefined,
  where: string,
): Future<Server<string>> {
  const checkedPath = checkPath(path, where);
  const { ssl, backlog, startServing } = checkOptions(options, where);
  const checkedBacklog = checkBacklog(backlog, where);
  const tlsOptions = serverTls(ssl, where);
  let ours: fs.Stats | null = null;
  return listenWith<string>(
    loop,
    protocolFactory,
    tlsOptions,
    startServing,
    (server) => {
      removeStaleSocket(checkedPath);
      server.once("listening", () => (ours = statOrNull(checkedPath)));
      server.listen({ path: checkedPath, backlog: checkedBacklog });
    },
    () => checkedPath,
    () => ({ sockname: checkedPath, peername: "" }),
    (server) => closeUnixServer(server, checkedPath, ours),
  );
}

function statOrNull(path: string): fs.Stats | null {
  try {
    return fs.lstatSync(path);
  } catch {
    return null;
  }
}

/**
 * Closes a Unix server. libuv unlinks the socket path as it closes the
 * server; when what is there now is not our socket (someone replaced it),
 * it is moved aside around the close and put back, so that only our own
 * socket file is removed (3.13 compares the inode before unlinking).
 */
function closeUnixServer(server: net.Server, path: string, ours: fs.Stats | null): void {
  const now = statOrNull(path);
  let aside: string | null = null;
  if (now !== null && ours !== null && (now.ino !== ours.ino || now.dev !== ours.dev)) {
    aside = `${path}.${process.pid}.keep`;
    try {
      fs.renameSync(path, aside);
    } catch {
      aside = null;
    }
  }
  try {
    server.close(ignore);
  } finally {
    if (aside !== null) fs.renameSync(aside, path);
  }
}

function removeStaleSocket(path: string): void {
  try {
    if (fs.lstatSync(path).isSocket()) fs.unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

function serverTls(ssl: unknown, where: string): tls.TlsOptions | null {
  if (ssl === undefined || ssl === null || ssl === false) return null;
  if (typeof ssl !== "object") throw new TypeError(`${where}() ssl must be Node TLS server options (key, cert, ...), got ${describeValue(ssl)}`);
  return ssl as tls.TlsOptions;
}

function listenWith<A>(
  loop: EventLoop,
  protocolFactory: ProtocolFactory,
  tlsOptions: tls.TlsOptions | null,
  startServing: boolean | undefined,
  listen: (server: net.Server) => void,
  address: (server: net.Server) => A,
  extra: () => TransportExtra,
  closeServer?: (server: net.Server) => void,
): Future<Server<A>> {
  const future = new Future<Server<A>>({ loop });
  const nodeServer: net.Server =
    tlsOptions === null ? new net.Server({ allowHalfOpen: true, noDelay: true }) : new tls.Server({ ...tlsOptions, allowHalfOpen: false });
  let server: Server<A> | null = null;
  const incoming: net.Socket[] = [];
  const onConnection = (socket: net.Socket): void => {
    if (server === null) incoming.push(socket);
    else server._incoming(socket);
  };
  nodeServer.on(tlsOptions === null ? "connection" : "secureConnection", onConnection);
  // TLS: a TCP connection counts for the server from its acceptance, through its handshake.
  const handshaking: net.Socket[] = [];
  if (tlsOptions !== null) {
    nodeServer.on("connection", (raw: net.Socket) => {
      if (server === null) handshaking.push(raw);
      else server._handshakeStarted(raw);
    });
    nodeServer.on("tlsClientError", ignore); // a failed handshake only ends that connection
  }
  const onListenError = (error: Error): void => {
    if (!loop.isClosed()) loop.callSoon(() => future.done() || future.setException(error));
  };
  nodeServer.once("error", onListenError);
  nodeServer.once("listening", () => {
    nodeServer.removeListener("error", onListenError);
    if (loop.isClosed()) {
      nodeServer.close();
      return;
    }
    loop.callSoon(() => {
      if (future.done()) {
        nodeServer.close();
        for (const socket of incoming) socket.destroy();
        return;
      }
      const s = (server = new Server<A>(loop, [nodeServer], address, closeServer));
      nodeServer.on("error", (error: Error) => {
        if (!loop.isClosed()) loop.callSoon(() => loop.callExceptionHandler({ message: "Server socket error", exception: error, server: s }));
      });
      const isTls = tlsOptions !== null;
      s._setAcceptor((socket) => accept(loop, s, socket, protocolFactory, { ...extra(), tls: isTls, server: s }));
      for (const raw of handshaking) s._handshakeStarted(raw);
      handshaking.length = 0;
      for (const socket of incoming) s._incoming(socket);
      incoming.length = 0;
      if (startServing !== false) s._beginServing();
      future.setResult(s);
    });
  });
  future.addDoneCallback(() => {
    if (future.cancelled() && server === null) nodeServer.close();
  });
  try {
    listen(nodeServer);
  } catch (error) {
    future.setException(error);
  }
  return future;
}

/** A loop callback: the protocol and transport for an accepted connection. */
function accept<A>(loop: EventLoop, server: Server<A>, socket: net.Socket, protocolFactory: ProtocolFactory, extra: TransportExtra): void {
  if (!server._mayAccept(socket) || socket.destroyed) {
    socket.destroy();
    return;
  }
  let protocol: Protocol;
  try {
    protocol = protocolFactory();
  } catch (error) {
    socket.destroy();
    loop.callExceptionHandler({ message: "Error on transport creation for incoming connection", exception: error });
    return;
  }
  if (!(extra.tls ?? false)) socket.setNoDelay(true);
  new SocketTransport(loop, socket, protocol, extra)._start(true);
}

function ignore(): void {}
