// openConnection / startServer over real sockets on 127.0.0.1 (ports of
// test_streams.py's test_open_connection*, test_start_server, ...).
import { RuntimeError } from "@asyncio-ts/loop";
import { CancelledError, createTask, sleep } from "@asyncio-ts/tasks";
import { LimitOverrunError, openConnection, startServer, StreamReader, StreamWriter } from "@asyncio-ts/streams";
import { describe, expect, it } from "vitest";
import { HOST, nodePeer, runLoop } from "./helpers.js";

describe("openConnection", () => {
  it("reads a line and EOF from a peer (test_open_connection)", async () => {
    const peer = await nodePeer((socket) => {
      socket.once("data", (d) => socket.end(`${d.toString().trim()} back\n`));
    });
    try {
      const out = await runLoop(async () => {
        const [reader, writer] = await openConnection(HOST, peer.port);
        expect(reader).toBeInstanceOf(StreamReader);
        expect(writer).toBeInstanceOf(StreamWriter);
        writer.write("hello\n");
        await writer.drain();
        const line = String(await reader.readline());
        const rest = await reader.read();
        expect(reader.atEof()).toBe(true);
        const peername = writer.getExtraInfo("peername");
        writer.close();
        await writer.waitClosed();
        return { line, rest: rest.length, peername };
      });
      expect(out).toEqual({ line: "hello back\n", rest: 0, peername: [HOST, peer.port] });
    } finally {
      await peer.close();
    }
  });

  it("fails with Node's ECONNREFUSED error (code kept)", async () => {
    const peer = await nodePeer(() => {});
    const port = peer.port;
    await peer.close();
    const error = await runLoop(() => openConnection(HOST, port).then(() => null, (e: unknown) => e));
    expect((error as NodeJS.ErrnoException).code).toBe("ECONNREFUSED");
  });

  it("checks its arguments at the call", async () => {
    await runLoop(async () => {
      expect(() => openConnection(HOST, 70000)).toThrow(RangeError);
      expect(() => openConnection(HOST, 0)).toThrow(RangeError);
      expect(() => openConnection(HOST, 1.5)).toThrow(RangeError);
      expect(() => openConnection(HOST, "80" as never)).toThrow(TypeError);
      expect(() => openConnection(42 as never, 80)).toThrow(TypeError);
      expect(() => openConnection(HOST, 80, { limit: 0 })).toThrow(RangeError);
      expect(() => openConnection(HOST, 80, { serverHostname: "x" })).toThrow(RangeError);
      expect(() => openConnection(HOST, 80, "x" as never)).toThrow(TypeError);
    });
  });

  it("needs a running loop (RuntimeError at the call)", () => {
    expect(() => openConnection(HOST, 80)).toThrow(RuntimeError);
    expect(() => openConnection(HOST, 80)).toThrow("no running event loop");
  });

  it("cancelling openConnection closes the half-open socket", async () => {
    // A server that never finishes accepting: backlog connections are "open" for the client.
    let accepted = 0;
    const peer = await nodePeer(() => void accepted++);
    try {
      await runLoop(async () => {
        const task = createTask(() => openConnection(HOST, peer.port));
        await sleep(0);
        task.cancel();
        await expect(task).rejects.toBeInstanceOf(CancelledError);
      });
      // Every socket the peer saw is closed again: nothing half-open is left.
      for (let i = 0; i < 100 && peer.sockets.size > 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(peer.sockets.size).toBe(0);
    } finally {
      await peer.close();
    }
  });

  it("a peer that resets mid-read: the read fails with ECONNRESET, drain too", async () => {
    const peer = await nodePeer((socket) => {
      socket.write("partial");
      setTimeout(() => socket.resetAndDestroy(), 20);
    });
    try {
      await runLoop(async () => {
        const [reader, writer] = await openConnection(HOST, peer.port);
        expect(String(await reader.read(7))).toBe("partial");
        const error = (await reader.read(10).then(() => null, (e: unknown) => e)) as NodeJS.ErrnoException;
        expect(error.code).toBe("ECONNRESET");
        const drained = (await writer.drain().then(() => null, (e: unknown) => e)) as NodeJS.ErrnoException;
        expect(drained).toBe(error);
        writer.close();
        await expect(writer.waitClosed()).rejects.toBe(error);
      });
    } finally {
      await peer.close();
    }
  });
});

describe("openConnection against hostile peers", () => {
  it("a peer that resets while drain() is pending: drain() fails with ECONNRESET instead of waiting forever", async () => {
    const peer = await nodePeer((socket) => {
      socket.pause(); // never reads: our writes back up until drain() has to wait
      setTimeout(() => socket.resetAndDestroy(), 150);
    });
    try {
      await runLoop(async () => {
        const [, writer] = await openConnection(HOST, peer.port);
        let error: NodeJS.ErrnoException | null = null;
        let pendingDrains = 0;
        const started = performance.now();
        while (error === null && performance.now() - started < 3000) {
          writer.write(Buffer.alloc(64 * 1024));
          const drained = writer.drain();
          if (!drained.done()) pendingDrains++;
          error = await drained.then(() => null, (e: unknown) => e as NodeJS.ErrnoException);
        }
        expect(pendingDrains).toBeGreaterThan(0);
        expect(error?.code).toBe("ECONNRESET");
        expect(performance.now() - started).toBeLessThan(1500);
        writer.close();
        await expect(writer.waitClosed()).rejects.toBe(error);
      });
    } finally {
      await peer.close();
    }
  });

  it("a peer sending endless bytes without a newline: LimitOverrunError, bounded buffer, and the stream goes on (as CPython)", async () => {
    const peer = await nodePeer((socket) => {
      const chunk = Buffer.alloc(16 * 1024, 0x61);
      const pump = (): void => {
        while (!socket.destroyed && socket.write(chunk));
        if (!socket.destroyed) socket.once("drain", pump);
      };
      pump();
    });
    try {
      await runLoop(async () => {
        const [reader, writer] = await openConnection(HOST, peer.port, { limit: 1024 });
        const buffered = (): number => Number(/ (\d+) bytes/.exec(String(reader))?.[1] ?? 0);
        const overrun = await reader.readuntil("\n").then(() => null, (e: unknown) => e);
        expect(overrun).toBeInstanceOf(LimitOverrunError);
        // Nothing consumed: the bytes are still there, but no more than a socket read or two past the limit.
        expect(buffered()).toBeGreaterThan(1024);
        expect(buffered()).toBeLessThan(512 * 1024);
        expect(String(reader)).toContain("paused");
        expect((await reader.read(100)).length).toBe(100);
        // readline drops the overlong line (Python's ValueError) and waits for more, as before.
        await expect(reader.readline()).rejects.toBeInstanceOf(RangeError);
        await sleep(0.05);
        expect(buffered()).toBeLessThan(512 * 1024);
        expect((await reader.readexactly(300_000)).length).toBe(300_000);
        writer.close();
        await writer.waitClosed();
      });
    } finally {
      await peer.close();
    }
  });
});

describe("startServer", () => {
  for (const kind of ["async", "generator", "sync"] as const) {
    it(`serves clients with a ${kind} callback (test_start_server)`, async () => {
      const log = await runLoop(async () => {
        const log: string[] = [];
        const handlers = {
          async: async (reader: StreamReader, writer: StreamWriter) => {
            const data = await reader.readline();
            writer.write(data);
            await writer.drain();
            writer.close();
            await writer.waitClosed();
          },
          *generator(reader: StreamReader, writer: StreamWriter): Generator<unknown, void, unknown> {
            const data: Buffer = yield* reader.readline();
            writer.write(data);
            yield* writer.drain();
            writer.close();
            yield* writer.waitClosed();
          },
          sync: (_reader: StreamReader, writer: StreamWriter) => {
            writer.write("hi\n");
            writer.close();
          },
        };
        const server = await startServer(handlers[kind], HOST, 0);
        const [, port] = server.sockets[0].getsockname();
        expect(port).toBeGreaterThan(0);
        expect(server.isServing()).toBe(true);
        for (let i = 0; i < 3; i++) {
          const [reader, writer] = await openConnection(HOST, port);
          writer.write("hi\n");
          log.push(String(await reader.readline()));
          expect(await reader.read()).toHaveLength(0);
          writer.close();
          await writer.waitClosed();
        }
        server.close();
        await server.waitClosed();
        expect(server.isServing()).toBe(false);
        expect(server.sockets).toEqual([]);
        return log;
      });
      expect(log).toEqual(["hi\n", "hi\n", "hi\n"]);
    });
  }

  it("an exception in the callback goes to the exception handler and closes only that connection", async () => {
    const errors = await runLoop(async ({ errors }) => {
      let n = 0;
      const server = await startServer(async (reader, writer) => {
        if (n++ === 0) throw new Error("handler failed");
        writer.write(await reader.readline());
        await writer.drain();
      }, HOST, 0);
      const [, port] = server.sockets[0].getsockname();
      const [r1, w1] = await openConnection(HOST, port);
      expect(await r1.read()).toHaveLength(0); // closed by the server
      w1.close();
      const [r2, w2] = await openConnection(HOST, port);
      w2.write("ok\n");
      expect(String(await r2.readline())).toBe("ok\n");
      w2.close();
      await w2.waitClosed();
      server.closeClients();
      server.close();
      await server.waitClosed();
      return errors;
    });
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toBe("Unhandled exception in client_connected_cb");
    expect((errors[0].exception as Error).message).toBe("handler failed");
  });

  it("waitClosed waits for the server to close and its clients to go (3.12.1)", async () => {
    const trace = await runLoop(async () => {
      const trace: string[] = [];
      let clientWriter: StreamWriter | null = null;
      const server = await startServer((_r, w) => void (clientWriter = w), HOST, 0);
      const [, port] = server.sockets[0].getsockname();
      const [, writer] = await openConnection(HOST, port);
      const waiting = createTask(async () => {
        await server.waitClosed();
        trace.push("waitClosed returned");
      });
      await sleep(0.05);
      trace.push("closing server");
      server.close();
      await sleep(0.05);
      trace.push("closing client");
      (clientWriter as StreamWriter | null)?.close();
      await waiting;
      writer.close();
      await writer.waitClosed();
      return trace;
    });
    expect(trace).toEqual(["closing server", "closing client", "waitClosed returned"]);
  });

  it("closeClients and abortClients end the accepted connections (3.13)", async () => {
    await runLoop(async () => {
      for (const how of ["closeClients", "abortClients"] as const) {
        const server = await startServer(async () => {}, HOST, 0);
        const [, port] = server.sockets[0].getsockname();
        const [reader, writer] = await openConnection(HOST, port);
        await sleep(0.02);
        server.close();
        server[how]();
        await server.waitClosed();
        expect(await reader.read()).toHaveLength(0);
        writer.close();
        await writer.waitClosed();
      }
    });
  });

  it("startServing: false accepts only after startServing() (connections wait)", async () => {
    await runLoop(async () => {
      const seen: string[] = [];
      const server = await startServer(async (reader, writer) => {
        seen.push(String(await reader.readline()));
        writer.close();
      }, HOST, 0, { startServing: false });
      expect(server.isServing()).toBe(false);
      const [, port] = server.sockets[0].getsockname();
      const [reader, writer] = await openConnection(HOST, port);
      writer.write("early\n");
      await sleep(0.05);
      expect(seen).toEqual([]);
      await server.startServing();
      expect(server.isServing()).toBe(true);
      expect(await reader.read()).toHaveLength(0);
      expect(seen).toEqual(["early\n"]);
      writer.close();
      server.close();
      await server.waitClosed();
    });
  });

  it("serveForever: cancelling it closes the server and waits for its clients", async () => {
    await runLoop(async () => {
      const server = await startServer(async (_reader, writer) => {
        writer.write("hello\n");
        writer.close();
      }, HOST, 0, { startServing: false });
      const [, port] = server.sockets[0].getsockname();
      const forever = createTask(() => server.serveForever());
      await sleep(0);
      expect(() => server.serveForever()).toThrow(RuntimeError);
      const [reader, writer] = await openConnection(HOST, port);
      expect(String(await reader.readline())).toBe("hello\n");
      writer.close();
      forever.cancel();
      await expect(forever).rejects.toBeInstanceOf(CancelledError);
      expect(server.isServing()).toBe(false);
      expect(() => server.serveForever()).toThrow("is closed");
    });
  });

  it("await using closes the server (Symbol.asyncDispose), and so does use(body)", async () => {
    await runLoop(async () => {
      let port = 0;
      {
        await using server = await startServer(() => {}, HOST, 0);
        port = server.sockets[0].getsockname()[1];
        expect(server.isServing()).toBe(true);
      }
      const error = (await openConnection(HOST, port).then(() => null, (e: unknown) => e)) as NodeJS.ErrnoException;
      expect(error.code).toBe("ECONNREFUSED");

      const server = await startServer(() => {}, HOST, 0);
      const result = await server.use(async (s) => {
        expect(s.isServing()).toBe(true);
        return 42;
      });
      expect(result).toBe(42);
      expect(server.sockets).toEqual([]);
    });
  });

  it("checks its arguments at the call; listen errors come through the future", async () => {
    await runLoop(async () => {
      expect(() => startServer("x" as never, HOST, 0)).toThrow(TypeError);
      expect(() => startServer(() => {}, HOST, -1)).toThrow(RangeError);
      expect(() => startServer(() => {}, 5 as never, 0)).toThrow(TypeError);
      expect(() => startServer(() => {}, HOST, 0, { backlog: -2 })).toThrow(RangeError);
      expect(() => startServer(() => {}, HOST, 0, { ssl: "yes" as never })).toThrow(TypeError);
      const server = await startServer(() => {}, HOST, 0);
      const [, port] = server.sockets[0].getsockname();
      const error = (await startServer(() => {}, HOST, port).then(() => null, (e: unknown) => e)) as NodeJS.ErrnoException;
      expect(error.code).toBe("EADDRINUSE");
      server.close();
      await server.waitClosed();
    });
  });

  it("many concurrent clients", async () => {
    const total = await runLoop(async () => {
      const server = await startServer(async (reader, writer) => {
        for await (const line of reader) {
          writer.write(line);
          await writer.drain();
        }
        writer.close();
      }, HOST, 0);
      const [, port] = server.sockets[0].getsockname();
      const clients = Array.from({ length: 50 }, (_, i) =>
        createTask(async () => {
          const [reader, writer] = await openConnection(HOST, port);
          let sum = 0;
          for (let j = 0; j < 20; j++) {
            writer.write(`${i * j}\n`);
            sum += Number(String(await reader.readline()));
          }
          writer.close();
          await writer.waitClosed();
          return sum;
        }),
      );
      let total = 0;
      for (const c of clients) total += await c;
      server.close();
      await server.waitClosed();
      return total;
    });
    expect(total).toBe(Array.from({ length: 50 }, (_, i) => i * 190).reduce((a, x) => a + x, 0));
  });
});
