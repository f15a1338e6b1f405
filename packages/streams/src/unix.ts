import { getRunningLoop } from "@asyncio-ts/loop";
import type { Future } from "@asyncio-ts/tasks";
import { connectUnix, type CreateUnixConnectionOptions } from "./create-connection.js";
import { listenUnix } from "./create-server.js";
import { toStreams } from "./open-connection.js";
import { CONNECT_OPTIONS, SERVER_OPTIONS, checkFunction, checkOptions } from "./options.js";
import type { Server } from "./server.js";
import type { StartServerOptions } from "./start-server.js";
import { StreamReader, checkLimit } from "./stream-reader.js";
import { StreamReaderProtocol, type ClientConnectedCallback } from "./stream-reader-protocol.js";
import type { StreamWriter } from "./stream-writer.js";

export interface OpenUnixConnectionOptions extends CreateUnixConnectionOptions {
  limit?: number;
}

/**
 * `openConnection` over the Unix socket at `path` (asyncio's
 * `open_unix_connection`). `getExtraInfo("peername")` is the path.
 *
 * Cancellation: the half-open socket is destroyed.
 */
export function openUnixConnection(path: string, options?: OpenUnixConnectionOptions): Future<[StreamReader, StreamWriter]> {
  const loop = getRunningLoop();
  const { limit, ...rest } = checkOptions(options, "openUnixConnection", ["limit", ...CONNECT_OPTIONS]);
  const reader = new StreamReader({ limit: checkLimit(limit, "openUnixConnection"), loop });
  const protocol = new StreamReaderProtocol(reader, null, loop);
  return toStreams(loop, connectUnix(loop, () => protocol, path, rest, "openUnixConnection"), reader, protocol);
}

/**
 * `startServer` on the Unix socket at `path` (asyncio's `start_unix_server`).
 * A stale socket file is replaced; the file is removed when the server
 * closes. `server.sockets[0].getsockname()` is the path.
 */
export function startUnixServer(clientConnected: ClientConnectedCallback, path: string, options?: StartServerOptions): Future<Server<string>> {
  checkFunction(clientConnected, "startUnixServer", "clientConnected");
  const loop = getRunningLoop();
  const { limit, ...rest } = checkOptions(options, "startUnixServer", ["limit", ...SERVER_OPTIONS]);
  const checkedLimit = checkLimit(limit, "startUnixServer");
  const factory = (): StreamReaderProtocol => new StreamReaderProtocol(new StreamReader({ limit: checkedLimit, loop }), clientConnected, loop);
  return listenUnix(loop, factory, path, rest, "startUnixServer");
}
