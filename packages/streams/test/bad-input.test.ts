import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { newEventLoop } from "@asyncio-ts/loop";
import { openConnection, openUnixConnection, startServer, startUnixServer, StreamReader } from "@asyncio-ts/streams";
import { createConnection, createServer, createUnixServer } from "@asyncio-ts/streams/lowlevel";
import { HOST, runLoop, tempDir } from "./helpers.js";

// Bad input gets a clear error at the call, never a silently ignored option,
// a connection left untouched or a socket made at another path.

const echo = async (): Promise<void> => undefined;

describe("Unix socket paths that are too long", () => {
  it("are a RangeError at the call (Node cut them short and made, then left, a socket at another path)", async () => {
    const { dir, remove } = tempDir();
    try {
      const path = join(dir, "s".repeat(200));
      await runLoop(async () => {
        expect(() => startUnixServer(echo, path)).toThrow(RangeError);
        expect(() => startUnixServer(echo, path)).toThrow(/^startUnixServer\(\) path is too long for a Unix socket: \d+ bytes, at most \d+ \(AF_UNIX path too long\)/);
        expect(() => openUnixConnection(path)).toThrow(/^openUnixConnection\(\) path is too long for a Unix socket/);
        expect(() => createUnixServer(() => ({ dataReceived: () => undefined }), path)).toThrow(/^createUnixServer\(\) path is too long/);
      });
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      remove();
    }
  });

  it("a path of the longest allowed length still works", async () => {
    const { dir, remove } = tempDir();
    try {
      const max = process.platform === "linux" ? 107 : 103;
      const path = join(dir, "x".repeat(max - dir.length - 1));
      expect(Buffer.byteLength(path)).toBe(max);
      await runLoop(async () => {
        const server = await startUnixServer(async (_reader, writer) => {
          writer.write("hi");
          writer.close();
        }, path);
        expect(existsSync(path)).toBe(true);
        const [reader, writer] = await openUnixConnection(path);
        expect(String(await reader.read())).toBe("hi");
        writer.close();
        server.close();
        await server.waitClosed();
      });
    } finally {
      remove();
    }
  });
});

describe("a client callback that is an async generator function", () => {
  it("is refused by startServer and startUnixServer (it left every connection open and untouched)", async () => {
    const agen = async function* handler(): AsyncGenerator<void> {
      yield;
    };
    await runLoop(async () => {
      expect(() => startServer(agen as never, HOST, 0)).toThrow(TypeError);
      expect(() => startServer(agen as never, HOST, 0)).toThrow(
        "startServer() clientConnected must be a function, got async generator function handler, which is iterated with for await, not run",
      );
      expect(() => startUnixServer(agen as never, "/tmp/x.sock")).toThrow(/^startUnixServer\(\) clientConnected must be a function, got async generator/);
    });
  });
});

describe("unknown options", () => {
  it("are a TypeError naming them (openConnection(h, p, { ca }) connected without TLS)", async () => {
    await runLoop(async () => {
      expect(() => openConnection(HOST, 1, { ca: "PEM" } as never)).toThrow(TypeError);
      expect(() => openConnection(HOST, 1, { ca: "PEM" } as never)).toThrow('openConnection() got an unknown option "ca" (known: limit, ssl, serverHostname)');
      expect(() => startServer(echo, HOST, 0, { limt: 10 } as never)).toThrow('startServer() got an unknown option "limt" (known: limit, ssl, backlog, startServing)');
      expect(() => openUnixConnection("/tmp/x.sock", { server_hostname: "x" } as never)).toThrow(/^openUnixConnection\(\) got an unknown option "server_hostname"/);
      expect(() => startUnixServer(echo, "/tmp/x.sock", { backLog: 5 } as never)).toThrow(/^startUnixServer\(\) got an unknown option "backLog"/);
      expect(() => createConnection(() => ({ dataReceived: () => undefined }), HOST, 1, { limit: 10 } as never)).toThrow('createConnection() got an unknown option "limit" (known: ssl, serverHostname)');
      expect(() => createServer(() => ({ dataReceived: () => undefined }), HOST, 0, { reuseAddress: true } as never)).toThrow(/^createServer\(\) got an unknown option "reuseAddress"/);
    });
  });

  it("StreamReader refuses an unknown option and a loop that is not a loop", () => {
    expect(() => new StreamReader({ limt: 10 } as never)).toThrow('StreamReader() got an unknown option "limt" (known: limit, loop)');
    expect(() => new StreamReader({ loop: 5 } as never)).toThrow(TypeError);
    expect(() => new StreamReader({ loop: 5 } as never)).toThrow("StreamReader() loop must be an EventLoop, got 5");
    const loop = newEventLoop();
    expect(new StreamReader({ loop }).limit).toBe(65536);
    loop.close();
  });
});

describe("limit", () => {
  it("errors name the call and show the value (they said only 'Limit cannot be <= 0', also for NaN)", async () => {
    expect(() => new StreamReader({ limit: NaN })).toThrow("Limit cannot be <= 0: StreamReader() limit must be a number of bytes > 0, got NaN");
    expect(() => new StreamReader({ limit: "64k" as never })).toThrow('StreamReader() limit must be a number of bytes, got "64k"');
    await runLoop(async () => {
      expect(() => openConnection(HOST, 1, { limit: 0 })).toThrow("Limit cannot be <= 0: openConnection() limit must be a number of bytes > 0, got 0");
      expect(() => startServer(echo, HOST, 0, { limit: -1 })).toThrow(/^Limit cannot be <= 0: startServer\(\) limit/);
    });
  });
});
