// Chatty: 200 connections each doing 500 request/response lines against a
// local line-echo server; prints {"impl","seconds","roundTripsPerSecond","peakRssMb"}.
// Usage: node bench/workloads/streams-chatty.mjs [asyncio-ts|net] [connections] [lines]
import * as net from "node:net";
import { loadAsyncio, report } from "./streams-common.mjs";

const impl = process.argv[2] ?? "asyncio-ts";
const CONNECTIONS = Number(process.argv[3] ?? 200);
const LINES = Number(process.argv[4] ?? 500);
const HOST = "127.0.0.1";

async function asyncioTs() {
  const { run, createTask, openConnection, startServer } = await loadAsyncio();
  return run(async () => {
    const server = await startServer(async (reader, writer) => {
      for (;;) {
        const line = await reader.readline();
        if (line.length === 0) break;
        writer.write(line);
        await writer.drain();
      }
      writer.close();
    }, HOST, 0);
    const [, port] = server.sockets[0].getsockname();
    const start = performance.now();
    const clients = [];
    for (let c = 0; c < CONNECTIONS; c++) {
      clients.push(
        createTask(async () => {
          const [reader, writer] = await openConnection(HOST, port);
          const request = Buffer.from(`request from client ${c}\n`);
          for (let i = 0; i < LINES; i++) {
            writer.write(request);
            await writer.drain();
            const reply = await reader.readline();
            if (reply.length !== request.length) throw new Error("bad reply");
          }
          writer.close();
          await writer.waitClosed();
        }),
      );
    }
    for (const c of clients) await c;
    const seconds = (performance.now() - start) / 1000;
    server.close();
    await server.waitClosed();
    return seconds;
  });
}

async function rawNet() {
  // The same protocol with callbacks: the server echoes whole lines back; each client waits for its line.
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    let pending = "";
    socket.on("data", (d) => {
      pending += d.toString("latin1");
      const end = pending.lastIndexOf("\n");
      if (end === -1) return;
      socket.write(pending.slice(0, end + 1), "latin1");
      pending = pending.slice(end + 1);
    });
    socket.on("error", () => {});
  });
  await new Promise((r) => server.listen(0, HOST, r));
  const { port } = server.address();
  const start = performance.now();
  const clients = [];
  for (let c = 0; c < CONNECTIONS; c++) {
    clients.push(
      new Promise((resolve, reject) => {
        const request = `request from client ${c}\n`;
        const socket = net.connect({ port, host: HOST, noDelay: true });
        let done = 0;
        let pending = "";
        socket.on("connect", () => socket.write(request));
        socket.on("data", (d) => {
          pending += d.toString("latin1");
          let nl;
          while ((nl = pending.indexOf("\n")) !== -1) {
            pending = pending.slice(nl + 1);
            if (++done === LINES) {
              socket.end();
              return;
            }
            socket.write(request);
          }
        });
        socket.on("close", () => (done === LINES ? resolve() : reject(new Error("closed early"))));
        socket.on("error", reject);
      }),
    );
  }
  await Promise.all(clients);
  const seconds = (performance.now() - start) / 1000;
  await new Promise((r) => server.close(r));
  return seconds;
}

const seconds = impl === "net" ? await rawNet() : await asyncioTs();
report({ impl, connections: CONNECTIONS, lines: LINES, seconds, roundTripsPerSecond: (CONNECTIONS * LINES) / seconds });
