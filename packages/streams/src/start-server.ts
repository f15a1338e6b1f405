import { getRunningLoop } from "@asyncio-ts/loop";
import type { Future } from "@asyncio-ts/tasks";
import { listenTcp, type CreateServerOptions } from "./create-server.js";
import { SERVER_OPTIONS, checkFunction, checkOptions } from "./options.js";
import type { Server } from "./server.js";
import { StreamReader, checkLimit } from "./stream-reader.js";
import { StreamReaderProtocol, type ClientConnectedCallback } from "./stream-reader-protocol.js";

export interface StartServerOptions extends CreateServerOptions {
  /** Each connection's reader buffer limit (default 64 KiB). */
  limit?: number;
}

/**
 * Starts a TCP (or TLS) server (asyncio's `start_server`).
 * `clientConnected(reader, writer)` runs in a task of its own for each
 * connection; it may be a plain function, an async function or a generator
 * function. If it throws, the error goes to the loop's exception handler and
 * that connection is closed; the server goes on.
 *
 * ```ts
 * const server = await startServer(async (reader, writer) => {
 *   writer.write(await reader.readline());
 *   await writer.drain();
 *   writer.close();
 * }, "127.0.0.1", 0);
 * console.log(server.sockets[0].getsockname()); // ["127.0.0.1", 41234]
 * ```
 *
 * Errors: `TypeError`/`RangeError` at the call for bad arguments; Node's listen
 * errors (`EADDRINUSE`, ...) through the future.
 *
 * Cancellation: the listening socket is closed.
 */
export function startServer(
  clientConnected: ClientConnectedCallback,
  host: string | null,
  port: number,
  options?: StartServerOptions,
): Future<Server> {
  checkFunction(clientConnected, "startServer", "clientConnected");
  const loop = getRunningLoop();
  const { limit, ...rest } = checkOptions(options, "startServer", ["limit", ...SERVER_OPTIONS]);
  const checkedLimit = checkLimit(limit, "startServer");
  const factory = (): StreamReaderProtocol => new StreamReaderProtocol(new StreamReader({ limit: checkedLimit, loop }), clientConnected, loop);
  return listenTcp(loop, factory, host, port, rest, "startServer");
}
