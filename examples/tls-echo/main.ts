// Seed: none of its own; a TLS echo server and client (asyncio streams) with a
// certificate generated at run time by openssl.
// Twin of ./main.py.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openConnection, run, startServer, type StreamReader, type StreamWriter } from "asyncio-ts";

function makeCertificate(directory: string): { key: string; cert: string } {
  const key = join(directory, "key.pem");
  const cert = join(directory, "cert.pem");
  execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
    "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=localhost",
    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"], { stdio: "ignore" });
  return { key: readFileSync(key, "utf8"), cert: readFileSync(cert, "utf8") };
}

async function handleEcho(reader: StreamReader, writer: StreamWriter): Promise<void> {
  for await (const line of reader) {
    console.log(`server got '${line.toString().trim()}' over TLS`);
    writer.write(line.toString().toUpperCase());
    await writer.drain();
  }
  writer.close();
  await writer.waitClosed();
}

async function main(): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), "tls-echo-"));
  try {
    const { key, cert } = makeCertificate(directory);
    const server = await startServer(handleEcho, "127.0.0.1", 0, { ssl: { key, cert } });
    const [, port] = server.sockets[0].getsockname();
    await server.use(async () => {
      const [reader, writer] = await openConnection("127.0.0.1", port, { ssl: { ca: cert }, serverHostname: "localhost" });
      const peercert = writer.getExtraInfo("peercert") as { subject: { CN: string } };
      console.log("server certificate is for", peercert.subject.CN);
      for (const word of ["hello", "secure", "world"]) {
        writer.write(`${word}\n`);
        await writer.drain();
        console.log(`client got '${(await reader.readline()).toString().trim()}'`);
      }
      writer.close();
      await writer.waitClosed();
    });
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  console.log("done");
}

await run(main);
