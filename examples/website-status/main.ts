// Seed: the guide's section 21, "check the HTTP status of many websites" with
// asyncio streams, sequential and concurrent (gather), pointed at a local HTTP
// server that this program starts itself (no network).
// Twin of ./main.py. gather() is written with createTask (combinators are not used here).
import { createTask, openConnection, run, sleep, startServer, type StreamReader, type StreamWriter } from "asyncio-ts";

const PAGES: Record<string, string> = {
  "/": "200 OK", "/about": "200 OK", "/old": "301 Moved Permanently",
  "/secret": "403 Forbidden", "/missing": "404 Not Found", "/broken": "500 Internal Server Error",
};
const DELAY = 0.2; // every response takes this long

async function handleHttp(reader: StreamReader, writer: StreamWriter): Promise<void> {
  const requestLine = (await reader.readline()).toString("latin1");
  for (;;) {
    const header = (await reader.readline()).toString("latin1");
    if (header === "\r\n" || header === "\n" || header === "") break; // skip the headers
  }
  const path = requestLine.split(" ")[1];
  await sleep(DELAY);
  writer.write(Buffer.from(`HTTP/1.0 ${PAGES[path] ?? "404 Not Found"}\r\nContent-Length: 0\r\n\r\n`, "latin1"));
  await writer.drain();
  writer.close();
  await writer.waitClosed();
}

async function getStatus(host: string, port: number, path: string): Promise<string> {
  const [reader, writer] = await openConnection(host, port);
  writer.write(Buffer.from(`HEAD ${path} HTTP/1.0\r\nHost: ${host}\r\n\r\n`, "latin1"));
  await writer.drain();
  const statusLine = (await reader.readline()).toString("latin1").trimEnd();
  writer.close();
  await writer.waitClosed();
  return statusLine;
}

const seconds = (start: number): string => String(Math.round((performance.now() - start) / 100) / 10);

async function main(): Promise<void> {
  const server = await startServer(handleHttp, "127.0.0.1", 0);
  const [, port] = server.sockets[0].getsockname();
  const paths = [...Object.keys(PAGES), "/nowhere"];
  await server.use(async () => {
    let start = performance.now();
    for (const path of paths) console.log(`${path}: ${await getStatus("127.0.0.1", port, path)}`);
    console.log(`sequential: ${paths.length} pages in about ${seconds(start)} s`);

    start = performance.now();
    const tasks = paths.map((path) => createTask(() => getStatus("127.0.0.1", port, path)));
    const statuses: string[] = [];
    for (const t of tasks) statuses.push(await t);
    paths.forEach((path, i) => console.log(`${path}: ${statuses[i]}`));
    console.log(`concurrent: ${paths.length} pages in about ${seconds(start)} s`);
  });
}

await run(main);
