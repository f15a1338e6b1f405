import * as net from "node:net";
import * as tls from "node:tls";
import type { EventLoop } from "@asyncio-ts/loop";
import { getRunningLoop } from "@asyncio-ts/loop";
import { describeValue } from "@asyncio-ts/loop/lowlevel";
import { Future } from "@asyncio-ts/tasks";
import { CONNECT_OPTIONS, checkFunction, checkHost, checkOptions, checkPath, checkPort } from "./options.js";
import type { Protocol, ProtocolFactory } from "./protocol.js";
import { SocketTransport, type TransportExtra } from "./transport.js";

/** TLS for a client: `true` for Node's defaults (system trust store, host name checked), or Node's TLS options. */
export type ClientTlsOption = boolean | tls.ConnectionOptions;

export interface CreateConnectionOptions {
  /** Connect with TLS: `true` (verification on, Node's trust store) or Node's `tls.connect` options. */
  ssl?: ClientTlsOption | null;
  /** The name the server certificate must match, and SNI; default `host`. `""` turns the host-name check off. Only with `ssl`. */
  serverHostname?: string;
}

export interface CreateUnixConnectionOptions {
  ssl?: ClientTlsOption | null;
  /** Required with `ssl` over a Unix socket (there is no host name to check). */
  serverHostname?: string;
}

/**
 * Opens a TCP (or TLS) connection and attaches a new protocol from
 * `protocolFactory` (asyncio's `loop.create_connection`). Resolves to
 * `[transport, protocol]` after the protocol's `connectionMade`.
 *
 * Errors (through the future): Node's connection errors as they are
 * (`ECONNREFUSED`, `ENOTFOUND`, TLS verification errors, ...).
 *
 * Cancellation: the half-open socket is destroyed.
 */
export function createConnection<P extends Protocol>(
  protocolFactory: ProtocolFactory<P>,
  host: string,
  port: number,
  options?: CreateConnectionOptions,
): Future<[SocketTransport, P]> {
  const where = "createConnection";
  checkFunction(protocolFactory, where, "protocolFactory");
  checkOptions(options, where, CONNECT_OPTIONS);
  return connectTcp(getRunningLoop(), protocolFactory, host, port, options, where);
}

/** @internal createConnection after the factory check (openConnection shares it). */
export function connectTcp<P extends Protocol>(
  loop: EventLoop,
  protocolFactory: ProtocolFactory<P>,
  host: unknown,
  port: unknown,
  options: CreateConnectionOptions | undefined,
  where: string,
): Future<[SocketTransport, P]> {
  const checkedHost = checkHost(host, where, false)!;
  const checkedPort = checkPort(port, where, 1);
  const { ssl, serverHostname } = checkOptions(options, where);
  const tlsOptions = clientTls(ssl, serverHostname, where);
  return connectWith(loop, protocolFactory, {}, () => {
    if (tlsOptions === null) {
      const socket = net.connect({ host: checkedHost, port: checkedPort, allowHalfOpen: true, noDelay: true });
      return [socket, "connect"];
    }
    const servername = serverHostname ?? (net.isIP(checkedHost) ? undefined : checkedHost);
    const socket = tls.connect({
      ...tlsOptions,
      host: checkedHost,
      port: checkedPort,
      ...(servername ? { servername } : {}),
      ...(serverHostname === "" ? { checkServerIdentity: () => undefined } : {}),
    });
    socket.setNoDelay(true);
    return [socket, "secureConnect"];
  }, tlsOptions !== null);
}

/**
 * Opens a connection to the Unix socket at `path` (asyncio's
 * `loop.create_unix_connection`). As `createConnection` otherwise.
 */
export function createUnixConnection<P extends Protocol>(
  protocolFactory: ProtocolFactory<P>,
  path: string,
  options?: CreateUnixConnectionOptions,
): Future<[SocketTransport, P]> {
  const where = "createUnixConnection";
  checkFunction(protocolFactory, where, "protocolFactory");
  checkOptions(options, where, CONNECT_OPTIONS);
  return connectUnix(getRunningLoop(), protocolFactory, path, options, where);
}

/** @internal */
export function connectUnix<P extends Protocol>(
  loop: EventLoop,
  protocolFactory: ProtocolFactory<P>,
  path: unknown,
  options: CreateUnixConnectionOptions | undefined,
  where: string,
): Future<[SocketTransport, P]> {
  const checkedPath = checkPath(path, where);
  const { ssl, serverHostname } = checkOptions(options, where);
  const tlsOptions = clientTls(ssl, serverHostname, where);
  if (tlsOptions !== null && serverHostname === undefined) throw new RangeError(`${where}(): you must set serverHostname when using ssl without a host`);
  return connectWith(loop, protocolFactory, { peername: checkedPath, sockname: "" }, () => {
    if (tlsOptions === null) return [net.connect({ path: checkedPath, allowHalfOpen: true }), "connect"];
    const socket = tls.connect({
      ...tlsOptions,
      path: checkedPath,
      ...(serverHostname ? { servername: serverHostname } : {}),
      ...(serverHostname === "" ? { checkServerIdentity: () => undefined } : {}),
    });
    return [socket, "secureConnect"];
  }, tlsOptions !== null);
}

function clientTls(ssl: unknown, serverHostname: unknown, where: string): tls.ConnectionOptions | null {
  if (serverHostname !== undefined && typeof serverHostname !== "string") {
    throw new TypeError(`${where}() serverHostname must be a string, got ${describeValue(serverHostname)}`);
  }
  if (ssl === undefined || ssl === null || ssl === false) {
    if (serverHostname !== undefined) throw new RangeError(`${where}(): serverHostname is only meaningful with ssl`);
    return null;
  }
  if (ssl === true) return {};
  if (typeof ssl !== "object") throw new TypeError(`${where}() ssl must be a boolean or Node TLS options, got ${describeValue(ssl)}`);
  return ssl as tls.ConnectionOptions;
}

/**
 * Connects a socket made by `open()` and, in loop callbacks, makes the
 * transport and protocol; `connectionMade` runs before the future completes.
 */
function connectWith<P extends Protocol>(
  loop: EventLoop,
  protocolFactory: ProtocolFactory<P>,
  extra: TransportExtra,
  open: () => [net.Socket, string],
  isTls: boolean,
): Future<[SocketTransport, P]> {
  const future = new Future<[SocketTransport, P]>({ loop });
  const [socket, connectEvent] = open();
  let settled = false;
  const onConnect = (): void => {
    // Until the transport listens, an error only needs to be kept (socket.errored).
    socket.removeListener("error", onError);
    socket.on("error", ignore);
    if (loop.isClosed()) {
      socket.destroy();
      return;
    }
    loop.callSoon(connected);
  };
  const onError = (error: Error): void => {
    socket.removeListener(connectEvent, onConnect);
    socket.destroy();
    if (!loop.isClosed()) loop.callSoon(failed, error);
  };
  const connected = (): void => {
    if (future.done()) {
      socket.destroy();
      return;
    }
    settled = true;
    let protocol: P;
    try {
      protocol = protocolFactory();
    } catch (error) {
      socket.destroy();
      future.setException(error);
      return;
    }
    const transport = new SocketTransport(loop, socket, protocol, { ...extra, tls: isTls });
    socket.removeListener("error", ignore);
    transport._start(true, () => {
      if (future.done()) transport.close();
      else future.setResult([transport, protocol]);
    });
  };
  const failed = (error: Error): void => {
    if (!future.done()) future.setException(error);
  };
  socket.once(connectEvent, onConnect);
  socket.once("error", onError);
  future.addDoneCallback(() => {
    if (future.cancelled() && !settled) {
      socket.removeListener(connectEvent, onConnect);
      socket.removeListener("error", onError);
      socket.on("error", ignore);
      socket.destroy();
    }
  });
  return future;
}

function ignore(): void {}
