// White-box: the pipe transports over plain Node streams (no child process).
import { PassThrough, Writable } from "node:stream";
import type { EventLoop } from "@asyncio-ts/loop";
import type { Protocol, Transport } from "@asyncio-ts/streams/lowlevel";
import { sleep } from "@asyncio-ts/tasks";
import { describe, expect, it } from "vitest";
import { ReadPipeTransport, WritePipeTransport } from "../../src/pipe-transport.js";
import { runLoop } from "../helpers.js";

function recorder(): Protocol & { events: string[]; transport: Transport | null } {
  const events: string[] = [];
  return {
    events,
    transport: null,
    connectionMade(transport: Transport) {
      this.transport = transport;
      events.push("made");
    },
    dataReceived: (data: Buffer) => void events.push(`data:${String(data)}`),
    eofReceived: () => void events.push("eof"),
    connectionLost: (exc: Error | null) => void events.push(`lost:${exc === null ? "null" : (exc as NodeJS.ErrnoException).code ?? exc.message}`),
    pauseWriting: () => void events.push("pause"),
    resumeWriting: () => void events.push("resume"),
  };
}

async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await sleep(0);
}

describe("ReadPipeTransport", () => {
  it("delivers data, EOF, then connectionLost(null), in order, as loop callbacks", async () => {
    await runLoop(async ({ loop }: { loop: EventLoop }) => {
      const stream = new PassThrough();
      const protocol = recorder();
      const transport = new ReadPipeTransport(loop, stream, protocol);
      expect(protocol.events).toEqual([]); // connectionMade is a loop callback too
      stream.write("a");
      stream.end("b");
      await sleep(0.02);
      expect(protocol.events).toEqual(["made", "data:a", "data:b", "eof", "lost:null"]);
      expect(transport.isClosing()).toBe(true);
      expect(transport.getExtraInfo("pipe")).toBe(stream);
      expect(() => transport.write()).toThrow(/read pipe/);
    });
  });

  it("holds what arrives while paused, EOF and the end of the pipe included, until resumed", async () => {
    await runLoop(async ({ loop }) => {
      const stream = new PassThrough();
      const protocol = recorder();
      const transport = new ReadPipeTransport(loop, stream, protocol);
      await turns(1);
      transport.pauseReading();
      expect(transport.isReading()).toBe(false);
      stream.write("x");
      stream.end();
      await sleep(0.02);
      expect(protocol.events).toEqual(["made"]);
      transport.resumeReading();
      await sleep(0.02);
      expect(protocol.events).toEqual(["made", "data:x", "eof", "lost:null"]);
    });
  });

  it("a read error ends the pipe with that error; close() drops unread data", async () => {
    await runLoop(async ({ loop }) => {
      const failing = new PassThrough();
      const p1 = recorder();
      new ReadPipeTransport(loop, failing, p1);
      await turns(1);
      failing.destroy(Object.assign(new Error("boom"), { code: "EIO" }));
      await sleep(0.02);
      expect(p1.events).toEqual(["made", "lost:EIO"]);

      const closing = new PassThrough();
      const p2 = recorder();
      const t2 = new ReadPipeTransport(loop, closing, p2);
      await turns(1);
      closing.write("late");
      t2.close();
      await sleep(0.02);
      expect(p2.events).toEqual(["made", "lost:null"]);
    });
  });
});

describe("WritePipeTransport", () => {
  /** A sink that accepts writes only when `release()` is called. */
  function slowSink(): { stream: Writable; release: () => void } {
    const held: (() => void)[] = [];
    const stream = new Writable({
      highWaterMark: 16,
      write(_chunk, _enc, callback) {
        held.push(() => callback());
      },
    });
    return { stream, release: () => held.splice(0).forEach((f) => f()) };
  }

  it("pauses the protocol over the high-water mark and resumes it under the low one", async () => {
    await runLoop(async ({ loop }) => {
      const { stream, release } = slowSink();
      const protocol = recorder();
      const transport = new WritePipeTransport(loop, stream, protocol);
      await turns(1);
      transport.setWriteBufferLimits(100, 10);
      expect(transport.getWriteBufferLimits()).toEqual([10, 100]);
      transport.write(Buffer.alloc(150));
      expect(protocol.events).toEqual(["made", "pause"]);
      expect(transport.getWriteBufferSize()).toBe(150);
      for (let i = 0; i < 5; i++) {
        release();
        await sleep(0.005);
      }
      expect(protocol.events).toEqual(["made", "pause", "resume"]);
    });
  });

  it("close() flushes then reports connectionLost(null); writes after it are dropped silently", async () => {
    await runLoop(async ({ loop }) => {
      const chunks: string[] = [];
      const stream = new Writable({ write: (chunk, _enc, callback) => (chunks.push(String(chunk)), callback()) });
      const protocol = recorder();
      const broken: Error[] = [];
      const transport = new WritePipeTransport(loop, stream, protocol, { onBrokenWrite: (e) => void broken.push(e) });
      transport.write("hello ");
      transport.writelines(["wor", "ld"]);
      transport.writeEof();
      transport.write("dropped");
      await sleep(0.02);
      expect(chunks.join("")).toBe("hello world");
      expect(protocol.events).toEqual(["made", "lost:null"]);
      expect(broken).toEqual([]);
      expect(transport.canWriteEof()).toBe(true);
    });
  });

  it("a pipe that breaks reports EPIPE, and a later write goes to onBrokenWrite", async () => {
    await runLoop(async ({ loop }) => {
      const { stream } = slowSink();
      const protocol = recorder();
      const broken: string[] = [];
      const transport = new WritePipeTransport(loop, stream, protocol, { onBrokenWrite: (e) => void broken.push((e as NodeJS.ErrnoException).code!) });
      transport.write("never delivered");
      stream.destroy(); // the reader went away with our bytes unwritten
      await sleep(0.02);
      expect(protocol.events).toEqual(["made", "lost:EPIPE"]);
      transport.write("more");
      expect(broken).toEqual(["EPIPE"]);
    });
  });
});
