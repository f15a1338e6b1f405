// http-status: N URLs checked at concurrency C against a local HTTP server
// running in a separate process (http-status-server.mjs). Prints one JSON line:
// {"impl","n","concurrency","seconds","urlsPerSecond","peakRssMb"}.
//
// Usage: node bench/workloads/http-status.mjs <impl> [n=5000] [concurrency=100]
//   impl: asyncio-ts  checkMany() of @asyncio-ts/http-status (HEAD, timeout, retries: the real thing)
//         net         a bare node:net client: connect, write HEAD, read the status line, destroy
//         fetch       Node's fetch(url, { method: "HEAD" }) with a limit of C at a time
//         memory      checkMany() over a generator of n URLs (try n = 1000000): peak RSS
import { spawn } from "node:child_process";
import * as net from "node:net";
import { fileURLToPath } from "node:url";
import { report } from "./streams-common.mjs";

const impl = process.argv[2] ?? "asyncio-ts";
const N = Number(process.argv[3] ?? (impl === "memory" ? 1_000_000 : 5000));
const C = Number(process.argv[4] ?? 100);
const HOST = "127.0.0.1";
const root = fileURLToPath(new URL("../../", import.meta.url));

async function startServer() {
  const child = spawn(process.execPath, [fileURLToPath(new URL("./http-status-server.mjs", import.meta.url))], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise((resolve, reject) => {
    child.stdout.once("data", (d) => resolve(Number(String(d).trim())));
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { port, stop: () => child.kill("SIGTERM") };
}

async function loadHttpStatus() {
  try {
    const tasks = await import("@asyncio-ts/tasks");
    const hs = await import("@asyncio-ts/http-status");
    return { ...tasks, ...hs };
  } catch {
    const tasks = await import(`${root}packages/tasks/dist/index.js`);
    const hs = await import(`${root}packages/http-status/dist/index.js`);
    return { ...tasks, ...hs };
  }
}

function* urls(port, n) {
  for (let i = 0; i < n; i++) yield `http://${HOST}:${port}/page/${i}?q=${i}`;
}

async function asyncioTs(port, n) {
  const { run, checkMany } = await loadHttpStatus();
  return run(async () => {
    const start = performance.now();
    let ok = 0;
    for await (const result of checkMany(urls(port, n), { concurrency: C })) if (result.status === 200) ok++;
    if (ok !== n) throw new Error(`only ${ok} of ${n} URLs gave 200`);
    return (performance.now() - start) / 1000;
  });
}

function netStatus(port, path) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: HOST, port, noDelay: true });
    let data = "";
    socket.on("connect", () => socket.write(`HEAD ${path} HTTP/1.1\r\nHost: ${HOST}:${port}\r\nConnection: close\r\n\r\n`));
    socket.on("data", (chunk) => {
      data += chunk.toString("latin1");
      const end = data.indexOf("\r\n");
      if (end !== -1) {
        socket.destroy();
        resolve(data.slice(0, end));
      }
    });
    socket.on("error", reject);
  });
}

/** Runs `job(url)` over every URL with at most C at once (the p-limit pattern, no library). */
async function limited(port, n, job) {
  const iterator = urls(port, n);
  let ok = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: C }, async () => {
      for (const url of iterator) if ((await job(url)) === 200) ok++;
    }),
  );
  if (ok !== n) throw new Error(`only ${ok} of ${n} URLs gave 200`);
  return (performance.now() - start) / 1000;
}

async function bareNet(port, n) {
  return limited(port, n, async (url) => {
    const line = await netStatus(port, new URL(url).pathname);
    return Number(line.split(" ")[1]);
  });
}

async function nodeFetch(port, n) {
  return limited(port, n, async (url) => {
    const response = await fetch(url, { method: "HEAD" });
    return response.status;
  });
}

const server = await startServer();
try {
  if (impl === "memory") {
    const { run, checkMany } = await loadHttpStatus();
    const start = performance.now();
    const counts = await run(async () => {
      let seen = 0;
      let ok = 0;
      for await (const result of checkMany(urls(server.port, N), { concurrency: C, order: "input" })) {
        seen++;
        if (result.status === 200) ok++;
      }
      return { seen, ok };
    });
    const seconds = (performance.now() - start) / 1000;
    report({ impl, n: N, concurrency: C, ...counts, seconds, urlsPerSecond: N / seconds });
  } else {
    const runImpl = { "asyncio-ts": asyncioTs, net: bareNet, fetch: nodeFetch }[impl];
    if (runImpl === undefined) throw new Error(`unknown impl ${impl}: asyncio-ts | net | fetch | memory`);
    const seconds = await runImpl(server.port, N);
    const cpu = process.cpuUsage();
    report({ impl, n: N, concurrency: C, seconds, urlsPerSecond: N / seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 });
  }
} finally {
  server.stop();
}
