// Unix sockets in a temporary directory.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { openUnixConnection, startUnixServer } from "@asyncio-ts/streams";
import { describe, expect, it } from "vitest";
import { makeCert, runLoop, tempDir } from "./helpers.js";

describe("Unix sockets", () => {
  it("openUnixConnection / startUnixServer echo; the socket file goes with the server", async () => {
    const { dir, remove } = tempDir();
    const path = join(dir, "echo.sock");
    try {
      await runLoop(async () => {
        const server = await startUnixServer(async (reader, writer) => {
          writer.write(await reader.readline());
          expect(writer.getExtraInfo("sockname")).toBe(path);
          writer.close();
        }, path);
        expect(server.sockets[0].getsockname()).toBe(path);
        expect(existsSync(path)).toBe(true);
        const [reader, writer] = await openUnixConnection(path);
        expect(writer.getExtraInfo("peername")).toBe(path);
        writer.write("unix\n");
        expect(String(await reader.readline())).toBe("unix\n");
        expect(await reader.read()).toHaveLength(0);
        writer.close();
        await writer.waitClosed();
        server.close();
        await server.waitClosed();
        // A stale socket file is replaced by the next server.
        const again = await startUnixServer(() => {}, path);
        again.close();
        await again.waitClosed();
      });
      expect(existsSync(path)).toBe(false);
    } finally {
      remove();
    }
  });

  it("TLS over a Unix socket needs serverHostname; with it, works", async () => {
    const { key, cert } = makeCert();
    const { dir, remove } = tempDir();
    const path = join(dir, "tls.sock");
    try {
      await runLoop(async () => {
        expect(() => openUnixConnection(path, { ssl: true })).toThrow(RangeError);
        const server = await startUnixServer(async (reader, writer) => {
          writer.write(await reader.readline());
          writer.close();
        }, path, { ssl: { key, cert } });
        const [reader, writer] = await openUnixConnection(path, { ssl: { ca: cert }, serverHostname: "localhost" });
        writer.write("tls unix\n");
        expect(String(await reader.readline())).toBe("tls unix\n");
        writer.close();
        await writer.waitClosed();
        server.close();
        await server.waitClosed();
      });
    } finally {
      remove();
    }
  });

  it("a missing path is Node's ENOENT", async () => {
    const { dir, remove } = tempDir();
    try {
      const error = await runLoop(() => openUnixConnection(join(dir, "none.sock")).then(() => null, (e: unknown) => e));
      expect((error as NodeJS.ErrnoException).code).toBe("ENOENT");
    } finally {
      remove();
    }
  });
});
