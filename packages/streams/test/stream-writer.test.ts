// StreamWriter and flow control over real sockets on 127.0.0.1.
import * as net from "node:net";
import { CancelledError, createTask, sleep } from "@asyncio-ts/tasks";
import { ConnectionResetError, openConnection, startServer, type StreamReader, type StreamWriter } from "@asyncio-ts/streams";
import { describe, expect, it } from "vitest";
import { HOST, runLoop } from "./helpers.js";

/** A started server whose connections are handed to `handler`; returns the port. */
async function serve(handler: (r: StreamReader, w: StreamWriter) => unknown) {
  const server = await startServer(handler, HOST, 0);
  return { server, port: server.sockets[0].getsockname()[1] };
}

describe("StreamWriter", () => {
  it("slow reader vs fast writer: drain() blocks while the buffer is over the high-water mark", async () => {
    await runLoop(async () => {
      let serverWriter: StreamWriter | null = null;
      const { server, port } = await serve((_r, w) => void (serverWriter = w));
      const [reader, writer] = await openConnection(HOST, port);
      await sleep(0.02);
      const w = serverWriter as unknown as StreamWriter;
      const chunk = Buffer.alloc(1024 * 1024, 120);
      let blocked = 0;
      // Nobody reads: the kernel buffers fill up, then ours goes over 64 KiB and drain() must wait.
      for (let i = 0; i < 64 && blocked === 0; i++) {
        w.write(chunk);
        const drained = w.drain();
        await sleep(0.005);
        if (!drained.done()) {
          blocked++;
          expect((w.transport.getWriteBufferSize())).toBeGreaterThan(64 * 1024);
          // Now read: the drain completes.
          const reading = createTask(async () => {
            let n = 0;
            while (!drained.done()) n += (await reader.read(1 << 20)).length;
            return n;
          });
          await drained;
          expect(await reading).toBeGreaterThan(0);
        }
      }
      expect(blocked).toBe(1);
      writer.close();
      w.close();
      server.close();
      await server.waitClosed();
    });
  });

  it("cancelling a task blocked in drain() leaves the writer usable", async () => {
    await runLoop(async () => {
      let serverWriter: StreamWriter | null = null;
      const { server, port } = await serve((_r, w) => void (serverWriter = w));
      const [reader, writer] = await openConnection(HOST, port);
      await sleep(0.02);
      const w = serverWriter as unknown as StreamWriter;
      w.transport.setWriteBufferLimits(0);
      w.write(Buffer.alloc(8 * 1024 * 1024, 1));
      const draining = createTask(() => w.drain());
      await sleep(0.01);
      expect(draining.done()).toBe(false);
      draining.cancel();
      await expect(draining).rejects.toBeInstanceOf(CancelledError);
      w.write("end");
      w.writeEof();
      const all = await reader.read(-1);
      expect(all.length).toBe(8 * 1024 * 1024 + 3);
      expect(String(all.subarray(-3))).toBe("end");
      writer.close();
      w.close();
      server.close();
      await server.waitClosed();
    });
  });

  it("a peer sending 100 MB without us reading: memory stays bounded (reading pauses)", async () => {
    await runLoop(async () => {
      let serverReader: StreamReader | null = null;
      const { server, port } = await serve((r) => void (serverReader = r));
      const peer = net.connect(port, HOST);
      peer.on("error", () => {});
      const chunk = Buffer.alloc(1024 * 1024, 7);
      let sent = 0;
      const pump = (): void => {
        while (sent < 100 && peer.write(chunk)) sent++;
        if (sent < 100) peer.once("drain", () => (sent++, pump()));
      };
      await new Promise<void>((resolve) => peer.once("connect", () => resolve()));
      pump();
      await sleep(0.3);
      const reader = serverReader as unknown as StreamReader;
      const transport = reader as unknown as { toString(): string };
      // The reader holds at most about 2 x limit plus a socket read; the sender is stuck.
      expect(String(transport)).toMatch(/paused/);
      const buffered = Number(/(\d+) bytes/.exec(String(reader))?.[1] ?? 0);
      expect(buffered).toBeLessThan(4 * 64 * 1024);
      expect(sent).toBeLessThan(100);
      // Reading it all resumes the socket every time the buffer drains.
      let total = 0;
      while (total < 100 * 1024 * 1024) {
        const data = await reader.read(1 << 20);
        total += data.length;
        if (sent >= 100 && total >= 100 * 1024 * 1024) break;
      }
      expect(total).toBe(100 * 1024 * 1024);
      peer.destroy();
      server.closeClients();
      server.close();
      await server.waitClosed();
    });
  }, 30_000);

  it("drain() without backpressure is already done (no loop turn), and stays so across writes", async () => {
    await runLoop(async () => {
      const { server, port } = await serve(async (r, w) => {
        for (;;) {
          const line = await r.readline();
          if (line.length === 0) break;
          w.write(line);
          await w.drain();
        }
        w.close();
      });
      const [reader, writer] = await openConnection(HOST, port);
      for (let i = 0; i < 50; i++) {
        writer.write(`line ${i}\n`);
        const drained = writer.drain();
        expect(drained.done()).toBe(true);
        expect(drained.cancel()).toBe(false); // a done future cannot be cancelled: sharing it is safe
        await drained;
        expect(String(await reader.readline())).toBe(`line ${i}\n`);
      }
      writer.close();
      await writer.waitClosed();
      server.close();
      await server.waitClosed();
    });
  });

  it("half-close: writeEof sends EOF, and the other direction still works", async () => {
    await runLoop(async () => {
      const { server, port } = await serve(async (reader, writer) => {
        const all = await reader.read(-1); // until our EOF
        writer.write(`got ${all.length} bytes`);
        await writer.drain();
        writer.close();
      });
      const [reader, writer] = await openConnection(HOST, port);
      expect(writer.canWriteEof()).toBe(true);
      writer.write("0123456789");
      writer.writeEof();
      expect(String(await reader.read(-1))).toBe("got 10 bytes");
      expect(() => writer.write("x")).toThrow("after writeEof");
      writer.close();
      await writer.waitClosed();
      server.close();
      await server.waitClosed();
    });
  });

  it("writing after close raises ConnectionResetError on the next drain (test_drain_raises? 'Connection lost')", async () => {
    await runLoop(async () => {
      const { server, port } = await serve(() => {});
      const [, writer] = await openConnection(HOST, port);
      writer.close();
      expect(writer.isClosing()).toBe(true);
      writer.write("dropped");
      const error = await writer.drain().then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectionResetError);
      expect((error as ConnectionResetError).code).toBe("ECONNRESET");
      expect((error as Error).name).toBe("ConnectionResetError");
      await writer.waitClosed();
      server.closeClients();
      server.close();
      await server.waitClosed();
    });
  });

  it("closing the writer feeds EOF to its reader, with nothing for the exception handler (test_eof_feed_when_closing_writer)", async () => {
    const errors = await runLoop(async ({ errors }) => {
      const { server, port } = await serve(() => {});
      const [reader, writer] = await openConnection(HOST, port);
      writer.close();
      await writer.waitClosed();
      expect(reader.atEof()).toBe(true);
      expect((await reader.read()).length).toBe(0);
      server.closeClients();
      server.close();
      await server.waitClosed();
      return errors;
    });
    expect(errors).toEqual([]);
  });

  it("many tasks blocked in drain() all go on once the buffer drains (test_multiple_drain)", async () => {
    await runLoop(async () => {
      let serverReader: StreamReader | null = null;
      const { server, port } = await serve((r) => void (serverReader = r));
      const [, writer] = await openConnection(HOST, port);
      const chunk = Buffer.alloc(1024 * 1024, 120);
      // Nobody reads yet: write until drain() has to wait.
      let drained = writer.drain();
      let written = 0;
      for (let i = 0; i < 64 && drained.done(); i++) {
        writer.write(chunk);
        written += chunk.length;
        drained = writer.drain();
        await sleep(0.005);
      }
      expect(drained.done()).toBe(false);
      let woken = 0;
      const drainers = Array.from({ length: 10 }, () => createTask(async () => {
        await writer.drain();
        woken++;
      }));
      await sleep(0.01);
      expect(woken).toBe(0);
      // Now read everything on the other side: every drainer wakes.
      const r = serverReader as unknown as StreamReader;
      let read = 0;
      while (read < written) read += (await r.read(1 << 20)).length;
      for (const d of drainers) await d;
      expect(woken).toBe(10);
      writer.close();
      await writer.waitClosed();
      server.closeClients(); // our handler never closes its side (3.12.1: waitClosed waits for it)
      server.close();
      await server.waitClosed();
    });
  });

  it("write takes bytes or strings; writelines; bad input is a TypeError", async () => {
    await runLoop(async () => {
      const { server, port } = await serve(async (reader, writer) => {
        writer.write(await reader.read(-1));
        writer.close();
      });
      const [reader, writer] = await openConnection(HOST, port);
      writer.write("é");
      writer.write(new Uint8Array([33]));
      writer.writelines(["a", Buffer.from("b"), "c"]);
      expect(() => writer.write(42 as never)).toThrow(TypeError);
      expect(() => writer.writelines(42 as never)).toThrow(TypeError);
      writer.writeEof();
      expect(String(await reader.read(-1))).toBe("é!abc");
      expect(writer.getExtraInfo("sockname")).toEqual([HOST, expect.any(Number)]);
      expect(writer.getExtraInfo("socket")).toBeInstanceOf(net.Socket);
      expect(writer.getExtraInfo("peercert", "none")).toBe("none");
      expect(writer.getExtraInfo("nonsense")).toBeUndefined();
      writer.close();
      await writer.waitClosed();
      server.close();
      await server.waitClosed();
    });
  });
});
