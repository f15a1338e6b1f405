// Bulk: 256 MiB echoed through a local server in 64 KiB chunks; prints
// {"impl","seconds","mbps","peakRssMb"} (MB = 10^6 bytes, counted one way).
// Usage: node bench/workloads/streams-bulk.mjs [asyncio-ts|net] [MiB]
import * as net from "node:net";
import { loadAsyncio, report } from "./streams-common.mjs";

const impl = process.argv[2] ?? "asyncio-ts";
const mib = Number(process.argv[3] ?? 256);
const TOTAL = mib * 1024 * 1024;
const CHUNK = 64 * 1024;
const HOST = "127.0.0.1";

async function asyncioTs() {
  const { run, createTask, openConnection, startServer } = await loadAsyncio();
  return run(async () => {
    const server = await startServer(async (reader, writer) => {
      for (;;) {
        const data = await reader.read(CHUNK);
        if (data.length === 0) break;
        writer.write(data);
        await writer.drain();
      }
      writer.close();
    }, HOST, 0);
    const [, port] = server.sockets[0].getsockname();
    const start = performance.now();
    const [reader, writer] = await openConnection(HOST, port);
    const chunk = Buffer.alloc(CHUNK, 97);
    const sending = createTask(async () => {
      for (let sent = 0; sent < TOTAL; sent += CHUNK) {
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
    if (received !== TOTAL) throw new Error(`received ${received}`);
    return seconds;
  });
}

async function rawNet() {
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
    while (sent < TOTAL) {
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
  if (received !== TOTAL) throw new Error(`received ${received}`);
  return seconds;
}

const seconds = impl === "net" ? await rawNet() : await asyncioTs();
report({ impl, seconds, mbps: TOTAL / 1e6 / seconds });
