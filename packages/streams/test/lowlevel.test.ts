// The transport/protocol layer (asyncio's create_connection / create_server).
import { sleep } from "@asyncio-ts/tasks";
import { PassThrough, type Duplex } from "node:stream";
import { newEventLoop, type EventLoop } from "@asyncio-ts/loop";
import {
  createConnection,
  createServer,
  NodeStreamTransport,
  trackResource,
  untrackResource,
  type Closeable,
  type Protocol,
  type Transport,
} from "@asyncio-ts/streams/lowlevel";
import { describe, expect, it } from "vitest";
import { HOST, runLoop } from "./helpers.js";
import { currentTask } from "@asyncio-ts/tasks";

class Recorder implements Protocol {
  events: string[] = [];
  transport: Transport | null = null;
  constructor(readonly echo = false, readonly keepOpen = false) {}
  connectionMade(transport: Transport): void {
    this.transport = transport;
    this.events.push(`made task=${currentTask() === null ? "none" : "some"}`);
  }
  dataReceived(data: Buffer): void {
    this.events.push(`data ${String(data)}`);
    if (this.echo) this.transport!.write(data);
  }
  eofReceived(): boolean {
    this.events.push("eof");
    return this.keepOpen;
  }
  connectionLost(exc: Error | null): void {
    this.events.push(`lost ${exc === null ? "null" : exc.message}`);
  }
  pauseWriting(): void {
    this.events.push("pauseWriting");
  }
  resumeWriting(): void {
    this.events.push("resumeWriting");
  }
}

describe("transports and protocols", () => {
  it("protocol callbacks run as loop callbacks, in order: made, data, eof, lost", async () => {
    const [client, served] = await runLoop(async () => {
      const served: Recorder[] = [];
      const server = await createServer(() => {
        const p = new Recorder(true, true);
        served.push(p);
        return p;
      }, HOST, 0);
      const [, port] = server.sockets[0].getsockname();
      const [transport, protocol] = await createConnection(() => new Recorder(), HOST, port);
      expect(protocol.transport).toBe(transport);
      transport.write("ping");
      await sleep(0.05);
      transport.writeEof();
      await sleep(0.05);
      served[0].transport!.close();
      await sleep(0.05);
      server.close();
      await server.waitClosed();
      return [protocol.events, served[0].events];
    });
    expect(client).toEqual(["made task=none", "data ping", "eof", "lost null"]);
    expect(served).toEqual(["made task=none", "data ping", "eof", "lost null"]);
  });

  it("pauseReading stops dataReceived until resumeReading; nothing is lost", async () => {
    const events = await runLoop(async () => {
      const server = await createServer(() => new Recorder(true, true), HOST, 0);
      const [, port] = server.sockets[0].getsockname();
      const [transport, protocol] = await createConnection(() => new Recorder(), HOST, port);
      transport.pauseReading();
      expect(transport.isReading()).toBe(false);
      transport.write("a");
      await sleep(0.05);
      transport.write("b");
      await sleep(0.05);
      const whilePaused = [...protocol.events];
      transport.resumeReading();
      await sleep(0.05);
      transport.close();
      await sleep(0.01);
      server.closeClients();
      server.close();
      await server.waitClosed();
      return { whilePaused, after: protocol.events.join(",") };
    });
    expect(events.whilePaused).toEqual(["made task=none"]);
    expect(events.after.replace("data ab", "data a,data b")).toBe("made task=none,data a,data b,lost null");
  });

  it("write buffer limits drive pauseWriting / resumeWriting", async () => {
    const events = await runLoop(async () => {
      const server = await createServer(() => ({ dataReceived() {} }), HOST, 0);
      const [, port] = server.sockets[0].getsockname();
      const [transport, protocol] = await createConnection(() => new Recorder(), HOST, port);
      transport.setWriteBufferLimits(4, 0);
      expect(transport.getWriteBufferLimits()).toEqual([0, 4]);
      expect(() => transport.setWriteBufferLimits(1, 2)).toThrow(RangeError);
      transport.write("0123456789"); // written to the kernel at once: no pause
      expect(transport.getWriteBufferSize()).toBe(0);
      transport.write(Buffer.alloc(16 * 1024 * 1024)); // more than the kernel takes: pause, until the peer has read it
      expect(transport.getWriteBufferSize()).toBeGreaterThan(4);
      for (let i = 0; i < 200 && !protocol.events.includes("resumeWriting"); i++) await sleep(0.01);
      transport.abort();
      await sleep(0.01);
      server.abortClients();
      server.close();
      await server.waitClosed();
      return protocol.events;
    });
    expect(events).toEqual(["made task=none", "pauseWriting", "resumeWriting", "lost null"]);
  });

  it("an exception in dataReceived is reported and closes the transport", async () => {
    const errors = await runLoop(async ({ errors }) => {
      const server = await createServer(() => new Recorder(true), HOST, 0);
      const [, port] = server.sockets[0].getsockname();
      const lost: (Error | null)[] = [];
      const [transport] = await createConnection(
        () => ({
          dataReceived() {
            throw new Error("bad protocol");
          },
          connectionLost: (exc: Error | null) => void lost.push(exc),
        }),
        HOST,
        port,
      );
      transport.write("x");
      await sleep(0.05);
      expect(transport.isClosing()).toBe(true);
      expect(lost).toHaveLength(1);
      server.closeClients();
      server.close();
      await server.waitClosed();
      return errors;
    });
    expect(errors.map((e) => e.message)).toEqual(["Fatal error: protocol.dataReceived() call failed."]);
  });
});

/** A transport a library author might write: a Duplex (here a PassThrough, which reads back what is written). */
class LoopbackTransport extends NodeStreamTransport {
  readonly #stream: Duplex;
  constructor(loop: EventLoop, stream: Duplex, protocol: Protocol) {
    super(loop, stream, protocol);
    this.#stream = stream;
    loop.callSoon(() => protocol.connectionMade?.(this));
  }
  override getExtraInfo(name: string, defaultValue?: unknown): unknown {
    return name === "stream" ? this.#stream : defaultValue;
  }
}

describe("NodeStreamTransport", () => {
  it("a subclass gets delivery into the loop, in order: made, data, eof, then lost once", async () => {
    const events = await runLoop(async ({ loop }) => {
      const stream = new PassThrough();
      const protocol = new Recorder();
      const transport = new LoopbackTransport(loop, stream, protocol);
      expect(protocol.events).toEqual([]); // everything is a loop callback
      transport.write("ab");
      transport.writelines(["c", Buffer.from("d")]);
      await sleep(0.02);
      expect(transport.getExtraInfo("stream")).toBe(stream);
      transport.writeEof();
      await sleep(0.02);
      expect(transport.isClosing()).toBe(true);
      return protocol.events.join(",");
    });
    expect(events.replace("data ab,data cd", "data abcd")).toBe("made task=none,data abcd,eof,lost null");
  });

  it("holds data while reading is paused and delivers it, EOF last, after resumeReading", async () => {
    const result = await runLoop(async ({ loop }) => {
      const protocol = new Recorder();
      const transport = new LoopbackTransport(loop, new PassThrough(), protocol);
      await sleep(0);
      transport.pauseReading();
      expect(transport.isReading()).toBe(false);
      transport.write("x");
      transport.writeEof();
      await sleep(0.02);
      const whilePaused = [...protocol.events];
      transport.resumeReading();
      await sleep(0.02);
      return { whilePaused, after: protocol.events };
    });
    expect(result.whilePaused).toEqual(["made task=none"]);
    expect(result.after).toEqual(["made task=none", "data x", "eof", "lost null"]);
  });

  it("chunks that arrive together are delivered in order, one dataReceived each; pausing mid-way holds the rest", async () => {
    const result = await runLoop(async ({ loop }) => {
      const stream = new PassThrough();
      const received: string[] = [];
      let transport: LoopbackTransport | null = null;
      const protocol: Protocol = {
        dataReceived(data) {
          received.push(String(data));
          if (String(data) === "b") transport!.pauseReading();
        },
      };
      transport = new LoopbackTransport(loop, stream, protocol);
      await sleep(0);
      for (const piece of ["a", "b", "c", "d"]) stream.push(piece); // four 'data' events before the loop runs
      await sleep(0.02);
      const whilePaused = [...received];
      transport.resumeReading();
      await sleep(0.02);
      return { whilePaused, after: received };
    });
    expect(result.whilePaused).toEqual(["a", "b"]);
    expect(result.after).toEqual(["a", "b", "c", "d"]);
  });

  it("a protocol that pauses and resumes all the time never makes the transport hold much: the source keeps the rest", async () => {
    const result = await runLoop(async ({ loop }) => {
      const stream = new PassThrough({ highWaterMark: 64 * 1024 });
      const chunk = Buffer.alloc(64 * 1024, 1);
      const total = 256 * chunk.length; // 16 MiB
      let delivered = 0;
      let maxHeld = 0;
      let transport: LoopbackTransport | null = null;
      const protocol: Protocol = {
        dataReceived(data) {
          delivered += data.length;
          // A slow consumer: pause after every chunk, resume in the next iteration.
          transport!.pauseReading();
          loop.callSoon(() => transport!.resumeReading());
        },
      };
      transport = new LoopbackTransport(loop, stream, protocol);
      for (let i = 0; i < 256; i++) stream.write(chunk);
      while (delivered < total) {
        await sleep(0);
        // What the transport took from the stream but did not deliver yet.
        const held = total - delivered - stream.readableLength - stream.writableLength;
        maxHeld = Math.max(maxHeld, held);
      }
      return { delivered, maxHeld };
    });
    expect(result.delivered).toBe(16 * 1024 * 1024);
    // At most 256 KiB and a chunk (a 'data' event may bring one more before the stream pauses).
    expect(result.maxHeld).toBeLessThanOrEqual(256 * 1024 + 2 * 64 * 1024);
  });

  it("a protocol's dataReceived that queues microtasks has them run before the next loop callback", async () => {
    const order = await runLoop(async ({ loop }) => {
      const stream = new PassThrough();
      const order: string[] = [];
      const protocol: Protocol = {
        dataReceived(data) {
          order.push(`data ${String(data)}`);
          void Promise.resolve().then(() => order.push(`microtask after ${String(data)}`));
        },
      };
      new LoopbackTransport(loop, stream, protocol);
      await sleep(0);
      stream.push("x");
      loop.callSoon(() => order.push("next callback"));
      await sleep(0.02);
      return order;
    });
    expect(order).toEqual(["data x", "microtask after x", "next callback"]);
  });

  it("validates write buffer limits; abort() loses the connection once, with null", async () => {
    const events = await runLoop(async ({ loop }) => {
      const protocol = new Recorder();
      const transport = new LoopbackTransport(loop, new PassThrough(), protocol);
      expect(transport.getWriteBufferLimits()).toEqual([16 * 1024, 64 * 1024]);
      transport.setWriteBufferLimits(null, 100);
      expect(transport.getWriteBufferLimits()).toEqual([100, 400]);
      expect(() => transport.setWriteBufferLimits(1, 2)).toThrow(RangeError);
      expect(() => transport.setWriteBufferLimits(Number.NaN)).toThrow(TypeError);
      expect(() => transport.write(42 as never)).toThrow(TypeError);
      transport.abort();
      transport.abort();
      transport.write("dropped");
      await sleep(0.02);
      return protocol.events;
    });
    expect(events).toEqual(["made task=none", "lost null"]);
  });
});

describe("trackResource / untrackResource", () => {
  it("a tracked resource is destroyed when its loop closes; an untracked one is not", () => {
    const loop = newEventLoop();
    const other = newEventLoop();
    const destroyed: string[] = [];
    const resource = (name: string): Closeable => ({ _destroyOnLoopClose: () => void destroyed.push(name) });
    const kept = resource("kept");
    const released = resource("released");
    trackResource(loop, kept);
    trackResource(loop, kept); // tracking twice is tracking once
    trackResource(loop, released);
    untrackResource(loop, released);
    trackResource(other, resource("other loop"));
    loop.close();
    expect(destroyed).toEqual(["kept"]);
    other.close();
    expect(destroyed).toEqual(["kept", "other loop"]);
  });
});
