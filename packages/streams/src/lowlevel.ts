/**
 * `@asyncio-ts/streams/lowlevel`: asyncio's transports and protocols, for
 * library authors: implement `Protocol`, get a `Transport` from
 * `createConnection` / `createServer`. The streams are built on these. To
 * write a transport of your own over a Node stream, extend
 * `NodeStreamTransport`; `trackResource` releases what is left open when its
 * loop closes.
 */
export type { Transport } from "./transport.js";
export { SocketTransport } from "./transport.js";
export { NodeStreamTransport } from "./node-stream-transport.js";
export type { NodeStreamTransportOptions } from "./node-stream-transport.js";
export { trackResource, untrackResource } from "./track-resource.js";
export type { Closeable } from "./track-resource.js";
export type { BaseProtocol, Protocol, ProtocolFactory } from "./protocol.js";
export { createConnection, createUnixConnection } from "./create-connection.js";
export type { CreateConnectionOptions, CreateUnixConnectionOptions } from "./create-connection.js";
export { createServer, createUnixServer } from "./create-server.js";
export type { CreateServerOptions } from "./create-server.js";
export { StreamReaderProtocol, FlowControlProtocol } from "./stream-reader-protocol.js";
export { DEFAULT_LIMIT } from "./stream-reader.js";
