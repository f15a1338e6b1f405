/**
 * `@asyncio-ts/streams`: asyncio's high-level networking — `openConnection` /
 * `startServer` and the `StreamReader` / `StreamWriter` pair — over TCP, TLS
 * and Unix sockets. The transport/protocol layer under it is in
 * `@asyncio-ts/streams/lowlevel`.
 */
export { openConnection } from "./open-connection.js";
export type { OpenConnectionOptions } from "./open-connection.js";
export { startServer } from "./start-server.js";
export type { StartServerOptions } from "./start-server.js";
export { openUnixConnection, startUnixServer } from "./unix.js";
export type { OpenUnixConnectionOptions } from "./unix.js";
export { StreamReader } from "./stream-reader.js";
export type { StreamReaderOptions } from "./stream-reader.js";
export { StreamWriter } from "./stream-writer.js";
export { Server } from "./server.js";
export type { ServerSocket } from "./server.js";
export type { ClientConnectedCallback } from "./stream-reader-protocol.js";
export type { StartTlsOptions } from "./start-tls.js";
export type { ClientTlsOption } from "./create-connection.js";
export { IncompleteReadError, LimitOverrunError, ConnectionResetError } from "./errors.js";
