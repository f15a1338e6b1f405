// Issue 5, chatty: 200 concurrent connections to a local line-echo server,
// each sending a line and waiting for it to come back N / 200 times in a row
// (the suite uses N = 100,000: 500 per connection). Times from the first
// connect to the last connection done; reports roundTripsPerSecond and
// peakRssMb. Twin: python/streams_chatty.py.
//   node workloads/streams-chatty.mjs <async|net> <round trips, a multiple of 200>
// asyncio-ts is imported lazily so the baseline never loads it.
import * as net from "node:net";
import { check, runWorkload } from "../lib/child.mjs";
import { peakRssMb } from "./streams-common.mjs";

const CONNECTIONS = 200;
const HOST = "127.0.0.1";

function linesPer(n) {
  check("round trips a multiple of the connections", n % CONNECTIONS, 0);
  return n / CONNECTIONS;
}

function result(seconds, n, roundTrips) {
  check("round trips completed", roundTrips, n);
  return { seconds, roundTripsPerSecond: n / seconds, connections: CONNECTIONS, peakRssMb: peakRssMb() };
}

await runWorkload({
  /** asyncio-ts streams: readline() / write() + drain() on both sides, one task per client. */
  async async(n) {
    const LINES = linesPer(n);
    const { run, createTask, openConnection, startServer } = await import("asyncio-ts");
    return run(async () => {
      const server = await startServer(
        async (reader, writer) => {
          for (;;) {
            const line = await reader.readline();
            if (line.length === 0) break;
            writer.write(line);
            await writer.drain();
          }
          writer.close();
        },
        HOST,
        0,
      );
      const [, port] = server.sockets[0].getsockname();
      let roundTrips = 0;
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
              if (!reply.equals(request)) throw new Error("bad reply");
              roundTrips++;
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
      return result(seconds, n, roundTrips);
    });
  },

  /** Baseline: the same protocol on raw node:net with callbacks (noDelay on both sides). */
  async net(n) {
    const LINES = linesPer(n);
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
    let roundTrips = 0;
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
              if (pending.slice(0, nl + 1) !== request) return void reject(new Error("bad reply"));
              pending = pending.slice(nl + 1);
              roundTrips++;
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
    return result(seconds, n, roundTrips);
  },
});
