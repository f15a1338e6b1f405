import type * as net from "node:net";
import { createServer } from "node:net";
export { runLoop } from "@asyncio-ts/test-support/run-loop";
export { makeCert, type TestCert } from "@asyncio-ts/test-support/tls";
import { tempDir as tempDirFor } from "@asyncio-ts/test-support/temp-dir";

export const HOST = "127.0.0.1";

/** A fresh temporary directory, removed by the returned function. */
export const tempDir = (): { dir: string; remove: () => void } => tempDirFor("streams");

/** Bytes from a string. */
export function b(text: string): Buffer {
  return Buffer.from(text, "latin1");
}

/** A plain node:net server (the peer); `close()` destroys its connections too. */
export async function nodePeer(onConnection: (socket: net.Socket) => void): Promise<{ port: number; close: () => Promise<void>; sockets: Set<net.Socket> }> {
  const sockets = new Set<net.Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    sockets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
