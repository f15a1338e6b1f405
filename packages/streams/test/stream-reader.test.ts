// Ports of CPython's Lib/test/test_asyncio/test_streams.py (StreamTests) that
// need no socket: a StreamReader fed by hand.
import { RuntimeError } from "@asyncio-ts/loop";
import { CancelledError, createTask, Future, sleep } from "@asyncio-ts/tasks";
import { IncompleteReadError, LimitOverrunError, StreamReader } from "@asyncio-ts/streams";
import { describe, expect, it } from "vitest";
import { b, runLoop } from "./helpers.js";

const DATA = b("line1\nline2\nline3\n");
const str = (x: Uint8Array): string => Buffer.from(x).toString("latin1");

describe("StreamReader", () => {
  it("feedData of empty data leaves the buffer empty; non-empty data is buffered", () =>
    runLoop(async () => {
      const stream = new StreamReader();
      stream.feedData(b(""));
      expect(String(stream)).toBe("<StreamReader>");
      stream.feedData(DATA);
      expect(String(stream)).toBe(`<StreamReader ${DATA.length} bytes>`);
    }));

  it("repr as CPython's (test___repr__, _nondefault_limit, _eof, _data, _exception, _waiter)", () =>
    runLoop(async () => {
      expect(String(new StreamReader())).toBe("<StreamReader>");
      expect(String(new StreamReader({ limit: 123 }))).toBe("<StreamReader limit=123>");
      const eof = new StreamReader();
      eof.feedEof();
      expect(String(eof)).toBe("<StreamReader eof>");
      const data = new StreamReader();
      data.feedData(b("data"));
      expect(String(data)).toBe("<StreamReader 4 bytes>");
      const failed = new StreamReader();
      failed.setException(new RuntimeError());
      expect(String(failed)).toBe("<StreamReader exception=RuntimeError()>");
      // A read in progress is the waiter: a task awaiting it shows in its cb=[...].
      const waiting = new StreamReader();
      const reader = createTask(async () => waiting.read(1));
      await sleep(0);
      expect(String(waiting)).toBe("<StreamReader waiter=<Future pending cb=[Task.task_wakeup()]>>");
      waiting.feedData(b("x"));
      expect(str(await reader)).toBe("x");
      expect(String(waiting)).toBe("<StreamReader>");
    }));

  it("readuntil finds a separator split across chunks (test_readuntil_multi_chunks_1)", () =>
    runLoop(async () => {
      const stream = new StreamReader();
      const cases: [string[], string][] = [
        [["QWEaa", "XYaa", "a"], "QWEaaXYaaa"],
        [["QWEaa", "XYa", "aa"], "QWEaaXYaaa"],
        [["aaa"], "aaa"],
        [["Xaaa"], "Xaaa"],
        [["XXX", "a", "a", "a"], "XXXaaa"],
      ];
      for (const [chunks, expected] of cases) {
        for (const chunk of chunks) stream.feedData(b(chunk));
        expect(str(await stream.readuntil("aaa"))).toBe(expected);
        expect(String(stream)).toBe("<StreamReader>"); // nothing left in the buffer
      }
    }));

  it("read(0) returns empty bytes without waiting", () =>
    runLoop(async () => {
      const stream = new StreamReader();
      stream.feedData(DATA);
      expect(str(await stream.read(0))).toBe("");
      expect(str(await stream.read(DATA.length))).toBe(DATA.toString());
    }));

  it("read(n) waits for data (test_read)", () =>
    runLoop(async ({ loop }) => {
      const stream = new StreamReader();
      const readTask = createTask(() => stream.read(30));
      loop.callSoon(() => stream.feedData(DATA));
      expect(str(await readTask)).toBe(DATA.toString());
      expect(stream.atEof()).toBe(false);
    }));

  it("read(n) returns what is there, up to n (test_read_line_breaks)", () =>
    runLoop(async () => {
      const stream = new StreamReader();
      stream.feedData(b("line1"));
      stream.feedData(b("line2"));
      expect(str(await stream.read(5))).toBe("line1");
      expect(str(await stream.read(5))).toBe("line2");
    }));

  it("read at EOF returns empty bytes (test_read_eof)", () =>
    runLoop(async ({ loop }) => {
      const stream = new StreamReader();
      const readTask = createTask(() => stream.read(1024));
      loop.callSoon(() => stream.feedEof());
      expect(str(await readTask)).toBe("");
      expect(stream.atEof()).toBe(true);
    }));

  it("read(-1) reads until EOF (test_read_until_eof)", () =>
    runLoop(async ({ loop }) => {
      const stream = new StreamReader();
      const readTask = createTask(() => stream.read(-1));
      loop.callSoon(() => {
        stream.feedData(b("chunk1\n"));
        stream.feedData(b("chunk2"));
        stream.feedEof();
      });
      expect(str(await readTask)).toBe("chunk1\nchunk2");
      expect(stream.atEof()).toBe(true);
    }));

  it("read and readexactly raise the stream's exception (test_read_exception, test_readexactly_exception)", () =>
    runLoop(async () => {
      for (const method of ["read", "readexactly"] as const) {
        const stream = new StreamReader();
        stream.feedData(b("line\n"));
        expect(str(await stream[method](2))).toBe("li");
        stream.setException(new RangeError("boom"));
        await expect(stream[method](2)).rejects.toThrow(RangeError);
        await expect(stream[method](2)).rejects.toThrow("boom");
      }
    }));

  it("rejects an invalid limit (test_invalid_limit)", () => {
    expect(() => new StreamReader({ limit: 0 })).toThrow(RangeError);
    expect(() => new StreamReader({ limit: -1 })).toThrow("Limit cannot be <= 0");
    expect(() => new StreamReader({ limit: "1" as never })).toThrow(TypeError);
  });

  it("read(-1) is not limited by the limit (test_read_limit)", () =>
    runLoop(async () => {
      const stream = new StreamReader({ limit: 3 });
      stream.feedData(b("chunk"));
      expect(str(await stream.read(5))).toBe("chunk");
    }));

  it("readline (test_readline)", () =>
    runLoop(async ({ loop }) => {
      const stream = new StreamReader();
      stream.feedData(b("chunk1 "));
      const readTask = createTask(() => stream.readline());
      loop.callSoon(() => {
        stream.feedData(b("chunk2 "));
        stream.feedData(b("chunk3 "));
        stream.feedData(b("\n chunk4"));
      });
      expect(str(await readTask)).toBe("chunk1 chunk2 chunk3 \n");
      stream.feedEof();
      expect(str(await stream.read(-1))).toBe(" chunk4");
    }));

  it("readline over the limit with existing data drops the line (test_readline_limit_with_existing_data)", () =>
    runLoop(async () => {
      let stream = new StreamReader({ limit: 3 });
      stream.feedData(b("li"));
      stream.feedData(b("ne1\nline2\n"));
      await expect(stream.readline()).rejects.toThrow(RangeError);
      // The whole line is dropped: the rest stays.
      stream.feedEof();
      expect(str(await stream.read(-1))).toBe("line2\n");

      stream = new StreamReader({ limit: 3 });
      stream.feedData(b("li"));
      stream.feedData(b("ne1"));
      stream.feedData(b("li"));
      await expect(stream.readline()).rejects.toThrow(RangeError);
      stream.feedEof();
      expect(str(await stream.read(-1))).toBe("");
    }));

  it("atEof (test_at_eof)", () =>
    runLoop(async () => {
      const stream = new StreamReader();
      expect(stream.atEof()).toBe(false);
      stream.feedData(b("some data\n"));
      expect(stream.atEof()).toBe(false);
      await stream.readline();
      expect(stream.atEof()).toBe(false);
      stream.feedData(b("some data\n"));
      stream.feedEof();
      await stream.readline();
      expect(stream.atEof()).toBe(true);
    }));

  it("readline with a limit (test_readline_limit)", () =>
    runLoop(async ({ loop }) => {
      let stream = new StreamReader({ limit: 7 });
      loop.callSoon(() => {
        stream.feedData(b("chunk1"));
        stream.feedData(b("chunk2"));
        stream.feedData(b("chunk3\n"));
        stream.feedEof();
      });
      await expect(stream.readline()).rejects.toThrow(RangeError);
      // The buffer is cleared: the line never fitted.
      expect(str(await stream.read(-1))).toBe("");

      stream = new StreamReader({ limit: 7 });
      loop.callSoon(() => {
        stream.feedData(b("chunk1"));
        stream.feedData(b("chunk2\n"));
        stream.feedData(b("chunk3\n"));
        stream.feedEof();
      });
      await expect(stream.readline()).rejects.toThrow(RangeError);
      expect(str(await stream.read(-1))).toBe("chunk3\n");

      stream = new StreamReader({ limit: 7 });
      stream.feedData(b("1234567\n"));
      expect(str(await stream.readline())).toBe("1234567\n");
      stream.feedData(b("12345678\n"));
      const error = await stream.readline().then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(RangeError);
      expect((error as Error).cause).toBeInstanceOf(LimitOverrunError);
      stream.feedData(b("12345678"));
      await expect(stream.readline()).rejects.toThrow(RangeError);
    }));

  it("readline without waiting (test_readline_nolimit_nowait)", () =>
    runLoop(async () => {
      const stream = new StreamReader();
      stream.feedData(DATA.subarray(0, 6));
      stream.feedData(DATA.subarray(6));
      expect(str(await stream.readline())).toBe("line1\n");
      stream.feedEof();
      expect(str(await stream.read(-1))).toBe("line2\nline3\n");
    }));

  it("readline at EOF returns the rest, then empty (test_readline_eof, test_readline_empty_eof)", () =>
    runLoop(async () => {
      let stream = new StreamReader();
      stream.feedData(b("some data"));
      stream.feedEof();
      expect(str(await stream.readline())).toBe("some data");
      stream = new StreamReader();
      stream.feedEof();
      expect(str(await stream.readline())).toBe("");
    }));

  it("readline then read (test_readline_read_byte_count)", () =>
    runLoop(async () => {
      const stream = new StreamReader();
      stream.feedData(DATA);
      await stream.readline();
      expect(str(await stream.read(7))).toBe("line2\nl");
      stream.feedEof();
      expect(str(await stream.read(-1))).toBe("ine3\n");
    }));

  it("readline raises the stream's exception (test_readline_exception)", () =>
    runLoop(async () => {
      const stream = new StreamReader();
      stream.feedData(b("line\n"));
      expect(str(await stream.readline())).toBe("line\n");
      stream.setException(new RangeError("boom"));
      await expect(stream.readline()).rejects.toThrow("boom");
      await expect(stream.read(0)).rejects.toThrow("boom");
    }));

  it("readuntil checks its separator (test_readuntil_separator)", () =>
    runLoop(async () => {
      const stream = new StreamReader();
      expect(() => stream.readuntil(b(""))).toThrow(RangeError);
      expect(() => stream.readuntil([])).toThrow(RangeError);
      expect(() => stream.readuntil(42 as never)).toThrow(TypeError);
    }));

  it("readuntil over several chunks (test_readuntil_multi_chunks, _1)", () =>
    runLoop(async () => {
      let stream = new StreamReader();
      stream.feedData(b("lineAAA"));
      expect(str(await stream.readuntil("AAA"))).toBe("lineAAA");
      stream.feedData(b("lineAAA"));
      expect(str(await stream.readuntil(b("AAA")))).toBe("lineAAA");
      stream.feedData(b("lineAAAxxx"));
      expect(str(await stream.readuntil("AAA"))).toBe("lineAAA");
      expect(str(await stream.read(3))).toBe("xxx");

      stream = new StreamReader();
      stream.feedData(b("QWEaa"));
      stream.feedData(b("XYaa"));
      stream.feedData(b("a"));
      expect(str(await stream.readuntil("aaa"))).toBe("QWEaaXYaaa");
      stream.feedData(b("QWEaa"));
      stream.feedData(b("XYa"));
      stream.feedData(b("aa"));
      expect(str(await stream.readuntil("aaa"))).toBe("QWEaaXYaaa");
      stream.feedData(b("aaa"));
      expect(str(await stream.readuntil("aaa"))).toBe("aaa");
      stream.feedData(b("Xaaa"));
      expect(str(await stream.readuntil("aaa"))).toBe("Xaaa");
      stream.feedData(b("XXX"));
      stream.feedData(b("a"));
      stream.feedData(b("a"));
      stream.feedData(b("a"));
      expect(str(await stream.readuntil("aaa"))).toBe("XXXaaa");
    }));

  it("readuntil at EOF: IncompleteReadError with partial and expected null (test_readuntil_eof)", () =>
    runLoop(async () => {
      const stream = new StreamReader();
      const data = b("some dataAA");
      stream.feedData(data);
      stream.feedEof();
      const error = (await stream.readuntil("AAA").then(() => null, (e: unknown) => e)) as IncompleteReadError;
      expect(error).toBeInstanceOf(IncompleteReadError);
      expect(error.name).toBe("IncompleteReadError");
      expect(str(error.partial)).toBe("some dataAA");
      expect(error.expected).toBeNull();
      expect(str(await stream.read(-1))).toBe("");
    }));

  it("readuntil over the limit: LimitOverrunError with consumed, nothing consumed (test_readuntil_limit_found_sep)", () =>
    runLoop(async () => {
      const stream = new StreamReader({ limit: 3 });
      stream.feedData(b("some dataAA"));
      let error = (await stream.readuntil("AAA").then(() => null, (e: unknown) => e)) as LimitOverrunError;
      expect(error).toBeInstanceOf(LimitOverrunError);
      expect(error.name).toBe("LimitOverrunError");
      expect(error.message).toMatch("not found");
      expect(error.consumed).toBe(9);
      stream.feedData(b("A"));
      error = (await stream.readuntil("AAA").then(() => null, (e: unknown) => e)) as LimitOverrunError;
      expect(error.message).toMatch("is found");
      expect(error.consumed).toBe(9);
      expect(str(await stream.readexactly(12))).toBe("some dataAAA");
    }));

  it("readuntil with several separators takes the shortest match (3.13, test_readuntil_multiple_separators)", () =>
    runLoop(async () => {
      const stream = new StreamReader();
      stream.feedData(b("line 1\nline 2\r"));
      expect(str(await stream.readuntil(["\r", "\n"]))).toBe("line 1\n");
      expect(str(await stream.readuntil(["\r", "\n"]))).toBe("line 2\r");
      stream.feedData(b("abc\r\nxyz"));
      expect(str(await stream.readuntil(["\r\n", "\n"]))).toBe("abc\r\n");
    }));

  it("readexactly: 0, negative, and exact counts (test_readexactly_zero_or_less, test_readexactly)", () =>
    runLoop(async ({ loop }) => {
      let stream = new StreamReader();
      stream.feedData(DATA);
      expect(str(await stream.readexactly(0))).toBe("");
      expect(() => stream.readexactly(-1)).toThrow(RangeError);
      expect(() => stream.readexactly(1.5)).toThrow(TypeError);

      stream = new StreamReader();
      const n = 2 * DATA.length;
      const readTask = createTask(() => stream.readexactly(n));
      loop.callSoon(() => {
        stream.feedData(DATA);
        stream.feedData(DATA);
        stream.feedData(DATA);
      });
      expect(str(await readTask)).toBe(DATA.toString() + DATA.toString());
      expect(str(await stream.readexactly(DATA.length))).toBe(DATA.toString());
    }));

  it("readexactly is not limited by the limit (test_readexactly_limit)", () =>
    runLoop(async () => {
      const stream = new StreamReader({ limit: 3 });
      stream.feedData(b("chunk"));
      expect(str(await stream.readexactly(5))).toBe("chunk");
    }));

  it("readexactly at EOF: IncompleteReadError (test_readexactly_eof)", () =>
    runLoop(async ({ loop }) => {
      const stream = new StreamReader();
      const n = 2 * DATA.length;
      const readTask = createTask(() => stream.readexactly(n));
      loop.callSoon(() => {
        stream.feedData(DATA);
        stream.feedEof();
      });
      const error = (await readTask.then(() => null, (e: unknown) => e)) as IncompleteReadError;
      expect(error).toBeInstanceOf(IncompleteReadError);
      expect(str(error.partial)).toBe(DATA.toString());
      expect(error.expected).toBe(n);
      expect(error.message).toBe(`18 bytes read on a total of 36 expected bytes`);
      expect(str(await stream.read(-1))).toBe("");
    }));

  it("exception() and setException wake the waiter (test_exception, test_exception_waiter)", () =>
    runLoop(async () => {
      const stream = new StreamReader();
      expect(stream.exception()).toBeNull();
      const exc = new RangeError("x");
      const readTask = createTask(() => stream.readline());
      await sleep(0);
      stream.setException(exc);
      expect(stream.exception()).toBe(exc);
      await expect(readTask).rejects.toBe(exc);
    }));

  it("setException after the waiter was cancelled does not fail (test_exception_cancel)", () =>
    runLoop(async () => {
      const stream = new StreamReader();
      const t = createTask(() => stream.readline());
      await sleep(0);
      t.cancel();
      await sleep(0);
      stream.setException(new RangeError());
      await expect(t).rejects.toBeInstanceOf(CancelledError);
    }));

  it("feedData after feedEof is a RuntimeError; feedData takes bytes only", () =>
    runLoop(async () => {
      const stream = new StreamReader();
      stream.feedEof();
      expect(() => stream.feedData(b("x"))).toThrow(RuntimeError);
      expect(() => stream.feedData("x" as never)).toThrow(TypeError);
    }));

  it("a second read that would wait is a RuntimeError; one that need not wait is fine", () =>
    runLoop(async () => {
      const stream = new StreamReader();
      const first = createTask(() => stream.readexactly(4));
      await sleep(0);
      const error = await stream.read(1).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(RuntimeError);
      expect((error as Error).message).toBe("read() called while another coroutine is already waiting for incoming data");
      stream.feedData(b("ab"));
      expect(str(await stream.read(1))).toBe("a");
      stream.feedData(b("cdef"));
      expect(str(await first)).toBe("bcde");
    }));

  it("iterates over lines with for await (test_async_iteration? __aiter__)", () =>
    runLoop(async () => {
      const stream = new StreamReader();
      for (const line of ["line1\n", "line2\n", "line3"]) stream.feedData(b(line));
      stream.feedEof();
      const lines: string[] = [];
      for await (const line of stream) lines.push(str(line));
      expect(lines).toEqual(["line1\n", "line2\n", "line3"]);
    }));

  it("a generator coroutine reads with yield*", () =>
    runLoop(function* () {
      const stream = new StreamReader();
      stream.feedData(b("abc\ndef"));
      stream.feedEof();
      const line: Buffer = yield* stream.readline();
      const rest: Buffer = yield* stream.read();
      return [str(line), str(rest)];
    }).then((v) => expect(v).toEqual(["abc\n", "def"])));
});

describe("StreamReader cancellation", () => {
  const blockedRead = {
    async: (stream: StreamReader, op: (s: StreamReader) => Future<Buffer>) => createTask(() => op(stream)),
    generator: (stream: StreamReader, op: (s: StreamReader) => Future<Buffer>) =>
      createTask(
        (function* () {
          return yield* op(stream);
        })(),
      ),
  };
  const ops: [string, (s: StreamReader) => Future<Buffer>][] = [
    ["read(5)", (s) => s.read(5)],
    ["readline()", (s) => s.readline()],
    ["readexactly(8)", (s) => s.readexactly(8)],
    ["readuntil('!')", (s) => s.readuntil("!")],
    ["read(-1)", (s) => s.read(-1)],
  ];
  for (const [kind, start] of Object.entries(blockedRead)) {
    for (const [name, op] of ops) {
      it(`${kind} coroutine: cancelling a blocked ${name} leaves the stream usable`, () =>
        runLoop(async () => {
          const stream = new StreamReader();
          if (name !== "read(5)") stream.feedData(b("ab"));
          const task = start(stream, op);
          await sleep(0);
          task.cancel();
          await expect(task).rejects.toBeInstanceOf(CancelledError);
          stream.feedData(b(name === "read(5)" ? "abcdefgh\n!" : "cdefgh\n!"));
          stream.feedEof();
          expect(str(await stream.read(-1))).toBe("abcdefgh\n!");
        }));

      it(`${kind} coroutine: cancelled after the data arrived but before it resumed, ${name} loses no byte`, () =>
        runLoop(async ({ loop }) => {
          const stream = new StreamReader();
          const task = start(stream, op);
          await sleep(0);
          // In one loop callback: the data arrives (the read becomes ready) and the task is cancelled.
          loop.callSoon(() => {
            stream.feedData(b("abcdefgh\n!"));
            if (name === "read(-1)") stream.feedEof();
            task.cancel();
          });
          await expect(task).rejects.toBeInstanceOf(CancelledError);
          if (name !== "read(-1)") stream.feedEof();
          expect(str(await stream.read(-1))).toBe("abcdefgh\n!");
        }));
    }
  }

  describe("many small chunks", () => {
    it("readline across thousands of 1-byte chunks, waiting the whole time, stays linear", () =>
      runLoop(async ({ loop }) => {
        const stream = new StreamReader({ limit: 1 << 20 });
        const line = Buffer.alloc(200_000, 120);
        const reading = createTask(() => stream.readline());
        await sleep(0);
        const start = performance.now();
        // Fed one byte per loop callback: each wakes the waiting readline, which scans only the new byte.
        for (let i = 0; i < line.length; i++) stream.feedData(line.subarray(i, i + 1));
        loop.callSoon(() => stream.feedData(b("\nnext")));
        const got = await reading;
        expect(got.length).toBe(line.length + 1);
        expect(got.subarray(0, line.length).equals(line)).toBe(true);
        expect(performance.now() - start).toBeLessThan(5000); // quadratic: minutes
        expect(str(await stream.read(4))).toBe("next");
      }));

    it("readline over lines split anywhere across small chunks", () =>
      runLoop(async () => {
        const stream = new StreamReader();
        const text = "alpha\nbeta\n\ngamma delta\nz\n";
        for (let i = 0; i < text.length; i += 3) stream.feedData(b(text.slice(i, i + 3)));
        stream.feedEof();
        const lines: string[] = [];
        for (;;) {
          const line = await stream.readline();
          if (line.length === 0) break;
          lines.push(str(line));
        }
        expect(lines).toEqual(["alpha\n", "beta\n", "\n", "gamma delta\n", "z\n"]);
      }));

    it("readuntil finds a separator split across chunks, at every split point", () =>
      runLoop(async () => {
        const sep = "<END>";
        for (let cut1 = 1; cut1 < sep.length; cut1++) {
          for (let cut2 = cut1; cut2 < sep.length; cut2++) {
            const stream = new StreamReader();
            stream.feedData(b(`payload${sep.slice(0, cut1)}`));
            stream.feedData(b(sep.slice(cut1, cut2)));
            stream.feedData(b(`${sep.slice(cut2)}rest`));
            expect(str(await stream.readuntil(sep))).toBe(`payload${sep}`);
            expect(str(await stream.read(10))).toBe("rest");
          }
        }
      }));

    it("readuntil waits while a separator arrives one byte at a time, and a near miss does not match", () =>
      runLoop(async ({ loop }) => {
        const stream = new StreamReader();
        const reading = createTask(() => stream.readuntil("\r\n\r\n"));
        await sleep(0);
        const pieces = ["GET / HTTP/1.1\r", "\n", "Host: x\r\n", "\r", "\n", "body"];
        for (const piece of pieces) loop.callSoon(() => stream.feedData(b(piece)));
        expect(str(await reading)).toBe("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        expect(str(await stream.read(4))).toBe("body");
      }));

    it("readuntil over the limit across small chunks: LimitOverrunError, nothing consumed", () =>
      runLoop(async ({ loop }) => {
        const stream = new StreamReader({ limit: 16 });
        const reading = createTask(() => stream.readuntil("::"));
        await sleep(0);
        for (let i = 0; i < 20; i++) loop.callSoon(() => stream.feedData(b("ab")));
        const error = (await reading.then(() => null, (e: unknown) => e)) as LimitOverrunError;
        expect(error).toBeInstanceOf(LimitOverrunError);
        expect(str(await stream.readexactly(40))).toBe("ab".repeat(20));
      }));
  });
});
