// Seed: asyncio docs, Streams: "TCP echo client and server using streams", in one program.
// Twin of ./main.py.
import { openConnection, run, startServer, type StreamReader, type StreamWriter } from "asyncio-ts";

const repr = (text: string): string => `'${text}'`;

async function handleEcho(reader: StreamReader, writer: StreamWriter): Promise<void> {
  const data = await reader.read(100);
  const message = data.toString();
  console.log(`Server received ${repr(message)}`);
  console.log(`Server sending: ${repr(message)}`);
  writer.write(data);
  await writer.drain();
  console.log("Server closing the connection");
  writer.close();
  await writer.waitClosed();
}

async function tcpEchoClient(port: number, message: string): Promise<void> {
  const [reader, writer] = await openConnection("127.0.0.1", port);
  console.log(`Client sending: ${repr(message)}`);
  writer.write(message);
  await writer.drain();
  const data = await reader.read(100);
  console.log(`Client received: ${repr(data.toString())}`);
  console.log("Client closing the connection");
  writer.close();
  await writer.waitClosed();
}

async function main(): Promise<void> {
  const server = await startServer(handleEcho, "127.0.0.1", 0);
  const [, port] = server.sockets[0].getsockname();
  console.log("Serving on 127.0.0.1");
  await server.use(() => tcpEchoClient(port, "Hello World!")); // async with server:
  console.log("Server closed");
}

await run(main);
