// Issue 5, bulk: N chunks of 64 KiB (the suite uses 4096 = 256 MiB) written
// to a local echo server and read back in full on one connection. Times from
// connect to the last byte back; reports mbps (MB = 10^6 bytes, counted one
// way) and peakRssMb. Twin: python/streams_bulk.py.
//   node workloads/streams-bulk.mjs <async|net> <chunks>
// asyncio-ts is imported lazily so the baseline never loads it.
import * as net from "node:net";
import { check, runWorkload } from "../lib/child.mjs";
import { peakRssMb } from "./streams-common.mjs";

const CHUNK = 64 * 1024;
const HOST = "127.0.0.1";

function result(seconds, total, received) {
  check("bytes echoed back", received, total);
  return { seconds, mbps: total / 1e6 / seconds, peakRssMb: peakRssMb() };
}

await runWorkload({
  /** asyncio-ts streams: startServer() echo handler, openConnection() client, write + drain / read. */
  async async(n) {
    const { run, createTask, openConnection, startServer } = await import("asyncio-ts");
    const total = n * CHUNK;
    return run(async () => {
      const server = await startServer(
        async (reader, writer) => {
          for (;;) {
            const data = await reader.read(CHUNK);
            if (data.length === 0) break;
            writer.write(data);
            await writer.drain();
          }
          writer.close();
        },
        HOST,
        0,
      );
      const [, port] = server.sockets[0].getsockname();
      const start = performance.now();
      const [reader, writer] = await openConnection(HOST, port);
      const chunk = Buffer.alloc(CHUNK, 97);
      const sending = createTask(async () => {
        for (let i = 0; i < n; i++) {
          writer.write(chunk);
          await writer.drain();
        }
        writer.writeEof();
      });
      let received = 0;
      for (;;) {
        const data = await reader.read(1 << 20);
        if (data.length === 0) break;
        received += data.length;
      }
      await sending;
      const seconds = (performance.now() - start) / 1000;
      writer.close();
      server.close();
      await server.waitClosed();
      return result(seconds, total, received);
    });
  },

  /** Baseline: raw node:net, the server is `socket.pipe(socket)`, the client writes until write() says stop, then waits for "drain". */
  async net(n) {
    const total = n * CHUNK;
    const server = net.createServer({ allowHalfOpen: true }, (socket) => socket.pipe(socket));
    await new Promise((r) => server.listen(0, HOST, r));
    const { port } = server.address();
    const start = performance.now();
    const socket = net.connect({ port, host: HOST, allowHalfOpen: true });
    await new Promise((r) => socket.once("connect", r));
    const chunk = Buffer.alloc(CHUNK, 97);
    let received = 0;
    const done = new Promise((resolve) => {
      socket.on("data", (d) => (received += d.length));
      socket.on("end", resolve);
    });
    let sent = 0;
    const pump = () => {
      while (sent < total) {
        sent += CHUNK;
        if (!socket.write(chunk)) return void socket.once("drain", pump);
      }
      socket.end();
    };
    pump();
    await done;
    const seconds = (performance.now() - start) / 1000;
    socket.destroy();
    await new Promise((r) => server.close(r));
    return result(seconds, total, received);
  },
});
