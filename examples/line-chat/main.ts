// Seed: none of its own; a line-based chat server (asyncio streams) with many clients, in one program.
// Twin of ./main.py. gather() is written with createTask (combinators are not used here).
import { createTask, type Future, openConnection, run, startServer, type StreamReader, type StreamWriter } from "asyncio-ts";

const NAMES = ["alice", "bob", "carol", "dave", "erin"];
const clients = new Map<string, StreamWriter>();

/** asyncio.gather for futures made here: the results in order. */
async function all<T>(futures: Future<T>[]): Promise<T[]> {
  const tasks = futures.map((f) => createTask(async () => await f));
  const results: T[] = [];
  for (const t of tasks) results.push(await t);
  return results;
}

async function handleClient(reader: StreamReader, writer: StreamWriter): Promise<void> {
  const name = (await reader.readline()).toString().trim();
  clients.set(name, writer);
  writer.write(`welcome ${name}, ${clients.size} online\n`);
  await writer.drain();
  for await (const line of reader) {
    const message = `${name}: ${line.toString().trim()}\n`;
    for (const other of clients.values()) other.write(message);
    await all([...clients.values()].map((other) => other.drain()));
  }
  clients.delete(name);
  writer.close();
  await writer.waitClosed();
}

async function main(): Promise<void> {
  const server = await startServer(handleClient, "127.0.0.1", 0);
  const [, port] = server.sockets[0].getsockname();
  const connections: [string, StreamReader, StreamWriter][] = [];
  for (const name of NAMES) {
    const [reader, writer] = await openConnection("127.0.0.1", port);
    writer.write(`${name}\n`);
    console.log((await reader.readline()).toString().trim());
    connections.push([name, reader, writer]);
  }
  for (const [name, , writer] of connections) {
    writer.write(`hello from ${name}\n`);
    await writer.drain();
    const lines = await all(connections.map(([, r]) => r.readline()));
    connections.forEach(([who], i) => console.log(`  ${who} sees '${lines[i].toString().trim()}'`));
  }
  for (const [, , writer] of connections) {
    writer.close();
    await writer.waitClosed();
  }
  server.close();
  await server.waitClosed();
  console.log(`${clients.size} online at the end`);
}

await run(main);
