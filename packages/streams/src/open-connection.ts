import type { EventLoop } from "@asyncio-ts/loop";
import { getRunningLoop } from "@asyncio-ts/loop";
import { Future } from "@asyncio-ts/tasks";
import { connectTcp, type CreateConnectionOptions } from "./create-connection.js";
import { CONNECT_OPTIONS, checkOptions } from "./options.js";
import { StreamReader, checkLimit } from "./stream-reader.js";
import { StreamReaderProtocol } from "./stream-reader-protocol.js";
import { StreamWriter } from "./stream-writer.js";
import type { SocketTransport } from "./transport.js";

export interface OpenConnectionOptions extends CreateConnectionOptions {
  /** The reader's buffer limit (default 64 KiB): the longest line `readline` accepts. */
  limit?: number;
}

/**
 * Connects to `host:port` and returns a `[reader, writer]` pair (asyncio's
 * `open_connection`).
 *
 * ```ts
 * const [reader, writer] = await openConnection("127.0.0.1", 8888);
 * writer.write("hello\n");
 * await writer.drain();
 * console.log(String(await reader.readline()));
 * writer.close();
 * await writer.waitClosed();
 * ```
 *
 * `ssl: true` verifies the server's certificate and host name against Node's
 * trust store; pass Node's TLS options (`ca`, `cert`, ...) instead to adjust.
 *
 * Errors: `TypeError`/`RangeError` at the call for a bad host, port or
 * option; through the future, Node's connection errors (`ECONNREFUSED`,
 * `ENOTFOUND`, certificate errors, ...) with their `code`.
 *
 * Cancellation: the half-open socket is destroyed; nothing is left open.
 */
export function openConnection(host: string, port: number, options?: OpenConnectionOptions): Future<[StreamReader, StreamWriter]> {
  const loop = getRunningLoop();
  const { limit, ...rest } = checkOptions(options, "openConnection", ["limit", ...CONNECT_OPTIONS]);
  const checkedLimit = checkLimit(limit, "openConnection");
  const reader = new StreamReader({ limit: checkedLimit, loop });
  const protocol = new StreamReaderProtocol(reader, null, loop);
  return toStreams(loop, connectTcp(loop, () => protocol, host, port, rest, "openConnection"), reader, protocol);
}

/** @internal The connection future, mapped to the stream pair; cancelling it cancels the connection. */
export function toStreams(
  loop: EventLoop,
  connection: Future<[SocketTransport, StreamReaderProtocol]>,
  reader: StreamReader,
  protocol: StreamReaderProtocol,
): Future<[StreamReader, StreamWriter]> {
  const future = new Future<[StreamReader, StreamWriter]>({ loop });
  connection.addDoneCallback(() => {
    if (connection.cancelled()) {
      future.cancel();
      return;
    }
    const exc = connection.exception();
    if (exc !== undefined) {
      if (!future.done()) future.setException(exc);
      return;
    }
    const [transport] = connection.result();
    if (future.done()) transport.close();
    else future.setResult([reader, new StreamWriter(transport, protocol, reader, loop)]);
  });
  future.addDoneCallback(() => {
    if (future.cancelled()) connection.cancel();
  });
  return future;
}
