// The local HTTP server of the http-status benchmark, run as its own process
// so that it never shares a CPU with the client being measured. A bare
// node:net server: it answers every request head with a fixed status line
// and closes. Prints its port on stdout, then serves until killed.
// Usage: node bench/workloads/http-status-server.mjs
import * as net from "node:net";

const RESPONSE = Buffer.from("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", "latin1");

const server = net.createServer({ noDelay: true }, (socket) => {
  let seen = "";
  socket.on("data", (chunk) => {
    seen += chunk.toString("latin1");
    if (seen.includes("\r\n\r\n")) {
      socket.end(RESPONSE);
      seen = "";
    }
  });
  socket.on("error", () => {});
});
server.listen({ port: 0, host: "127.0.0.1", backlog: 4096 }, () => {
  console.log(server.address().port);
});
process.on("SIGTERM", () => process.exit(0));
