// TLS with a certificate generated at test time (openssl), on 127.0.0.1.
import { openConnection, startServer, type StreamReader, type StreamWriter } from "@asyncio-ts/streams";
import { describe, expect, it } from "vitest";
import { HOST, makeCert, runLoop } from "./helpers.js";

async function echo(reader: StreamReader, writer: StreamWriter): Promise<void> {
  for await (const line of reader) {
    writer.write(line);
    await writer.drain();
  }
  writer.close();
}

describe("TLS", () => {
  it("echoes over TLS, verifying the server against the given CA and host name", async () => {
    const { key, cert } = makeCert();
    await runLoop(async () => {
      const server = await startServer(echo, HOST, 0, { ssl: { key, cert } });
      const [, port] = server.sockets[0].getsockname();
      const [reader, writer] = await openConnection(HOST, port, { ssl: { ca: cert }, serverHostname: "localhost" });
      writer.write("secret\n");
      expect(String(await reader.readline())).toBe("secret\n");
      expect(writer.canWriteEof()).toBe(false);
      const peercert = writer.getExtraInfo("peercert") as { subject: { CN: string } };
      expect(peercert.subject.CN).toBe("localhost");
      expect((writer.getExtraInfo("cipher") as { name: string }).name).toBeTypeOf("string");
      writer.close();
      await writer.waitClosed();
      server.close();
      await server.waitClosed();
    });
  });

  it("ssl: true uses Node's trust store: a self-signed server is refused with Node's error code", async () => {
    const { key, cert } = makeCert();
    await runLoop(async () => {
      const server = await startServer(echo, HOST, 0, { ssl: { key, cert } });
      const [, port] = server.sockets[0].getsockname();
      const error = (await openConnection(HOST, port, { ssl: true }).then(() => null, (e: unknown) => e)) as NodeJS.ErrnoException;
      expect(error).toBeInstanceOf(Error);
      expect(error.code).toBe("DEPTH_ZERO_SELF_SIGNED_CERT");
      // A wrong host name is refused too.
      const wrongName = (await openConnection(HOST, port, { ssl: { ca: cert }, serverHostname: "example.org" }).then(
        () => null,
        (e: unknown) => e,
      )) as NodeJS.ErrnoException;
      expect(wrongName.code).toBe("ERR_TLS_CERT_ALTNAME_INVALID");
      server.close();
      await server.waitClosed();
    });
  });

  it("startTls upgrades a plain connection on both sides (3.11)", async () => {
    const { key, cert } = makeCert();
    await runLoop(async () => {
      const server = await startServer(async (reader, writer) => {
        expect(String(await reader.readline())).toBe("STARTTLS\n");
        writer.write("GO\n");
        await writer.drain();
        await writer.startTls({ key, cert });
        await echo(reader, writer);
      }, HOST, 0);
      const [, port] = server.sockets[0].getsockname();
      const [reader, writer] = await openConnection(HOST, port);
      writer.write("STARTTLS\n");
      expect(String(await reader.readline())).toBe("GO\n");
      expect(writer.getExtraInfo("peercert")).toBeUndefined();
      await writer.startTls({ ca: cert, serverHostname: "localhost" });
      expect((writer.getExtraInfo("peercert") as { subject: { CN: string } }).subject.CN).toBe("localhost");
      writer.write("over tls\n");
      expect(String(await reader.readline())).toBe("over tls\n");
      writer.close();
      await writer.waitClosed();
      server.close();
      await server.waitClosed();
    });
  });
});
