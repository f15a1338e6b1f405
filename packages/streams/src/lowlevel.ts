/**
 * `@asyncio-ts/streams/lowlevel`: asyncio's transports and protocols, for
 * library authors: implement `Protocol`, get a `Transport` from
 * `createConnection` / `createServer`. The streams are built on these.
 */
export type { Transport } from "./transport.js";
export { SocketTransport } from "./transport.js";
export type { BaseProtocol, Protocol, ProtocolFactory } from "./protocol.js";
export { createConnection, createUnixConnection } from "./create-connection.js";
export type { CreateConnectionOptions, CreateUnixConnectionOptions } from "./create-connection.js";
export { createServer, createUnixServer } from "./create-server.js";
export type { CreateServerOptions } from "./create-server.js";
export { StreamReaderProtocol, FlowControlProtocol } from "./stream-reader-protocol.js";
export { DEFAULT_LIMIT } from "./stream-reader.js";
