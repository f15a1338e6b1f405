// Ports of CPython's Lib/test/test_asyncio/test_streams.py (3.12, and 3.13's
// readuntil tests) that stream-reader.test.ts, open-connection.test.ts and
// stream-writer.test.ts do not cover, plus the stream-level parts of
// test_sslproto.py / test_ssl.py. Real sockets on 127.0.0.1 only; the
// expectations come from running the same scenario on CPython.
import { spawn } from "node:child_process";
import * as net from "node:net";
import * as tls from "node:tls";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { RuntimeError } from "@asyncio-ts/loop";
import { CancelledError, createTask, Future, sleep } from "@asyncio-ts/tasks";
import { ConnectionResetError, LimitOverrunError, openConnection, openUnixConnection, startServer, startUnixServer, StreamReader, type Server, type StreamWriter } from "@asyncio-ts/streams";
import { NodeStreamTransport, StreamReaderProtocol, type Protocol } from "@asyncio-ts/streams/lowlevel";
import { describe, expect, it } from "vitest";
import { b, HOST, makeCert, nodePeer, runLoop, tempDir } from "./helpers.js";

const str = (x: Uint8Array): string => Buffer.from(x).toString("latin1");
const failure = (f: PromiseLike<unknown>): Promise<unknown> => Promise.resolve(f).then(() => null, (e: unknown) => e);
/** What a reader holds, from its repr ("<StreamReader 12 bytes ...>"). */
const buffered = (reader: StreamReader): number => Number(/ (\d+) bytes/.exec(String(reader))?.[1] ?? 0);

/** Runs a generator coroutine in a task of its own and waits for it. */
function runGenerator(body: () => Generator<unknown, void, unknown>): Promise<void> {
  return Promise.resolve(createTask(body()));
}

/** Runs `ticker` steps (one per loop iteration) next to `body`, returning where `body`'s steps fell among them. */
async function traceIterations(body: (trace: unknown[]) => Promise<void>): Promise<unknown[]> {
  const trace: unknown[] = [];
  const ticker = createTask(async () => {
    for (let i = 0; i < 6; i++) {
      trace.push(i);
      await sleep(0);
    }
  });
  await sleep(0);
  await body(trace);
  await ticker;
  return trace;
}

describe("StreamReader (test_streams.py, 3.13 readuntil)", () => {
  it("several separators: the first end position wins, even for a longer separator (test_readuntil_multi_separator)", () =>
    runLoop(async () => {
      const stream = new StreamReader();
      stream.feedData(b("ABCDEFG"));
      expect(str(await stream.readuntil(["DEF", "BCDE"]))).toBe("ABCDE");
      expect(str(await stream.read(2))).toBe("FG");
      expect(() => stream.readuntil([""])).toThrow("Separator should be at least one-byte string");
      expect(() => stream.readuntil([])).toThrow("Separator should contain at least one element");
    }));

  it("several separators over the limit: 'is found', consumed at the shortest match, nothing consumed (test_readuntil_multi_separator_limit)", () =>
    runLoop(async () => {
      const stream = new StreamReader({ limit: 3 });
      stream.feedData(b("some dataA"));
      const error = (await failure(stream.readuntil(["A", "ome dataA"]))) as LimitOverrunError;
      expect(error).toBeInstanceOf(LimitOverrunError);
      expect(error.message).toBe("Separator is found, but chunk is longer than limit");
      expect(error.consumed).toBe(9);
      expect(buffered(stream)).toBe(10);
    }));

  it("a buffer long enough for the short separator only never makes the offset negative (test_readuntil_multi_separator_negative_offset)", () =>
    runLoop(async ({ loop }) => {
      const stream = new StreamReader();
      stream.feedData(b("data"));
      const task = createTask(() => stream.readuntil(["A", "long sep"]));
      loop.callSoon(() => stream.feedData(b("Z")));
      loop.callSoon(() => stream.feedData(b("Aaaa")));
      expect(str(await task)).toBe("dataZA");
      expect(str(await stream.read(3))).toBe("aaa");
    }));

  it("a separator given as a plain Uint8Array (test_readuntil_bytearray)", () =>
    runLoop(async () => {
      const stream = new StreamReader();
      stream.feedData(b("some data\r\n"));
      expect(str(await stream.readuntil(new Uint8Array([13, 10])))).toBe("some data\r\n");
      expect(buffered(stream)).toBe(0);
    }));

  it("readline over the limit while waiting: the error depends on what the wake-up saw, the rest stays", () =>
    runLoop(async () => {
      // Fed in two iterations: the first wake-up sees 7 bytes without "\n" (not found, all dropped).
      let stream = new StreamReader({ limit: 5 });
      let task = createTask(() => stream.readline());
      await sleep(0);
      stream.feedData(b("abcdefg"));
      await sleep(0);
      stream.feedData(b("\nrest\n"));
      let error = (await failure(task)) as Error;
      expect(error).toBeInstanceOf(RangeError);
      expect(error.message).toBe("Separator is not found, and chunk exceed the limit");
      expect(buffered(stream)).toBe(6); // "\nrest\n"
      // Fed in one iteration: the wake-up sees the "\n" (found, the line dropped with it).
      stream = new StreamReader({ limit: 5 });
      task = createTask(() => stream.readline());
      await sleep(0);
      stream.feedData(b("abcdefg"));
      stream.feedData(b("\nrest\n"));
      error = (await failure(task)) as Error;
      expect(error.message).toBe("Separator is found, but chunk is longer than limit");
      expect((error.cause as LimitOverrunError).consumed).toBe(7);
      expect(str(await stream.readline())).toBe("rest\n");
    }));

  it("at EOF over the limit: readuntil raises LimitOverrunError (not IncompleteReadError), readline drops it all", () =>
    runLoop(async () => {
      let stream = new StreamReader({ limit: 3 });
      stream.feedData(b("abcdefg"));
      stream.feedEof();
      const error = (await failure(stream.readuntil("X"))) as LimitOverrunError;
      expect(error).toBeInstanceOf(LimitOverrunError);
      expect(error.consumed).toBe(7);
      expect(buffered(stream)).toBe(7);
      stream = new StreamReader({ limit: 3 });
      stream.feedData(b("abcdefg"));
      stream.feedEof();
      await expect(stream.readline()).rejects.toThrow(RangeError);
      expect(stream.atEof()).toBe(true);
    }));

  it("an exception set while a read waits: the read raises it, the buffer keeps its bytes; data and exception in one iteration: the data first", () =>
    runLoop(async () => {
      let stream = new StreamReader();
      stream.feedData(b("ab"));
      const exact = createTask(() => stream.readexactly(5));
      await sleep(0);
      const exc = new RangeError("x");
      stream.setException(exc);
      await expect(exact).rejects.toBe(exc);
      expect(buffered(stream)).toBe(2);

      stream = new StreamReader();
      const read = createTask(() => stream.read(10));
      await sleep(0);
      stream.feedData(b("ab"));
      stream.setException(exc);
      expect(str(await read)).toBe("ab");
      await expect(stream.read(10)).rejects.toBe(exc);
      // The exception comes first, even before the size checks of read(0) / readexactly(0).
      await expect(stream.read(0)).rejects.toBe(exc);
      await expect(stream.readexactly(0)).rejects.toBe(exc);
      expect(stream.atEof()).toBe(false);
    }));

  it("data then EOF in one iteration: a waiting readexactly fails with what there was (partial, expected)", () =>
    runLoop(async () => {
      const stream = new StreamReader();
      const task = createTask(() => stream.readexactly(3));
      await sleep(0);
      stream.feedData(b("ab"));
      stream.feedEof();
      const error = (await failure(task)) as { partial: Uint8Array; expected: number; message: string };
      expect([str(error.partial), error.expected, error.message]).toEqual(["ab", 3, "2 bytes read on a total of 3 expected bytes"]);
      expect(stream.atEof()).toBe(true);
    }));

  it("setException after a readline was cancelled leaves no waiter behind (test_feed_empty_data, 3.12 form)", () =>
    runLoop(async () => {
      const stream = new StreamReader();
      stream.feedData(b(""));
      const task = createTask(() => stream.readline());
      await sleep(0);
      task.cancel();
      await sleep(0);
      stream.setException(new RuntimeError("message"));
      await sleep(0);
      expect(String(stream)).toBe("<StreamReader exception=RuntimeError('message')>");
    }));
});

describe("StreamWriter and connections (test_streams.py)", () => {
  it("waitClosed() pending when the connection goes resumes one iteration after it, as awaiting asyncio's _closed does", () =>
    runLoop(async () => {
      const srv = await startServer(async (r, w) => {
        await r.read();
        w.close();
      }, HOST, 0);
      const [, port] = srv.sockets[0].getsockname();
      // CPython 3.12: [0, 1, 2, 'wait_closed returned', 3, 4, 5]
      const [, wr] = await openConnection(HOST, port);
      expect(
        await traceIterations(async (trace) => {
          wr.close();
          await wr.waitClosed();
          trace.push("waitClosed returned");
        }),
      ).toEqual([0, 1, 2, "waitClosed returned", 3, 4, 5]);
      // Already closed: at once.
      expect(
        await traceIterations(async (trace) => {
          await wr.waitClosed();
          trace.push("again");
        }),
      ).toEqual([0, "again", 1, 2, 3, 4, 5]);
      srv.close();
      await srv.waitClosed();
    }));

  it("drain() after close() raises ConnectionResetError one iteration later, as asyncio's sleep(0) then _drain_helper()", () =>
    runLoop(async () => {
      const srv = await startServer(async (r, w) => {
        await r.read();
        w.close();
      }, HOST, 0);
      const [, port] = srv.sockets[0].getsockname();
      // CPython 3.12: [0, 1, "drain raised ConnectionResetError('Connection lost')", 2, 3, 4, 5]
      let [, wr] = await openConnection(HOST, port);
      wr.close();
      expect(
        await traceIterations(async (trace) => {
          const error = await failure(wr.drain());
          trace.push(error instanceof ConnectionResetError ? "drain raised" : error);
        }),
      ).toEqual([0, 1, "drain raised", 2, 3, 4, 5]);
      // The same from a generator coroutine (yield*), and for a connection already lost.
      for (const closeFirst of [true, false]) {
        if (closeFirst) {
          [, wr] = await openConnection(HOST, port);
          wr.close();
        }
        const w = wr;
        const trace: unknown[] = [];
        await runGenerator(function* () {
          const ticker = createTask(async () => {
            for (let i = 0; i < 6; i++) {
              trace.push(i);
              await sleep(0);
            }
          });
          yield* sleep(0);
          try {
            yield* w.drain();
          } catch (error) {
            trace.push(error instanceof ConnectionResetError ? "drain raised" : error);
          }
          yield* ticker;
        });
        expect(trace).toEqual([0, 1, "drain raised", 2, 3, 4, 5]);
      }
      // Cancelled during its yield: the task gets CancelledError; a drain() nobody awaits settles too.
      [, wr] = await openConnection(HOST, port);
      wr.close();
      const w = wr;
      const draining = createTask(() => w.drain());
      await sleep(0);
      draining.cancel();
      await expect(draining).rejects.toBeInstanceOf(CancelledError);
      const unawaited = wr.drain();
      for (let i = 0; i < 3; i++) await sleep(0);
      expect(unawaited.exception()).toBeInstanceOf(ConnectionResetError);
      srv.close();
      await srv.waitClosed();
    }));

  it("drain() after close() with megabytes buffered waits for them to be flushed, then returns (CPython: 'drain ok', buffer 0)", () =>
    runLoop(async () => {
      let received = 0;
      const srv = await startServer(async (r, w) => {
        for (;;) {
          const data = await r.read(1 << 20);
          if (data.length === 0) break;
          received += data.length;
        }
        w.close();
      }, HOST, 0);
      const [, port] = srv.sockets[0].getsockname();
      const [, wr] = await openConnection(HOST, port);
      for (let i = 0; i < 16; i++) wr.write(Buffer.alloc(1 << 20, 120));
      expect(wr.transport.getWriteBufferSize()).toBeGreaterThan(0);
      wr.close();
      await wr.drain();
      expect(wr.transport.getWriteBufferSize()).toBe(0);
      await wr.waitClosed();
      srv.close();
      await srv.waitClosed();
      expect(received).toBe(16 << 20);
    }));

  it("a drain() after close() that waits for a stuck buffer can be cancelled, from either kind of coroutine", () =>
    runLoop(async () => {
      const connected = new Future<StreamWriter>();
      const srv = await startServer((_r, w) => void connected.setResult(w), HOST, 0);
      const [, wr] = await openConnection(HOST, srv.sockets[0].getsockname()[1]);
      await connected;
      for (let i = 0; i < 16; i++) wr.write(Buffer.alloc(1 << 20, 120)); // nobody reads: writing stays paused
      wr.close();
      const tasks = [createTask(() => wr.drain()), createTask((function* () { yield* wr.drain(); })())];
      await sleep(0.05);
      for (const task of tasks) {
        expect(task.done()).toBe(false);
        task.cancel();
      }
      await sleep(0);
      await sleep(0);
      for (const task of tasks) expect(task.cancelled()).toBe(true);
      wr.transport.abort();
      srv.close();
      srv.closeClients();
      await srv.waitClosed();
    }));

  it("both directions ended (writeEof on each side): the connection stays open until close(), as asyncio's transport does", () =>
    runLoop(async () => {
      // CPython 3.12: b'got hi'; client is_closing False, _closed not done; the same on the server;
      // server.wait_closed() still pending after close() until the handler's writer is closed.
      const serverSide = new Future<StreamWriter>();
      const srv = await startServer(async (r, w) => {
        const data = await r.read();
        w.write(Buffer.concat([b("got "), data]));
        w.writeEof();
        serverSide.setResult(w);
      }, HOST, 0);
      const [, port] = srv.sockets[0].getsockname();
      const [rd, wr] = await openConnection(HOST, port);
      wr.write("hi");
      wr.writeEof();
      expect(str(await rd.read())).toBe("got hi");
      const sw = await serverSide;
      await sleep(0.1);
      expect([wr.isClosing(), wr.waitClosed().done(), sw.isClosing(), sw.waitClosed().done()]).toEqual([false, false, false, false]);
      srv.close();
      const closed = createTask(() => srv.waitClosed());
      await sleep(0.05);
      expect(closed.done()).toBe(false);
      sw.close();
      wr.close();
      await closed;
      await wr.waitClosed();
    }));

  it("a lost connection's error reaches read(), waitClosed() and drain(); close() afterwards reports nothing (test_open_connection_error)", async () => {
    const errors = await runLoop(async ({ errors }) => {
      const srv = await startServer(async (r, w) => {
        w.write("hello\n");
        await r.read();
        w.close();
      }, HOST, 0);
      const [, port] = srv.sockets[0].getsockname();
      const [rd, wr] = await openConnection(HOST, port);
      const exc = new RangeError("lost");
      wr.transport.getProtocol().connectionLost!(exc);
      await expect(rd.read()).rejects.toBe(exc);
      wr.close();
      await sleep(0);
      await expect(wr.waitClosed()).rejects.toBe(exc);
      await expect(wr.drain()).rejects.toBe(exc);
      srv.close();
      await srv.waitClosed();
      return errors;
    });
    expect(errors).toEqual([]);
  });

  it("writing and draining to a peer that closed at once ends in a Node connection error, also on the reader (test_drain_raises)", async () => {
    const peer = await nodePeer((socket) => socket.destroy());
    try {
      const errors = await runLoop(async ({ errors }) => {
        const [rd, wr] = await openConnection(HOST, peer.port);
        let error: NodeJS.ErrnoException | null = null;
        try {
          for (;;) {
            wr.write("foo\n");
            await wr.drain();
          }
        } catch (e) {
          error = e as NodeJS.ErrnoException;
        }
        expect(error?.code).toMatch(/^(EPIPE|ECONNRESET)$/); // CPython: ConnectionResetError or BrokenPipeError
        expect(rd.exception()).toBe(error);
        await expect(rd.read()).rejects.toBe(error);
        wr.close();
        await expect(wr.waitClosed()).rejects.toBe(error);
        return errors;
      });
      expect(errors).toEqual([]);
    } finally {
      await peer.close();
    }
  });

  it("reading pauses past 2 x limit and resumes once the buffer is back at the limit (test_abort_clients' setup, _maybe_resume_transport)", () =>
    runLoop(async () => {
      const serverSide = new Future<StreamWriter>();
      const srv = await startServer((_r, w) => void serverSide.setResult(w), HOST, 0);
      const [, port] = srv.sockets[0].getsockname();
      const [rd, wr] = await openConnection(HOST, port, { limit: 4096 });
      const sw = await serverSide;
      for (let i = 0; i < 3; i++) sw.write(Buffer.alloc(4096, 97));
      while (wr.transport.isReading()) await sleep(0);
      expect(buffered(rd)).toBe(12288);
      // CPython 3.12: [(1, 12287, False), (4095, 8192, False), (4096, 4096, True), (1, 4095, True), (4095, 0, True)]
      const trace: [number, number, boolean][] = [];
      for (const size of [1, 4095, 4096, 1, 4095]) {
        const data = await rd.read(size);
        trace.push([data.length, buffered(rd), wr.transport.isReading()]);
      }
      expect(trace).toEqual([
        [1, 12287, false],
        [4095, 8192, false],
        [4096, 4096, true],
        [1, 4095, true],
        [4095, 0, true],
      ]);
      // An over-long line on the socket: readline's RangeError, then the next line.
      sw.write(Buffer.concat([Buffer.alloc(5000, 120), b("\nok\n")]));
      await expect(rd.readline()).rejects.toThrow(RangeError);
      expect(str(await rd.readline())).toBe("ok\n");
      wr.close();
      sw.close();
      srv.close();
      await srv.waitClosed();
    }));

  it("a plain callback that starts its own task serves the connection (test_start_server's callback variant)", async () => {
    const errors = await runLoop(async ({ errors }) => {
      const srv = await startServer((reader, writer) => {
        createTask(async () => {
          writer.write(await reader.readline());
          await writer.drain();
          writer.close();
          await writer.waitClosed();
        });
      }, HOST, 0);
      const [, port] = srv.sockets[0].getsockname();
      const [rd, wr] = await openConnection(HOST, port);
      wr.write("hello world!\n");
      expect(str(await rd.readline())).toBe("hello world!\n");
      wr.close();
      await wr.waitClosed();
      srv.close();
      await srv.waitClosed();
      return errors;
    });
    expect(errors).toEqual([]);
  });

  it("close() makes isClosing() true at once; waitClosed() returns, with unread data too (test_wait_closed_on_close, _with_unread_data)", () =>
    runLoop(async () => {
      const srv = await startServer(async (r, w) => {
        await r.readline();
        w.write("HTTP/1.0 200 OK\r\n\r\nTest message");
        await w.drain();
        w.close();
      }, HOST, 0);
      const [, port] = srv.sockets[0].getsockname();
      for (const readAll of [true, false]) {
        const [rd, wr] = await openConnection(HOST, port);
        wr.write("GET / HTTP/1.0\r\n\r\n");
        expect(str(await rd.readline())).toBe("HTTP/1.0 200 OK\r\n");
        if (readAll) expect(str(await rd.read())).toBe("\r\nTest message");
        expect(wr.isClosing()).toBe(false);
        wr.close();
        expect(wr.isClosing()).toBe(true);
        await wr.waitClosed();
      }
      srv.close();
      await srv.waitClosed();
    }));

  it("read(-1) with limit 1 from a pipe transport gets everything: pausing never deadlocks (test_read_all_from_pipe_reader)", () =>
    runLoop(async ({ loop }) => {
      class ReadPipe extends NodeStreamTransport {
        constructor(stream: Readable, protocol: Protocol) {
          super(loop, stream, protocol, { writing: false });
          loop.callSoon(() => protocol.connectionMade?.(this));
        }
      }
      const child = spawn(process.execPath, ["-e", "process.stdout.write('data')"], { stdio: ["ignore", "pipe", "ignore"] });
      const reader = new StreamReader({ limit: 1 });
      new ReadPipe(child.stdout!, new StreamReaderProtocol(reader, null, loop));
      expect(str(await reader.read(-1))).toBe("data");
    }));

  it("after writeEof(): write and writelines raise RuntimeError, even with nothing to write; writeEof again, or after close(), is a no-op", () =>
    runLoop(async () => {
      // CPython 3.12: RuntimeError('Cannot call writelines() after write_eof()') for writelines([]) too.
      const srv = await startServer(async (r, w) => {
        await r.read();
        w.close();
      }, HOST, 0);
      const [, wr] = await openConnection(HOST, srv.sockets[0].getsockname()[1]);
      wr.writeEof();
      expect(() => wr.writelines([])).toThrow(RuntimeError);
      expect(() => wr.write("")).toThrow(RuntimeError);
      expect(() => wr.writelines(["x"])).toThrow(RuntimeError);
      wr.writeEof();
      wr.close();
      wr.writeEof();
      await wr.waitClosed();
      srv.close();
      await srv.waitClosed();
    }));

  it("startTls on a closed writer fails with ConnectionResetError, nothing reported (drain() first, as asyncio's start_tls)", async () => {
    const errors = await runLoop(async ({ errors }) => {
      const srv = await startServer(async (r, w) => {
        await r.read();
        w.close();
      }, HOST, 0);
      const [, wr] = await openConnection(HOST, srv.sockets[0].getsockname()[1]);
      wr.close();
      await expect(wr.startTls({})).rejects.toBeInstanceOf(ConnectionResetError);
      srv.close();
      await srv.waitClosed();
      return errors;
    });
    expect(errors).toEqual([]);
  });

  it("cancelling one waitClosed() cancels only that wait", () =>
    runLoop(async () => {
      const srv = await startServer(async (r, w) => {
        await r.read();
        w.close();
      }, HOST, 0);
      const [, port] = srv.sockets[0].getsockname();
      const [, wr] = await openConnection(HOST, port);
      const waits = Array.from({ length: 20 }, () => createTask(() => wr.waitClosed()));
      const kept = createTask(() => wr.waitClosed());
      await sleep(0);
      for (const w of waits) w.cancel();
      wr.close();
      await kept;
      for (const w of waits) expect(w.cancelled()).toBe(true);
      await wr.waitClosed();
      srv.close();
      await srv.waitClosed();
    }));
});

describe("TLS (test_ssl.py, test_sslproto.py)", () => {
  const MB = 1024 * 1024;

  it("a TLS server: readexactly of 1 MB, then writelines of mixed bytes, to several Node TLS clients (test_create_server_ssl_1)", async () => {
    const { key, cert } = makeCert();
    const A = Buffer.alloc(MB, 65);
    const B = Buffer.alloc(MB, 66);
    const out = await runLoop(async ({ errors }) => {
      let count = 0;
      const srv = await startServer(async (reader, writer) => {
        expect((await reader.readexactly(A.length)).equals(A)).toBe(true);
        writer.write("OK");
        expect((await reader.readexactly(B.length)).equals(B)).toBe(true);
        writer.writelines([Buffer.from("SP"), new Uint8Array([65]), "M"]);
        await writer.drain();
        writer.close();
        count++;
      }, HOST, 0, { ssl: { key, cert } });
      const [, port] = srv.sockets[0].getsockname();
      const client = (): Promise<string> =>
        new Promise((resolve, reject) => {
          const socket = tls.connect({ host: HOST, port, ca: cert, servername: "localhost" });
          let got = "";
          let sentB = false;
          socket.on("secureConnect", () => socket.write(A));
          socket.on("data", (d: Buffer) => {
            got += d.toString("latin1");
            if (!sentB && got === "OK") {
              sentB = true;
              got = "";
              socket.write(B);
            }
          });
          socket.on("end", () => resolve(got));
          socket.on("error", reject);
        });
      const results = await Promise.all(Array.from({ length: 5 }, client));
      srv.close();
      await srv.waitClosed();
      return { results, count, errors };
    });
    expect(out).toEqual({ results: Array(5).fill("SPAM"), count: 5, errors: [] });
  });

  it("a peer that answers and closes cleanly: read() is empty; 4 MB written then close() all reach a slow peer (test_shutdown_cleanly, test_flush_before_shutdown)", async () => {
    const { key, cert } = makeCert();
    const received: number[] = [];
    const server = tls.createServer({ key, cert }, (socket) => {
      let got = 0;
      socket.once("data", (d: Buffer) => {
        if (d.toString() === "ping") {
          socket.write("pong");
          socket.pause(); // a slow reader: the TCP buffers fill up
          setTimeout(() => socket.resume(), 300);
        } else {
          socket.end("OK");
        }
      });
      socket.on("data", (d: Buffer) => void (got += d.length));
      socket.on("end", () => {
        received.push(got);
        socket.end();
      });
      socket.on("error", () => {});
    });
    await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const errors = await runLoop(async ({ errors }) => {
        let [reader, writer] = await openConnection(HOST, port, { ssl: { ca: cert }, serverHostname: "localhost" });
        writer.write("A");
        expect(str(await reader.readexactly(2))).toBe("OK");
        expect((await reader.read()).length).toBe(0);
        writer.close();
        await writer.waitClosed();

        [reader, writer] = await openConnection(HOST, port, { ssl: { ca: cert }, serverHostname: "localhost" });
        writer.write("ping");
        expect(str(await reader.readexactly(4))).toBe("pong");
        for (let i = 0; i < 32; i++) writer.write(Buffer.alloc(128 * 1024, 120));
        writer.close();
        await writer.waitClosed();
        expect((await reader.read()).length).toBe(0);
        for (let i = 0; i < 200 && received.length < 2; i++) await sleep(0.01);
        return errors;
      });
      expect(errors).toEqual([]);
      expect(received).toEqual([1, 4 + 32 * 128 * 1024]);
    } finally {
      server.close();
    }
  });

  it("the peer's TCP FIN without close_notify while we have megabytes to send: read() is empty and the peer still gets them all (test_remote_shutdown_receives_trailing_data, eof_server)", async () => {
    const { key, cert } = makeCert();
    let received = 0;
    let halfClose: (() => void) | null = null;
    const tlsServer = tls.createServer({ key, cert }, (socket) => {
      socket.once("data", () => {
        socket.write("pong");
        setTimeout(() => halfClose?.(), 100);
      });
      socket.on("data", (d: Buffer) => void (received += d.length));
      socket.on("end", () => socket.end());
      socket.on("error", () => {});
    });
    await new Promise<void>((resolve) => tlsServer.listen(0, HOST, resolve));
    // The proxy stands for the peer's socket.shutdown(SHUT_WR) under TLS: a bare FIN towards us.
    const proxy = net.createServer((client) => {
      const upstream = net.connect((tlsServer.address() as net.AddressInfo).port, HOST);
      client.on("error", () => {});
      upstream.on("error", () => {});
      upstream.on("data", (d: Buffer) => client.write(d));
      client.pipe(upstream);
      halfClose = () => client.end();
    });
    await new Promise<void>((resolve) => proxy.listen(0, HOST, resolve));
    try {
      const errors = await runLoop(async ({ errors }) => {
        const [reader, writer] = await openConnection(HOST, (proxy.address() as net.AddressInfo).port, { ssl: { ca: cert }, serverHostname: "localhost" });
        writer.write("ping");
        expect(str(await reader.readexactly(4))).toBe("pong");
        for (let i = 0; i < 32; i++) writer.write(Buffer.alloc(128 * 1024, 120));
        expect((await reader.read()).length).toBe(0);
        writer.close();
        await writer.waitClosed();
        for (let i = 0; i < 200 && received < 4 + 32 * 128 * 1024; i++) await sleep(0.01);
        return errors;
      });
      expect(errors).toEqual([]);
      expect(received).toBe(4 + 32 * 128 * 1024);
    } finally {
      proxy.close();
      tlsServer.close();
    }
  });

  it("startTls over a TLS connection: TLS in TLS, both sides (test_create_server_ssl_over_ssl, at the stream level)", async () => {
    const { key, cert } = makeCert();
    const errors = await runLoop(async ({ errors }) => {
      const srv = await startServer(async (reader, writer) => {
        expect(str(await reader.readline())).toBe("STARTTLS\n");
        writer.write("GO\n");
        await writer.drain();
        await writer.startTls({ key, cert });
        writer.write(await reader.readline());
        await writer.drain();
        writer.close();
      }, HOST, 0, { ssl: { key, cert } });
      const [reader, writer] = await openConnection(HOST, srv.sockets[0].getsockname()[1], { ssl: { ca: cert }, serverHostname: "localhost" });
      writer.write("STARTTLS\n");
      expect(str(await reader.readline())).toBe("GO\n");
      await writer.startTls({ ca: cert, serverHostname: "localhost" });
      writer.write("inner\n");
      expect(str(await reader.readline())).toBe("inner\n");
      writer.close();
      await writer.waitClosed();
      srv.close();
      await srv.waitClosed();
      return errors;
    });
    expect(errors).toEqual([]);
  });

  it("a corrupt TLS record after the handshake: the pending readline fails with Node's SSL error, nothing is reported (test_start_tls_client_corrupted_ssl)", async () => {
    const { key, cert } = makeCert();
    // client <-> proxy (raw TCP) <-> TLS server; once the server got "B", the proxy injects garbage towards the client.
    let inject: (() => void) | null = null;
    const tlsServer = tls.createServer({ key, cert }, (socket) => {
      socket.write("A\n");
      socket.on("data", () => inject?.());
      socket.on("error", () => {});
    });
    await new Promise<void>((resolve) => tlsServer.listen(0, HOST, resolve));
    const proxy = net.createServer((client) => {
      const upstream = net.connect((tlsServer.address() as net.AddressInfo).port, HOST);
      client.on("error", () => {});
      upstream.on("error", () => {});
      upstream.pipe(client);
      client.pipe(upstream);
      inject = () => client.write("please corrupt the SSL connection");
    });
    await new Promise<void>((resolve) => proxy.listen(0, HOST, resolve));
    try {
      const errors = await runLoop(async ({ errors }) => {
        const [reader, writer] = await openConnection(HOST, (proxy.address() as net.AddressInfo).port, { ssl: { ca: cert }, serverHostname: "localhost" });
        expect(str(await reader.readline())).toBe("A\n");
        writer.write("B");
        const error = (await failure(reader.readline())) as NodeJS.ErrnoException;
        expect(error).toBeInstanceOf(Error);
        expect(error.code).toMatch(/^ERR_SSL_/);
        writer.close();
        await expect(writer.waitClosed()).rejects.toBe(error);
        return errors;
      });
      expect(errors).toEqual([]);
    } finally {
      proxy.close();
      tlsServer.close();
    }
  });

  it("TLS without verification (CPython's dummy context), over TCP and a Unix socket with serverHostname '' (test_open_connection_no_loop_ssl, test_open_unix_connection_no_loop_ssl)", async () => {
    const { key, cert } = makeCert();
    const { dir, remove } = tempDir();
    const path = join(dir, "tls.sock");
    try {
      const errors = await runLoop(async ({ errors }) => {
        const handler = async (reader: StreamReader, writer: StreamWriter): Promise<void> => {
          await reader.readuntil("\r\n\r\n");
          writer.write("HTTP/1.0 200 OK\r\n\r\nTest message");
          writer.close();
        };
        const tcp = await startServer(handler, HOST, 0, { ssl: { key, cert } });
        const unix = await startUnixServer(handler, path, { ssl: { key, cert } });
        const pairs = [
          await openConnection(HOST, tcp.sockets[0].getsockname()[1], { ssl: { rejectUnauthorized: false } }),
          await openUnixConnection(path, { ssl: { rejectUnauthorized: false }, serverHostname: "" }),
        ];
        for (const [reader, writer] of pairs) {
          writer.write("GET / HTTP/1.0\r\n\r\n");
          expect(str(await reader.read())).toMatch(/\r\n\r\nTest message$/);
          writer.close();
          await writer.waitClosed();
        }
        for (const srv of [tcp, unix] as Server<unknown>[]) {
          srv.close();
          await srv.waitClosed();
        }
        return errors;
      });
      expect(errors).toEqual([]);
    } finally {
      remove();
    }
  });

  it("the server closing during the handshake fails openConnection with ECONNRESET, nothing reported (test_eof_received_waiter)", async () => {
    const peer = await nodePeer((socket) => socket.once("data", () => socket.end()));
    try {
      const errors = await runLoop(async ({ errors }) => {
        const error = (await failure(openConnection(HOST, peer.port, { ssl: true, serverHostname: "" }))) as NodeJS.ErrnoException;
        expect(error.code).toBe("ECONNRESET"); // CPython: ConnectionResetError()
        return errors;
      });
      expect(errors).toEqual([]);
    } finally {
      await peer.close();
    }
  });

  it("cancelling openConnection during a TLS handshake that never ends closes the socket, nothing is reported (test_handshake_timeout)", async () => {
    let peerClosed = false;
    const peer = await nodePeer((socket) => {
      socket.on("data", () => {}); // never answers the ClientHello
      socket.on("close", () => void (peerClosed = true));
    });
    try {
      const errors = await runLoop(async ({ errors }) => {
        const task = createTask(() => openConnection(HOST, peer.port, { ssl: true, serverHostname: "" }));
        await sleep(0.1);
        task.cancel();
        await expect(task).rejects.toBeInstanceOf(CancelledError);
        for (let i = 0; i < 100 && !peerClosed; i++) await sleep(0.01);
        return errors;
      });
      expect(errors).toEqual([]);
      expect(peerClosed).toBe(true);
    } finally {
      await peer.close();
    }
  });

  it("cancelling a server-side startTls whose client never handshakes closes the connection: the client reads EOF (test_start_tls_slow_client_cancel)", async () => {
    const { key, cert } = makeCert();
    const out = await runLoop(async ({ errors }) => {
      let outcome: unknown[] = [];
      const srv = await startServer(async (reader, writer) => {
        await reader.readexactly(5);
        const upgrade = createTask(() => writer.startTls({ key, cert }));
        await sleep(0.1);
        upgrade.cancel();
        const error = await failure(upgrade);
        outcome = [error instanceof CancelledError, writer.isClosing()];
      }, HOST, 0);
      const [, port] = srv.sockets[0].getsockname();
      const [reader, writer] = await openConnection(HOST, port);
      writer.write("hello");
      const eof = (await reader.read()).length;
      writer.close();
      srv.close();
      await srv.waitClosed();
      return { eof, outcome, errors };
    });
    expect(out).toEqual({ eof: 0, outcome: [true, true], errors: [] });
  });
});
