import * as tls from "node:tls";
import { Future } from "@asyncio-ts/tasks";
import type { Protocol } from "./protocol.js";
import { SocketTransport } from "./transport.js";

/** TLS options for `startTls` (Node's `tls` options), plus asyncio's `serverHostname`. */
export interface StartTlsOptions extends tls.ConnectionOptions {
  /** Client side: the name the server's certificate must match (and SNI). */
  serverHostname?: string;
}

/**
 * @internal Wraps the transport's socket in TLS (asyncio's `loop.start_tls`):
 * the old transport stops delivering events; the protocol keeps going on the
 * returned one, without a new `connectionMade`.
 *
 * Cancellation: the TLS socket (and the connection) is destroyed.
 */
export function startTlsOnTransport(transport: SocketTransport, protocol: Protocol, serverSide: boolean, options: StartTlsOptions): Future<SocketTransport> {
  const loop = transport._loop();
  const future = new Future<SocketTransport>({ loop });
  const server = transport._server();
  const { socket } = transport._detach();
  const { serverHostname, ...tlsOptions } = options;
  let secureSocket: tls.TLSSocket;
  let secureEvent: string;
  if (serverSide) {
    const secureContext = tlsOptions.secureContext ?? tls.createSecureContext(tlsOptions);
    secureSocket = new tls.TLSSocket(socket, { ...tlsOptions, isServer: true, secureContext } as tls.TLSSocketOptions);
    secureEvent = "secure";
  } else {
    secureSocket = tls.connect({ ...tlsOptions, socket, servername: serverHostname ?? tlsOptions.servername });
    secureEvent = "secureConnect";
  }
  const onError = (error: Error): void => {
    cleanup();
    if (!loop.isClosed()) loop.callSoon(() => {
      secureSocket.destroy();
      if (!future.done()) future.setException(error);
    });
  };
  const onSecure = (): void => {
    cleanup();
    if (loop.isClosed()) {
      secureSocket.destroy();
      return;
    }
    loop.callSoon(() => {
      if (future.done()) {
        secureSocket.destroy();
        return;
      }
      const upgraded = new SocketTransport(loop, secureSocket, protocol, { tls: true, server });
      upgraded._start(false, () => {
        if (future.done()) upgraded.close();
        else future.setResult(upgraded);
      });
    });
  };
  const cleanup = (): void => {
    secureSocket.removeListener("error", onError);
    secureSocket.removeListener(secureEvent, onSecure);
  };
  secureSocket.on("error", onError);
  secureSocket.on(secureEvent, onSecure);
  future.addDoneCallback(() => {
    if (future.cancelled()) {
      cleanup();
      secureSocket.destroy();
    }
  });
  return future;
}
