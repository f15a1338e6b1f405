// Ports of CPython's Lib/test/test_asyncio/test_server.py (3.12, and 3.13's
// close_clients/abort_clients tests), on real sockets on 127.0.0.1. The
// expectations come from running the same scenario on CPython.
import * as net from "node:net";
import { join } from "node:path";
import { RuntimeError } from "@asyncio-ts/loop";
import { CancelledError, createTask, currentTask, Future, sleep, type Task } from "@asyncio-ts/tasks";
import { openConnection, openUnixConnection, startServer, startUnixServer, type Server, type StreamReader, type StreamWriter } from "@asyncio-ts/streams";
import { describe, expect, it } from "vitest";
import { HOST, makeCert, runLoop, tempDir } from "./helpers.js";

/** test_server.py's handler: reads until EOF, then closes its side. */
async function serve(reader: StreamReader, writer: StreamWriter): Promise<void> {
  try {
    await reader.read();
  } finally {
    writer.close();
    await writer.waitClosed();
  }
}

/** A raw node:net client: connects, sends `message`, resolves with all it received once the server closes. */
function rawClient(port: number | string, message: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = typeof port === "number" ? net.connect(port, HOST) : net.connect(port);
    const chunks: Buffer[] = [];
    socket.on("connect", () => socket.write(message));
    socket.on("data", (d) => chunks.push(d));
    socket.on("error", reject);
    socket.on("close", () => resolve(Buffer.concat(chunks).toString("latin1")));
  });
}

const HELLO_MSG = `${"1".repeat(1024 * 5)}\n`;

describe("Server (test_server.py)", () => {
  for (const unix of [false, true]) {
    it(`serveForever inside 'async with', cancelled from a handler (test_start_${unix ? "unix_" : ""}server_1)`, async () => {
      const { dir, remove } = tempDir();
      const path = join(dir, "srv.sock");
      try {
        const out = await runLoop(async ({ errors }) => {
          let mainTask: Task<void> | null = null;
          const handler = async (reader: StreamReader, writer: StreamWriter): Promise<void> => {
            await reader.readline();
            mainTask!.cancel();
            writer.write("1");
            writer.close();
            await writer.waitClosed();
          };
          const srv: Server<unknown> = unix
            ? await startUnixServer(handler, path, { startServing: false })
            : await startServer(handler, HOST, 0, { startServing: false });
          expect(srv.isServing()).toBe(false);
          const address = srv.sockets[0].getsockname() as string | [string, number];
          mainTask = createTask(async () => {
            await using s = srv;
            if (unix) {
              await s.startServing();
              expect(s.isServing()).toBe(true);
            }
            await s.serveForever();
          });
          const received = rawClient(typeof address === "string" ? address : address[1], HELLO_MSG);
          await expect(mainTask).rejects.toBeInstanceOf(CancelledError);
          expect(srv.sockets).toEqual([]);
          expect(srv.isServing()).toBe(false);
          expect(() => srv.serveForever()).toThrow(RuntimeError);
          expect(() => srv.serveForever()).toThrow(/is closed/);
          return { received: await received, errors };
        });
        expect(out).toEqual({ received: "1", errors: [] });
      } finally {
        remove();
      }
    });
  }

  it("waitClosed blocks until the server is closed and its connections are gone (test_wait_closed_basic, 3.13 form)", () =>
    runLoop(async () => {
      const srv = await startServer(serve, HOST, 0);
      // no connection, not closed: blocks
      const task1 = createTask(() => srv.waitClosed());
      await sleep(0);
      expect(task1.done()).toBe(false);
      // a connection, not closed: blocks
      const [, port] = srv.sockets[0].getsockname();
      const [, wr] = await openConnection(HOST, port);
      const task2 = createTask(() => srv.waitClosed());
      await sleep(0);
      expect([task1.done(), task2.done()]).toEqual([false, false]);
      // closed, a connection left: blocks
      srv.close();
      await sleep(0);
      const task3 = createTask(() => srv.waitClosed());
      await sleep(0);
      expect([task1.done(), task2.done(), task3.done()]).toEqual([false, false, false]);
      // closed, no connection left: unblocks
      wr.close();
      await wr.waitClosed();
      await task1;
      await task2;
      await task3;
      const again = srv.waitClosed();
      expect(again.done()).toBe(true); // returns at once from now on
    }));

  it("close and the last client's close in the same iteration still wake waitClosed (test_wait_closed_race)", () =>
    runLoop(async ({ loop }) => {
      const srv = await startServer(serve, HOST, 0);
      const task = createTask(() => srv.waitClosed());
      await sleep(0);
      expect(task.done()).toBe(false);
      const [, port] = srv.sockets[0].getsockname();
      const [, wr] = await openConnection(HOST, port);
      loop.callSoon(() => srv.close());
      loop.callSoon(() => wr.close());
      await srv.waitClosed();
      expect(task.done()).toBe(true);
    }));

  for (const how of ["closeClients", "abortClients"] as const) {
    it(`${how}() after close(): waitClosed returns two iterations later (3.13 test_${how === "closeClients" ? "close" : "abort"}_clients)`, () =>
      runLoop(async () => {
        const connected = new Future<StreamWriter>();
        const srv = await startServer(async (reader, writer) => {
          connected.setResult(writer);
          await serve(reader, writer);
        }, HOST, 0);
        const [, port] = srv.sockets[0].getsockname();
        const [rd, wr] = await openConnection(HOST, port, { limit: 4096 });
        const serverWriter = await connected;
        if (how === "abortClients") {
          // Leave data in the server's write buffer: abort drops it.
          serverWriter.transport.setWriteBufferLimits(0);
          for (let i = 0; i < 10 && serverWriter.transport.getWriteBufferSize() === 0; i++) serverWriter.write(Buffer.alloc(4 << 20));
          expect(serverWriter.transport.getWriteBufferSize()).toBeGreaterThan(0);
        }
        const task = createTask(() => srv.waitClosed());
        await sleep(0);
        expect(task.done()).toBe(false);
        srv.close();
        srv[how]();
        await sleep(0);
        expect(task.done()).toBe(false);
        await sleep(0);
        expect(task.done()).toBe(true);
        expect((await rd.read(-1).then(() => "eof", () => "reset"))).toMatch(/eof|reset/); // an aborted peer may reset
        wr.close();
        await wr.waitClosed().then(() => undefined, () => undefined);
      }));
  }

  it("close() while serveForever() runs ends it with CancelledError; startServing is idempotent", () =>
    runLoop(async () => {
      const srv = await startServer(serve, HOST, 0);
      const forever = createTask(() => srv.serveForever());
      await sleep(0);
      srv.close();
      await expect(forever).rejects.toBeInstanceOf(CancelledError);
      expect(forever.cancelled()).toBe(true);

      const srv2 = await startServer(serve, HOST, 0, { startServing: false });
      await srv2.startServing();
      await srv2.startServing();
      expect(srv2.isServing()).toBe(true);
      srv2.close();
      expect(srv2.isServing()).toBe(false);
      expect(srv2.sockets).toEqual([]);
      await srv2.waitClosed();
    }));

  it("serveForever() ends on the iterations asyncio's does: cancelled, closed, or awaited directly; with a connection left, once it goes", () =>
    runLoop(async ({ loop }) => {
      const trace: unknown[] = [];
      const ticker = (n: number): Task<void> =>
        createTask(async () => {
          for (let i = 0; i < n; i++) {
            trace.push(i);
            await sleep(0);
          }
        });
      const caught = (label: string) => (e: unknown) => void trace.push(e instanceof CancelledError ? label : e);

      // CPython 3.12: [0, 1, 2, 'cancelled', 3, ...] for a task cancelled or a server closed; [0, 1, 'direct cancelled', 2, ...] in the awaiting task.
      for (const how of ["cancel", "close"] as const) {
        const srv = await startServer(() => {}, HOST, 0);
        const task = createTask(() => srv.serveForever());
        await sleep(0);
        const t = ticker(6);
        await sleep(0);
        if (how === "cancel") task.cancel();
        else srv.close();
        await task.then(() => trace.push("returned"), caught("cancelled"));
        await t;
        expect(trace.splice(0)).toEqual([0, 1, 2, "cancelled", 3, 4, 5]);
      }
      {
        const srv = await startServer(() => {}, HOST, 0);
        const t = ticker(6);
        const me = currentTask()!;
        loop.callLater(0, () => me.cancel());
        await srv.serveForever().then(() => trace.push("returned"), caught("direct cancelled"));
        me.uncancel();
        await t;
        expect(trace.splice(0)).toEqual([0, 1, "direct cancelled", 2, 3, 4, 5]);
      }

      // With a connection: the CancelledError comes once its transport is gone.
      // CPython 3.12: [0, 1, 'cancel', 2, 3, 'server side close', 4, 5, 6, 'cancelled', 7, ...], and one iteration earlier awaited directly.
      for (const direct of [false, true]) {
        const connected = new Future<StreamWriter>();
        const srv = await startServer((_r, w) => void connected.setResult(w), HOST, 0);
        const [, wr] = await openConnection(HOST, srv.sockets[0].getsockname()[1]);
        const serverWriter = await connected;
        const me = currentTask()!;
        let task: Task<void> | null = null;
        const t = ticker(10);
        createTask(async () => {
          await sleep(0);
          trace.push("cancel");
          (direct ? me : task!).cancel();
          await sleep(0);
          await sleep(0);
          trace.push("server side close");
          serverWriter.close();
        });
        if (direct) {
          await srv.serveForever().then(() => trace.push("returned"), caught("cancelled"));
          me.uncancel();
        } else {
          task = createTask(() => srv.serveForever());
          await task.then(() => trace.push("returned"), caught("cancelled"));
        }
        await t;
        expect(trace.splice(0)).toEqual(
          direct
            ? [0, 1, "cancel", 2, 3, "server side close", 4, 5, "cancelled", 6, 7, 8, 9]
            : [0, 1, "cancel", 2, 3, "server side close", 4, 5, 6, "cancelled", 7, 8, 9],
        );
        wr.close();
      }
    }));

  it("a handler that closes its writer and cancels its own task reports nothing (3.13 test_unhandled_cancel)", async () => {
    const errors = await runLoop(async ({ errors }) => {
      const srv = await startServer(async (_reader, writer) => {
        writer.close();
        currentTask()!.cancel();
      }, HOST, 0);
      const [, port] = srv.sockets[0].getsockname();
      const [, wr] = await openConnection(HOST, port);
      wr.write("test msg");
      await wr.drain();
      wr.close();
      await wr.waitClosed();
      srv.close();
      await srv.waitClosed();
      return errors;
    });
    expect(errors).toEqual([]);
  });

  it("an exception in a handler: 'Unhandled exception in client_connected_cb' with exception and transport (test_unhandled_exception)", async () => {
    const errors = await runLoop(async ({ errors }) => {
      const srv = await startServer(async () => {
        throw new RangeError("test");
      }, HOST, 0);
      const [, port] = srv.sockets[0].getsockname();
      const [rd, wr] = await openConnection(HOST, port);
      wr.write("test msg");
      await wr.drain();
      expect((await rd.read()).length).toBe(0); // the server closed the connection
      wr.close();
      await wr.waitClosed();
      srv.close();
      await srv.waitClosed();
      return errors;
    });
    expect(errors.map((e) => [e.message, Object.keys(e).sort(), String(e.exception)])).toEqual([
      ["Unhandled exception in client_connected_cb", ["exception", "message", "transport"], "RangeError: test"],
    ]);
  });

  it("a TLS connection still in its handshake belongs to the server: waitClosed waits for it, closeClients ends it", () =>
    runLoop(async () => {
      // CPython 3.12/3.13 (the transport is attached when accepted): wait_closed pending; after close_clients: done, client reads b''.
      const { key, cert } = makeCert();
      const srv = await startServer(() => {}, HOST, 0, { ssl: { key, cert } });
      const [, port] = srv.sockets[0].getsockname();
      const [rd, wr] = await openConnection(HOST, port); // plain TCP: never starts the handshake
      await sleep(0.05);
      srv.close();
      const closed = createTask(() => srv.waitClosed());
      await sleep(0.1);
      expect(closed.done()).toBe(false);
      srv.closeClients();
      await sleep(0.1);
      expect(closed.done()).toBe(true);
      expect((await rd.read()).length).toBe(0);
      wr.close();
    }));

  it("a TLS handshake that completes after close() is still served, and waited for (CPython: b'served\\n', then wait_closed returns)", () =>
    runLoop(async () => {
      const { key, cert } = makeCert();
      const srv = await startServer(async (_r, w) => {
        w.write("served\n");
        await w.drain();
        w.close();
      }, HOST, 0, { ssl: { key, cert } });
      const [, port] = srv.sockets[0].getsockname();
      const [rd, wr] = await openConnection(HOST, port);
      await sleep(0.05);
      srv.close();
      const closed = createTask(() => srv.waitClosed());
      await sleep(0.05);
      expect(closed.done()).toBe(false);
      await wr.startTls({ rejectUnauthorized: false });
      expect(String(await rd.readline())).toBe("served\n");
      wr.close();
      await closed;
      // A handshake that fails ends the connection: nothing is left to wait for.
      const srv2 = await startServer(() => {}, HOST, 0, { ssl: { key, cert } });
      const [rd2, wr2] = await openConnection(HOST, srv2.sockets[0].getsockname()[1]);
      wr2.write("this is not a ClientHello\r\n\r\n");
      srv2.close();
      await srv2.waitClosed();
      await rd2.read(-1).then(
        () => undefined,
        () => undefined, // a TLS alert then EOF, or a reset: either way the connection is over
      );
      wr2.close();
    }));

  it("a Unix server's socket file is gone right after close(), and close() copes with it being gone already, and leaves a socket that replaced it (3.13 test_unix_server_addr_cleanup, _cleanup_gone, _cleanup_replaced)", async () => {
    const { dir, remove } = tempDir();
    const path = join(dir, "cleanup.sock");
    const { existsSync, unlinkSync } = await import("node:fs");
    try {
      await runLoop(async () => {
        let srv = await startUnixServer(() => {}, path);
        srv.close();
        expect(existsSync(path)).toBe(false);
        await srv.waitClosed();
        srv = await startUnixServer(() => {}, path);
        unlinkSync(path);
        srv.close();
        await srv.waitClosed();
        await expect(openUnixConnection(path)).rejects.toMatchObject({ code: "ENOENT" });
        // test_unix_server_cleanup_replaced: someone else's socket at the path now stays.
        srv = await startUnixServer(() => {}, path);
        unlinkSync(path);
        const other = net.createServer((socket) => socket.end("other\n"));
        await new Promise<void>((resolve) => other.listen(path, resolve));
        try {
          srv.close();
          await srv.waitClosed();
          expect(existsSync(path)).toBe(true);
          const [reader, writer] = await openUnixConnection(path);
          expect(String(await reader.readline())).toBe("other\n");
          writer.close();
          await writer.waitClosed();
        } finally {
          await new Promise<void>((resolve) => other.close(() => resolve()));
        }
      });
    } finally {
      remove();
    }
  });
});
