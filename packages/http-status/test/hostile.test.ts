// Hostile servers: raw node:net servers on 127.0.0.1 that misbehave byte by
// byte (slowloris, endless heads, garbage and truncated status lines, resets,
// endless bodies, hostile redirects and Retry-After, TLS confusion). Every
// case must give exactly one result with a stable error code, promptly:
// never a crash, a hang, an unhandled rejection or a socket left open.
import * as net from "node:net";
import * as tls from "node:tls";
import { checkMany, checkStatus, getStatus, type StatusResult } from "@asyncio-ts/http-status";
import { sleep } from "@asyncio-ts/tasks";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CheckFailure } from "../src/errors.js";
import { ResponseParser } from "../src/response-parser.js";
import { runCli } from "./cli-helpers.js";
import { closedPort, HOST, makeCaSignedCert, makeCert, reply, routes, runLoop, serve, type Handler, type TestServer } from "./helpers.js";

// ---------------------------------------------------------------- servers

/** A server that gets the socket at once, before any request byte (it may not even read). */
interface RawServer {
  port: number;
  url(path?: string, scheme?: string): string;
  /** Connections accepted so far. */
  connections: number;
  /** Connections open now (server side). */
  active: number;
  close(): Promise<void>;
}

async function rawServer(onConnection: (socket: net.Socket) => void, options: { tls?: { key: string; cert: string } } = {}): Promise<RawServer> {
  const sockets = new Set<net.Socket>();
  const state = { connections: 0, active: 0 };
  const accept = (socket: net.Socket): void => {
    sockets.add(socket);
    state.connections++;
    state.active++;
    socket.on("error", () => {});
    socket.on("close", () => {
      sockets.delete(socket);
      state.active--;
    });
    onConnection(socket);
    // Keep reading (and discarding), so that the server sees the client's close or reset.
    socket.on("data", () => {});
  };
  const server = options.tls ? tls.createServer({ ...options.tls }, accept) : net.createServer(accept);
  server.on("tlsClientError", () => {});
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    url: (path = "/", scheme = options.tls ? "https" : "http") => `${scheme}://${HOST}:${port}${path}`,
    get connections() {
      return state.connections;
    },
    get active() {
      return state.active;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const open: { close(): Promise<void> }[] = [];
async function server(handler: Handler, options?: Parameters<typeof serve>[1]): Promise<TestServer> {
  const s = await serve(handler, options);
  open.push(s);
  return s;
}
async function raw(onConnection: (socket: net.Socket) => void, options?: Parameters<typeof rawServer>[1]): Promise<RawServer> {
  const s = await rawServer(onConnection, options);
  open.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

// Any unhandled rejection or uncaught exception while these tests run is a failure.
const stray: unknown[] = [];
const onStray = (error: unknown): void => void stray.push(error);
beforeAll(() => {
  process.on("unhandledRejection", onStray);
  process.on("uncaughtException", onStray);
});
afterAll(() => {
  process.off("unhandledRejection", onStray);
  process.off("uncaughtException", onStray);
  expect(stray).toEqual([]);
});

/** Writes `next()` every `ms` milliseconds until it returns null or the socket closes. */
function drip(socket: net.Socket, next: () => string | Buffer | null, ms: number): void {
  socket.setNoDelay(true);
  const timer = setInterval(() => {
    if (socket.destroyed || socket.writableEnded) return void clearInterval(timer);
    const data = next();
    if (data === null) return void clearInterval(timer);
    socket.write(data);
  }, ms);
  socket.on("close", () => clearInterval(timer));
}

/** Writes `text` one byte at a time, `ms` apart, then forever after `then` bytes (one byte a tick) or nothing. */
function dripText(socket: net.Socket, text: string, ms: number, then?: string): void {
  let i = 0;
  drip(socket, () => {
    if (i < text.length) return Buffer.from(text[i++], "latin1");
    if (then === undefined) return null;
    const byte = then[(i++ - text.length) % then.length];
    return Buffer.from(byte, "latin1");
  }, ms);
}

/**
 * Writes `unit` forever (in blocks of at least 16 KiB), as fast as the client
 * takes it, yielding to the event loop between blocks: the server shares this
 * process with the checker, and a synchronous write loop would stall both.
 * Returns how many bytes were written so far.
 */
function pump(socket: net.Socket, unit: string | Buffer): () => number {
  const one = typeof unit === "string" ? Buffer.from(unit, "latin1") : unit;
  const chunk = Buffer.concat(Array.from({ length: Math.max(1, Math.ceil(16384 / one.length)) }, () => one));
  let written = 0;
  const go = (): void => {
    if (socket.destroyed || !socket.writable) return;
    written += chunk.length;
    if (socket.write(chunk)) setImmediate(go);
    else socket.once("drain", go);
  };
  go();
  return () => written;
}

/** A handler sending `bytes` (latin1 string) and keeping the connection open. */
const say = (bytes: string): Handler => (_request, socket) => void socket.write(Buffer.from(bytes, "latin1"));
/** A handler sending `bytes` (latin1 string) and closing. */
const sayAndClose = (bytes: string): Handler => (_request, socket) => void socket.end(Buffer.from(bytes, "latin1"));

const FAST = { backoff: 0.01 };

function code(result: StatusResult): string | null {
  return result.error?.code ?? null;
}

/** One result, shaped as CONTRACT says, whatever happened. */
function expectShape(result: StatusResult, url: string): void {
  expect(Object.keys(result).sort()).toEqual(["error", "httpVersion", "location", "ok", "reason", "redirects", "status", "timings", "url"]);
  expect(result.url).toBe(url);
  if (result.error !== null) {
    expect(result.ok).toBe(false);
    expect(typeof result.error.message).toBe("string");
    expect(result.error.message.length).toBeGreaterThan(5);
  }
}

/** Waits (outside any loop) until `predicate` holds, at most `seconds`. */
async function eventually(predicate: () => boolean, seconds = 2): Promise<void> {
  const until = performance.now() + seconds * 1000;
  while (!predicate() && performance.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(predicate()).toBe(true);
}

// ---------------------------------------------------------------- slow servers

describe("hostile: slow servers", () => {
  it("slowloris (one header byte every 200 ms, forever): TIMEOUT when the attempt's whole time is up, not per read", async () => {
    const s = await server((_request, socket) => dripText(socket, "HTTP/1.1 200 OK\r\n", 200, "X-Drip: 1\r\n"));
    const result = await runLoop(async () => checkStatus(s.url(), { timeout: 1, retries: 0 }));
    expectShape(result, s.url());
    expect(code(result)).toBe("TIMEOUT");
    expect(result.error?.message).toMatch(/did not end within 1 s/);
    expect(result.status).toBeNull();
    expect(result.timings.firstByte).not.toBeNull();
    expect(result.timings.total).toBeGreaterThanOrEqual(0.95);
    expect(result.timings.total).toBeLessThan(1.6);
    await eventually(() => s.active === 0); // the checker closed the connection
  });

  it("slowloris on the status line itself, and retried: timeout × (retries + 1)", async () => {
    const s = await server((_request, socket) => dripText(socket, "HTTP/1.1 200 ", 100, "O"));
    const result = await runLoop(async () => checkStatus(s.url(), { timeout: 0.5, retries: 1, ...FAST }));
    expect(code(result)).toBe("TIMEOUT");
    expect(result.timings.total).toBeGreaterThanOrEqual(0.95);
    expect(result.timings.total).toBeLessThan(1.8);
    expect(s.requests).toHaveLength(2);
    await eventually(() => s.active === 0);
  });

  it("interim responses dripped forever: TIMEOUT (the interim heads count against the same attempt)", async () => {
    const s = await server((_request, socket) => dripText(socket, "", 20, "HTTP/1.1 100 Continue\r\n\r\n"));
    const result = await runLoop(async () => checkStatus(s.url(), { timeout: 0.5, retries: 0 }));
    expect(code(result)).toBe("TIMEOUT");
    expect(result.timings.total).toBeLessThan(1.2);
  });

  it("a server that accepts and never says anything: TIMEOUT, connection closed", async () => {
    const s = await raw(() => {});
    const result = await runLoop(async () => checkStatus(s.url(), { timeout: 0.3, retries: 0 }));
    expect(result.error).toEqual({ code: "TIMEOUT", message: "no response within 0.3 s" });
    await eventually(() => s.active === 0);
  });
});

// ---------------------------------------------------------------- oversized heads

describe("hostile: oversized heads", () => {
  it("header lines that never end: TOO_LARGE at 64 KiB, at once (not at the timeout), connection closed", async () => {
    const s = await server((_request, socket) => {
      socket.write("HTTP/1.1 200 OK\r\n");
      pump(socket, "X-Endless: yes\r\n");
    });
    const result = await runLoop(async () => checkStatus(s.url(), { timeout: 10 }));
    expect(code(result)).toBe("TOO_LARGE");
    expect(result.error?.message).toContain("65536");
    expect(result.status).toBeNull();
    expect(result.timings.total).toBeLessThan(2);
    expect(s.requests).toHaveLength(1); // not retried
    await eventually(() => s.active === 0);
  });

  it("one status line over the limit with no newline at all: TOO_LARGE, not a timeout", async () => {
    const s = await server((_request, socket) => {
      socket.write("HTTP/1.1 200 ");
      pump(socket, "A".repeat(4096));
    });
    const result = await runLoop(async () => checkStatus(s.url(), { timeout: 10 }));
    expect(code(result)).toBe("TOO_LARGE");
    expect(result.timings.total).toBeLessThan(2);
    await eventually(() => s.active === 0);
  });

  it("one oversized header line (a 100 KB cookie): TOO_LARGE", async () => {
    const s = await server(sayAndClose(`HTTP/1.1 200 OK\r\nSet-Cookie: ${"c".repeat(100_000)}\r\n\r\n`));
    expect(code(await runLoop(async () => checkStatus(s.url())))).toBe("TOO_LARGE");
  });

  it("maxHeaderSize is honoured to the byte", async () => {
    const head = `HTTP/1.1 200 OK\r\nX-Pad: ${"p".repeat(2000)}\r\n\r\n`;
    const s = await server(sayAndClose(head));
    await runLoop(async () => {
      expect(code(await checkStatus(s.url(), { maxHeaderSize: 1024 }))).toBe("TOO_LARGE");
      expect(await checkStatus(s.url(), { maxHeaderSize: head.length })).toMatchObject({ status: 200, error: null });
      expect(code(await checkStatus(s.url(), { maxHeaderSize: head.length - 1 }))).toBe("TOO_LARGE");
    });
  });

  it("a head arriving one byte per segment costs linear time, even with a large maxHeaderSize", () => {
    // White-box: the parser is fed 1-byte chunks up to a 1 MiB limit. Copying
    // the buffer on every chunk (quadratic) took minutes here; linear is well under a second.
    for (const text of [`HTTP/1.1 200 ${"a".repeat(1_100_000)}`, `HTTP/1.1 200 OK\r\n${"X-A: b\r\n".repeat(140_000)}`]) {
      const parser = new ResponseParser(1024 * 1024);
      const started = performance.now();
      let failure: unknown = null;
      try {
        for (let i = 0; i < text.length; i++) parser.push(Buffer.from(text[i], "latin1"));
      } catch (error) {
        failure = error;
      }
      expect(failure).toBeInstanceOf(CheckFailure);
      expect((failure as CheckFailure).code).toBe("TOO_LARGE");
      expect(performance.now() - started).toBeLessThan(8000);
    }
  });

  it("blank lines forever before the status line: TOO_LARGE", async () => {
    const s = await server((_request, socket) => void pump(socket, "\r\n"));
    const result = await runLoop(async () => checkStatus(s.url(), { timeout: 10 }));
    expect(code(result)).toBe("TOO_LARGE");
    expect(result.timings.total).toBeLessThan(2);
  });

  it("100 Continue forever: TOO_LARGE (interim heads count against the limit)", async () => {
    const s = await server((_request, socket) => void pump(socket, "HTTP/1.1 100 Continue\r\n\r\n"));
    const result = await runLoop(async () => checkStatus(s.url(), { timeout: 10 }));
    expect(code(result)).toBe("TOO_LARGE");
    expect(result.timings.total).toBeLessThan(2);
  });
});

// ---------------------------------------------------------------- status lines

describe("hostile: status lines", () => {
  const garbage: [string, string][] = [
    ["a status code that is not a number", "HTTP/1.1 abc OK\r\n\r\n"],
    ["two digits", "HTTP/1.1 99 X\r\n\r\n"],
    ["three digits below 100", "HTTP/1.1 099 X\r\n\r\n"],
    ["000", "HTTP/1.1 000 Zero\r\n\r\n"],
    ["four digits", "HTTP/1.1 1000 X\r\n\r\n"],
    ["no space after the code", "HTTP/1.1 200OK\r\n\r\n"],
    ["another protocol", "FOO 200 OK\r\n\r\n"],
    ["lower-case http", "http/1.1 200 OK\r\n\r\n"],
    ["a two-digit major version", "HTTP/11 200 OK\r\n\r\n"],
    ["NUL bytes", "\u0000\u0000\u0000\u0000"],
    ["a NUL before the status line", "\u0000HTTP/1.1 200 OK\r\n\r\n"],
    ["binary", "\u00ff\u00fe\u0001\u0002\u0003garbage"],
    ["an HTTP/0.9 reply (a body only)", "<html><body>hello</body></html>\n"],
    ["a body that starts like HTTP", "Hello, world\n"],
    ["a bare CR instead of CRLF", "HTTP/1.1 200 OK\rServer: x\r\r"],
    ["an SSH banner", "SSH-2.0-OpenSSH_9.6\r\n"],
  ];

  for (const [name, bytes] of garbage) {
    it(`${name}: BAD_RESPONSE as soon as it shows, even on an open connection`, async () => {
      const s = await server(say(bytes));
      const result = await runLoop(async () => checkStatus(s.url(), { timeout: 5 }));
      expectShape(result, s.url());
      expect(code(result), JSON.stringify(bytes)).toBe("BAD_RESPONSE");
      expect(result).toMatchObject({ status: null, reason: null, httpVersion: null, ok: false });
      expect(result.timings.total).toBeLessThan(1);
      expect(s.requests).toHaveLength(1); // a bad reply is not retried
    });
  }

  it("a status line that is already wrong before its newline fails at once (no waiting for the rest)", async () => {
    for (const bytes of ["HTTP/1.1 abc", "HTTP/1.1 1000", "HTTP/1.1 20x", "HTTP/1.1 099", "HTTP/1.1 200OK", "HTTP/12", "HTTP/1.1 200 OK\rX"]) {
      const s = await server(say(bytes));
      const result = await runLoop(async () => checkStatus(s.url(), { timeout: 5 }));
      expect(code(result), bytes).toBe("BAD_RESPONSE");
      expect(result.timings.total, bytes).toBeLessThan(1);
    }
  });

  it("a status line padded with whitespace (a regex backtracking trap) is judged in linear time, the loop never blocked", async () => {
    // Spaces then a bare CR: a backtracking status-line pattern took cubic time
    // on this (seconds for 3,000 spaces, forever for 60,000), all of it
    // synchronous, so not even the timeout could end the check.
    const cases: [string, string | number][] = [
      [`HTTP/1.1 200${" ".repeat(3000)}\rX\r\n\r\n`, "BAD_RESPONSE"],
      [`HTTP/1.1 200 a${"\t ".repeat(30_000)}\rX\r\n\r\n`, "BAD_RESPONSE"],
      [`HTTP/1.1 200 OK${" ".repeat(60_000)}\r\n\r\n`, 200],
      [`HTTP/1.1${" ".repeat(60_000)}200${" ".repeat(60)}\r\n\r\n`, 200],
    ];
    for (const [bytes, expected] of cases) {
      const s = await server(say(bytes));
      const result = await runLoop(async () => checkStatus(s.url(), { timeout: 0.5, retries: 0, maxHeaderSize: 200_000 }));
      expect(code(result) ?? result.status, JSON.stringify(bytes.slice(0, 20))).toBe(expected);
      expect(result.timings.total).toBeLessThan(0.4);
    }
  });

  it("TLS bytes on a plain http:// port: BAD_RESPONSE, with a hint", async () => {
    const s = await raw((socket) => socket.end(Buffer.from([0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x46])));
    const result = await runLoop(async () => checkStatus(s.url(), { timeout: 5 }));
    expect(code(result)).toBe("BAD_RESPONSE");
    expect(result.error?.message).toMatch(/TLS/);
  });

  it("only blank lines, then EOF: BAD_RESPONSE (not an interim response, not a reset)", async () => {
    const s = await server(sayAndClose("\r\n\r\n\n"));
    const result = await runLoop(async () => checkStatus(s.url(), FAST));
    expect(code(result)).toBe("BAD_RESPONSE");
    expect(result.error?.message).not.toMatch(/interim/);
  });

  const valid: [string, string, Partial<StatusResult>][] = [
    ["no reason phrase", "HTTP/1.1 200\r\n\r\n", { status: 200, reason: "", httpVersion: "HTTP/1.1" }],
    ["no reason phrase, trailing space", "HTTP/1.1 404 \r\n\r\n", { status: 404, reason: "" }],
    ["HTTP/1.0", "HTTP/1.0 200 OK\r\n\r\n", { status: 200, reason: "OK", httpVersion: "HTTP/1.0" }],
    ["bare LF line ends", "HTTP/1.1 302 Found\nLocation: /lf\n\n", { status: 302, location: "/lf" }],
    ["mixed line ends", "HTTP/1.1 302 Found\r\nLocation: /mixed\n\r\n", { status: 302, location: "/mixed" }],
    ["a leading blank line (tolerated, RFC 9112 §2.2 robustness)", "\r\nHTTP/1.1 200 OK\r\n\r\n", { status: 200 }],
    ["a UTF-8 reason phrase", "HTTP/1.1 200 Tr\u00c3\u00a8s bien\r\n\r\n", { status: 200, reason: "Très bien" }],
    ["a Latin-1 reason phrase", "HTTP/1.1 200 Tr\u00e8s bien\r\n\r\n", { status: 200, reason: "Très bien" }],
    ["a reason with a NUL", "HTTP/1.1 200 O\u0000K\r\n\r\n", { status: 200 }],
  ];

  for (const [name, bytes, expected] of valid) {
    it(`valid: ${name}`, async () => {
      const s = await server(say(bytes)); // the connection stays open: the blank line must end the head
      const result = await runLoop(async () => checkStatus(s.url(), { timeout: 5 }));
      expect(result).toMatchObject({ ...expected, error: null });
      expect(result.timings.total).toBeLessThan(1);
    });
  }

  it("valid: a head split across many TCP segments (one byte each)", async () => {
    const head = "\r\nHTTP/1.1 301 Moved Permanently\r\nLocation: /split\r\nX-Folded: a\r\n b\r\n\r\n";
    const s = await server((_request, socket) => dripText(socket, head, 2));
    const result = await runLoop(async () => checkStatus(s.url(), { timeout: 5 }));
    expect(result).toMatchObject({ status: 301, reason: "Moved Permanently", location: "/split", error: null });
  });

  it("getStatus gives the status line as received, or rejects with the code", async () => {
    const good = await server(say("HTTP/1.1 200\r\n\r\n"));
    const bad = await server(say("HTTP/1.1 abc OK\r\n\r\n"));
    await runLoop(async () => {
      expect(await getStatus(good.url())).toBe("HTTP/1.1 200");
      await expect(getStatus(bad.url())).rejects.toMatchObject({ name: "HttpStatusError", code: "BAD_RESPONSE" });
    });
  });
});

// ---------------------------------------------------------------- interim responses

describe("hostile: interim (1xx) responses", () => {
  it("100 Continue and 103 Early Hints before the final response: the final status is reported (as curl does)", async () => {
    const s = await server(
      routes({
        "/100": say("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\n"),
        "/103": say("HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\nHTTP/1.1 302 Found\r\nLocation: /final\r\n\r\n"),
        "/both": (_request, socket) => dripText(socket, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\n\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n", 1),
      }),
    );
    await runLoop(async () => {
      expect(await checkStatus(s.url("/100"))).toMatchObject({ status: 200, reason: "OK", error: null });
      expect(await checkStatus(s.url("/103"))).toMatchObject({ status: 302, location: "/final", error: null });
      expect(await checkStatus(s.url("/both"))).toMatchObject({ status: 204, error: null });
    });
  });

  it("an interim response and then EOF: BAD_RESPONSE; then silence: TIMEOUT", async () => {
    const s = await server(routes({ "/eof": sayAndClose("HTTP/1.1 100 Continue\r\n\r\n"), "/silence": say("HTTP/1.1 103 Early Hints\r\n\r\n") }));
    await runLoop(async () => {
      const eof = await checkStatus(s.url("/eof"), FAST);
      expect(code(eof)).toBe("BAD_RESPONSE");
      expect(eof.error?.message).toMatch(/interim/);
      expect(code(await checkStatus(s.url("/silence"), { timeout: 0.3, retries: 0 }))).toBe("TIMEOUT");
    });
  });

  it("an interim status line, maybe with headers, cut off by EOF: BAD_RESPONSE (a 1xx is never the final answer)", async () => {
    // A head that EOF cuts short is accepted on the strength of its status line,
    // but a 1xx one only announces the answer: it was reported as status 100, ok.
    for (const bytes of ["HTTP/1.1 100 Continue\r\n", "HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\nLi", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\n"]) {
      const s = await server(sayAndClose(bytes));
      const result = await runLoop(async () => checkStatus(s.url(), FAST));
      expect(code(result), JSON.stringify(bytes)).toBe("BAD_RESPONSE");
      expect(result.error?.message).toMatch(/interim/);
      expect(result).toMatchObject({ status: null, ok: false });
    }
  });

  it("101 Switching Protocols (never asked for) is reported as it is", async () => {
    const s = await server(say("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n"));
    expect(await runLoop(async () => checkStatus(s.url()))).toMatchObject({ status: 101, error: null });
  });
});

// ---------------------------------------------------------------- truncated replies

describe("hostile: truncated replies", () => {
  it("closed mid status line: BAD_RESPONSE, not retried", async () => {
    const s = await server(sayAndClose("HTTP/1.1 20"));
    const result = await runLoop(async () => checkStatus(s.url(), FAST));
    expect(code(result)).toBe("BAD_RESPONSE");
    expect(result.error?.message).toMatch(/truncated/);
    expect(s.requests).toHaveLength(1);
  });

  it("closed after the status line, without the blank line: the status stands (curl and CPython agree)", async () => {
    const s = await server(sayAndClose("HTTP/1.1 200 OK\r\n"));
    expect(await runLoop(async () => checkStatus(s.url()))).toMatchObject({ status: 200, error: null });
  });

  it("closed mid headers: the status stands, the cut-off header line is dropped", async () => {
    const s = await server(sayAndClose("HTTP/1.1 301 Moved\r\nServer: x\r\nLocation: http://exa"));
    const result = await runLoop(async () => checkStatus(s.url(), { follow: true }));
    expect(result).toMatchObject({ status: 301, location: null, redirects: [], error: null });
  });

  it("a status line and headers, then silence: TIMEOUT", async () => {
    const s = await server(say("HTTP/1.1 200 OK\r\nServer: x\r\n"));
    expect(code(await runLoop(async () => checkStatus(s.url(), { timeout: 0.3, retries: 0 })))).toBe("TIMEOUT");
  });
});

// ---------------------------------------------------------------- closed and reset

describe("hostile: closed and reset connections", () => {
  it("accepts, then closes before reading anything: RESET after retries + 1 attempts", async () => {
    const s = await raw((socket) => socket.end());
    const result = await runLoop(async () => checkStatus(s.url(), { ...FAST, retries: 2 }));
    expectShape(result, s.url());
    expect(code(result)).toBe("RESET");
    expect(s.connections).toBe(3);
  });

  it("accepts, then resets at once: RESET after retries + 1 attempts", async () => {
    const s = await raw((socket) => socket.resetAndDestroy());
    const result = await runLoop(async () => checkStatus(s.url(), { ...FAST, retries: 2 }));
    expect(code(result)).toBe("RESET");
    expect(s.connections).toBe(3);
  });

  it("reads the request, then resets: RESET, retried", async () => {
    const s = await server((_request, socket) => socket.resetAndDestroy());
    const result = await runLoop(async () => checkStatus(s.url(), { ...FAST, retries: 1 }));
    expect(code(result)).toBe("RESET");
    expect(s.requests).toHaveLength(2);
  });

  it("half a status line, then a reset: RESET", async () => {
    const s = await server((_request, socket) => {
      socket.write("HTTP/1.1 2");
      setTimeout(() => socket.resetAndDestroy(), 50);
    });
    const result = await runLoop(async () => checkStatus(s.url(), { ...FAST, retries: 0 }));
    expect(code(result)).toBe("RESET");
  });

  it("answers before the request arrives, without reading it, and closes: the answer counts", async () => {
    const s = await raw((socket) => socket.end("HTTP/1.1 204 No Content\r\n\r\n"));
    expect(await runLoop(async () => checkStatus(s.url(), FAST))).toMatchObject({ status: 204, error: null });
  });

  it("a reset once is healed by the retry; the RESET is not reported", async () => {
    let n = 0;
    const s = await raw((socket) => (++n === 1 ? socket.resetAndDestroy() : socket.end("HTTP/1.1 200 OK\r\n\r\n")));
    expect(await runLoop(async () => checkStatus(s.url(), FAST))).toMatchObject({ status: 200, error: null });
    expect(s.connections).toBe(2);
  });
});

// ---------------------------------------------------------------- endless bodies

describe("hostile: endless bodies", () => {
  it("headers followed by a body that never stops: the result comes when the headers end, and the connection is closed", async () => {
    let written = (): number => 0;
    const s = await server((_request, socket) => {
      socket.write("HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n");
      written = pump(socket, Buffer.alloc(64 * 1024, 0x61));
    });
    const result = await runLoop(async () => checkStatus(s.url(), { method: "GET", timeout: 10 }));
    expect(result).toMatchObject({ status: 200, error: null });
    expect(result.timings.total).toBeLessThan(1);
    await eventually(() => s.active === 0);
    // Whatever the kernel buffered, not gigabytes: the checker stopped reading at the blank line.
    expect(written()).toBeLessThan(64 * 1024 * 1024);
  });

  it("head and a 16 MB body in one write: the head is enough", async () => {
    const s = await server((_request, socket) => void socket.write(Buffer.concat([Buffer.from("HTTP/1.1 200 OK\r\n\r\n"), Buffer.alloc(16 * 1024 * 1024, 0x62)])));
    expect(await runLoop(async () => checkStatus(s.url(), { timeout: 5 }))).toMatchObject({ status: 200, error: null });
    await eventually(() => s.active === 0);
  });
});

// ---------------------------------------------------------------- redirects

describe("hostile: redirects", () => {
  const to = (location: string): Handler => sayAndClose(`HTTP/1.1 302 Found\r\nLocation: ${location}\r\nContent-Length: 0\r\n\r\n`);

  it("a Location that is not a URL: BAD_RESPONSE", async () => {
    for (const location of ["http://[oops/", "http://", "http://127.0.0.1:99999/", "https://exa mple.com/"]) {
      const s = await server(to(location));
      const result = await runLoop(async () => checkStatus(s.url("/start"), { follow: true }));
      expect(code(result), location).toBe("BAD_RESPONSE");
      expect(result).toMatchObject({ status: 302, location, redirects: [] });
      expect(s.requests).toHaveLength(1);
    }
  });

  it("a Location with an unsupported scheme: UNSUPPORTED_SCHEME (and nothing is fetched)", async () => {
    for (const location of ["ftp://files.example/x", "javascript:alert(1)", "mailto:a@example.org", "file:///etc/passwd", "data:text/html,hi"]) {
      const s = await server(to(location));
      const result = await runLoop(async () => checkStatus(s.url(), { follow: true }));
      expect(code(result), location).toBe("UNSUPPORTED_SCHEME");
      expect(result.location).toBe(location);
      // Not following: just reported, no error.
      expect(await runLoop(async () => checkStatus(s.url()))).toMatchObject({ status: 302, location, error: null });
    }
  });

  it("relative and protocol-relative Locations are resolved against the current URL", async () => {
    let port = 0;
    const s = await server(
      routes({
        "/a/b": to("../c?x=1#frag"),
        "/c": (request, socket) => to(`//${HOST}:${port}/d`)(request, socket),
        "/d": reply("200 OK"),
      }),
    );
    port = s.port;
    const result = await runLoop(async () => checkStatus(s.url("/a/b"), { follow: true }));
    expect(result).toMatchObject({ status: 200, error: null, redirects: [s.url("/c?x=1"), s.url("/d")] });
  });

  it("loops: REDIRECT_LOOP (a self-redirect, a fragment-only change, A → B → A)", async () => {
    const s = await server(
      routes({
        "/self": to("/self"),
        "/frag": to("/frag#again"),
        "/a": to("/b"),
        "/b": to("/a"),
      }),
    );
    await runLoop(async () => {
      for (const path of ["/self", "/frag", "/a"]) {
        const result = await checkStatus(s.url(path), { follow: true });
        expect(code(result), path).toBe("REDIRECT_LOOP");
        expect(result.status).toBe(302);
      }
    });
  });

  it("a chain of 11 redirects: TOO_MANY_REDIRECTS after 10 followed; a chain of 10 is fine", async () => {
    const chain: Handler = (request, socket) => {
      const [, total, n] = /^\/chain(\d+)\/(\d+)$/.exec(request.path)!.map(Number);
      (n < total ? to(`/chain${total}/${n + 1}`) : reply("200 OK"))(request, socket);
    };
    const s = await server(chain);
    await runLoop(async () => {
      const eleven = await checkStatus(s.url("/chain11/0"), { follow: true });
      expect(code(eleven)).toBe("TOO_MANY_REDIRECTS");
      expect(eleven.redirects).toHaveLength(10);
      const ten = await checkStatus(s.url("/chain10/0"), { follow: true });
      expect(ten).toMatchObject({ status: 200, error: null });
      expect(ten.redirects).toHaveLength(10);
      expect(ten.redirects[9]).toBe(s.url("/chain10/10"));
    });
  });

  it("an empty Location, or none at all: the 3xx is the final answer (as curl does), nothing is followed", async () => {
    const s = await server(
      routes({
        "/empty": sayAndClose("HTTP/1.1 301 Moved Permanently\r\nLocation: \r\n\r\n"),
        "/blank": sayAndClose("HTTP/1.1 301 Moved Permanently\r\nLocation:    \t\r\n\r\n"),
        "/none": sayAndClose("HTTP/1.1 301 Moved Permanently\r\nContent-Length: 0\r\n\r\n"),
      }),
    );
    await runLoop(async () => {
      expect(await checkStatus(s.url("/empty"), { follow: true })).toMatchObject({ status: 301, location: "", redirects: [], error: null });
      expect(await checkStatus(s.url("/blank"), { follow: true })).toMatchObject({ status: 301, location: "", redirects: [], error: null });
      expect(await checkStatus(s.url("/none"), { follow: true })).toMatchObject({ status: 301, location: null, redirects: [], error: null });
    });
    expect(s.requests).toHaveLength(3);
  });

  it("a Location with raw UTF-8 bytes is followed to the percent-encoded URL; location shows it decoded", async () => {
    const s = await server(routes({ "/start": to("/caf\u00c3\u00a9?q=\u00c3\u00bc"), "/caf%C3%A9": reply("200 OK") }));
    const result = await runLoop(async () => checkStatus(s.url("/start"), { follow: true }));
    expect(result).toMatchObject({ status: 200, error: null, redirects: [s.url("/caf%C3%A9?q=%C3%BC")] });
    expect(s.requests.map((r) => r.path)).toEqual(["/start", "/caf%C3%A9?q=%C3%BC"]);
    expect((await runLoop(async () => checkStatus(s.url("/start")))).location).toBe("/café?q=ü");
  });

  it("duplicate Location headers: the first one counts (as curl does)", async () => {
    const s = await server(sayAndClose("HTTP/1.1 302 Found\r\nLocation: /first\r\nLocation: /second\r\n\r\n"));
    expect((await runLoop(async () => checkStatus(s.url()))).location).toBe("/first");
  });

  it("redirects to nowhere: DNS for a .invalid host, REFUSED for a closed port", async () => {
    const port = await closedPort();
    const s = await server(routes({ "/dns": to("http://gone.invalid/"), "/refused": to(`http://${HOST}:${port}/`) }));
    await runLoop(async () => {
      expect(code(await checkStatus(s.url("/dns"), { follow: true }))).toBe("DNS");
      expect(code(await checkStatus(s.url("/refused"), { follow: true }))).toBe("REFUSED");
    });
  });
});

// ---------------------------------------------------------------- user info

describe("hostile: user info that is not valid percent-encoding", () => {
  // WHATWG URL parsing keeps "%zz" and "%ff" in user info as they are; decoding
  // them as UTF-8 text threw URIError, out of checkStatus and out of a checkMany worker.
  const basic = (bytes: string): string => `Basic ${Buffer.from(bytes, "latin1").toString("base64")}`;

  it("in the URL: the request is made, with the escapes decoded to bytes where valid and kept where not (as curl does)", async () => {
    const s = await server(reply("200 OK"));
    const url = s.url().replace("://", "://a%zz:b%ff%@");
    expect(await runLoop(async () => checkStatus(url))).toMatchObject({ url, status: 200, error: null });
    expect(s.requests[0].headers.get("authorization")).toBe(basic("a%zz:b\u00ff%"));
  });

  it("in a redirect Location: followed like any other", async () => {
    let port = 0;
    const s = await server(
      routes({
        "/start": (request, socket) => sayAndClose(`HTTP/1.1 302 Found\r\nLocation: http://u%:p%e9@${HOST}:${port}/end\r\n\r\n`)(request, socket),
        "/end": reply("200 OK"),
      }),
    );
    port = s.port;
    const result = await runLoop(async () => checkStatus(s.url("/start"), { follow: true }));
    expect(result).toMatchObject({ status: 200, error: null, redirects: [`http://u%:p%e9@${HOST}:${port}/end`] });
    expect(s.requests[1].headers.get("authorization")).toBe(basic("u%:p\u00e9"));
  });

  it("in checkMany: every URL still gets its result (none silently dropped, none after it lost)", async () => {
    const s = await server(reply("200 OK"));
    const urls = [s.url("/1").replace("://", "://%zz@"), s.url("/2"), s.url("/3").replace("://", "://%@"), s.url("/4")];
    const results = await runLoop(async () => {
      const out: StatusResult[] = [];
      for await (const result of checkMany(urls, { concurrency: 1, order: "input" })) out.push(result);
      return out;
    });
    expect(results.map((r) => [r.url, r.status])).toEqual(urls.map((url) => [url, 200]));
  });
});

// ---------------------------------------------------------------- input URLs

describe("hostile: input URLs", () => {
  it("a host name that cannot even be looked up (over 255 bytes) is DNS, not REFUSED", async () => {
    // The resolver refuses such a name at once (getaddrinfo EINVAL), without a query.
    const url = `http://${"a.".repeat(130)}localhost/`;
    const result = await runLoop(async () => checkStatus(url, { retries: 0 }));
    expect(code(result)).toBe("DNS");
    expect(result.error?.message).toContain("EINVAL");
  });
});

// ---------------------------------------------------------------- Retry-After

describe("hostile: Retry-After", () => {
  it("a huge Retry-After (seconds or a far-future date) is not waited for: the 503 / 429 is reported at once", async () => {
    for (const value of ["999999999", "99999999999999999999999", "Fri, 31 Dec 9999 23:59:59 GMT", "61"]) {
      const s = await server(reply("503 Service Unavailable", { "Retry-After": value }));
      const result = await runLoop(async () => checkStatus(s.url()));
      expect(result, value).toMatchObject({ status: 503, ok: false, error: null });
      expect(result.timings.total, value).toBeLessThan(1);
      expect(s.requests, value).toHaveLength(1);
    }
  });

  it("maxRetryAfter is the cap", async () => {
    const s = await server(reply("429 Too Many Requests", { "Retry-After": "1" }));
    const result = await runLoop(async () => checkStatus(s.url(), { retries: 1, maxRetryAfter: 0.5 }));
    expect(result.status).toBe(429);
    expect(result.timings.total).toBeLessThan(0.5);
    expect(s.requests).toHaveLength(1);
  });

  it("a garbage Retry-After (-5, 1.5, a word, a list) is ignored: the backoff applies, not a zero wait", async () => {
    for (const value of ["-5", "1.5", "soon", "10, 20", "junk 5", "0x10", ""]) {
      const s = await server(reply("503 Service Unavailable", { "Retry-After": value }));
      const result = await runLoop(async () => checkStatus(s.url(), { retries: 1, backoff: 0.4 }));
      expect(result.status, value).toBe(503);
      expect(s.requests, value).toHaveLength(2);
      // The backoff is 0.4 s with jitter (x0.5 to x1): at least 0.2 s. Misread as a date in the past, it would be 0.
      expect(result.timings.total, value).toBeGreaterThanOrEqual(0.19);
      expect(result.timings.total, value).toBeLessThan(1.5);
    }
  });

  it("a date in the past means now", async () => {
    const s = await server(reply("503 Service Unavailable", { "Retry-After": "Sun, 06 Nov 1994 08:49:37 GMT" }));
    const result = await runLoop(async () => checkStatus(s.url(), { retries: 1, backoff: 2 }));
    expect(s.requests).toHaveLength(2);
    expect(result.timings.total).toBeLessThan(0.5);
  });
});

// ---------------------------------------------------------------- header hostility

describe("hostile: header lines", () => {
  it("a line without a colon is ignored", async () => {
    const s = await server(sayAndClose("HTTP/1.1 302 Found\r\nthis is not a header\r\n: no name\r\nLocation: /x\r\n\r\n"));
    expect(await runLoop(async () => checkStatus(s.url()))).toMatchObject({ status: 302, location: "/x", error: null });
  });

  it("obs-fold continuation lines are joined with a space", async () => {
    const s = await server(sayAndClose("HTTP/1.1 302 Found\r\nLocation: /a\r\n\t b\r\n\r\n"));
    expect((await runLoop(async () => checkStatus(s.url()))).location).toBe("/a b");
  });

  it("a whitespace-led line right after the status line is not a header (RFC 9112 §2.2)", async () => {
    const s = await server(sayAndClose("HTTP/1.1 302 Found\r\n Location: /evil\r\nLocation: /good\r\n\r\n"));
    expect((await runLoop(async () => checkStatus(s.url()))).location).toBe("/good");
  });

  it("a continuation of a duplicate header stays with it (it does not become a header of its own)", async () => {
    // " Retry-After: 999999" continues the second X-A; read as a header, it would stop the retry.
    const s = await server(sayAndClose("HTTP/1.1 503 Busy\r\nX-A: 1\r\nX-A: 2\r\n Retry-After: 999999\r\n\r\n"));
    await runLoop(async () => checkStatus(s.url(), { retries: 1, ...FAST }));
    expect(s.requests).toHaveLength(2);
  });

  it("many duplicate headers and one huge header value within the limit are fine", async () => {
    let head = "HTTP/1.1 200 OK\r\n";
    for (let i = 0; i < 2000; i++) head += "X-Dup: 1\r\n";
    head += `X-Big: ${"b".repeat(30_000)}\r\n\r\n`;
    const s = await server(sayAndClose(head));
    expect(await runLoop(async () => checkStatus(s.url()))).toMatchObject({ status: 200, error: null });
  });
});

// ---------------------------------------------------------------- TLS confusion

describe("hostile: TLS confusion", () => {
  it("https:// to a plain port that answers in plain HTTP at once: TLS, fast", async () => {
    const s = await raw((socket) => socket.end("HTTP/1.1 200 OK\r\n\r\n"));
    const result = await runLoop(async () => checkStatus(s.url("/", "https"), { timeout: 5, retries: 0 }));
    expect(code(result)).toBe("TLS");
    expect(result.timings.total).toBeLessThan(1);
  });

  it("https:// to a plain port that answers the ClientHello with garbage: TLS", async () => {
    const s = await raw((socket) => socket.once("data", () => socket.write(Buffer.from("\u0016\u0003\u0001garbage garbage garbage\r\n".repeat(10), "latin1"))));
    const result = await runLoop(async () => checkStatus(s.url("/", "https"), { timeout: 5, retries: 0 }));
    expect(code(result)).toBe("TLS");
    expect(result.timings.total).toBeLessThan(1);
  });

  it("https:// to a plain port that waits for a request forever: TIMEOUT, never a hang", async () => {
    const s = await server(reply("200 OK")); // waits for "\r\n\r\n", which a ClientHello never has
    const result = await runLoop(async () => checkStatus(s.url().replace("http:", "https:"), { timeout: 0.5, retries: 0 }));
    expect(code(result)).toBe("TIMEOUT");
    expect(result.timings.connect).toBeNull();
    await eventually(() => s.active === 0);
  });

  it("https:// to a port that closes or resets during the handshake: RESET (retried)", async () => {
    const closing = await raw((socket) => socket.end());
    const resetting = await raw((socket) => socket.once("data", () => socket.resetAndDestroy()));
    await runLoop(async () => {
      expect(code(await checkStatus(closing.url("/", "https"), { ...FAST, retries: 1 }))).toBe("RESET");
      expect(code(await checkStatus(resetting.url("/", "https"), { ...FAST, retries: 1 }))).toBe("RESET");
    });
    expect(closing.connections).toBe(2);
    expect(resetting.connections).toBe(2);
  });

  it("a certificate that chains to a trusted CA but is not for a server (clientAuth only): TLS, not a rejected future", async () => {
    // Node reports it with a verification code (INVALID_PURPOSE) that names no
    // "CERT" and whose message says no "certificate": it was rethrown as a bug,
    // so checkStatus rejected and checkMany ended, every later URL lost.
    const cert = makeCaSignedCert(["extendedKeyUsage=clientAuth"]);
    const s = await raw((socket) => socket.end("HTTP/1.1 200 OK\r\n\r\n"), { tls: cert });
    const plain = await server(reply("200 OK"));
    await runLoop(async () => {
      const result = await checkStatus(s.url(), { ca: cert.ca, retries: 0 });
      expect(code(result)).toBe("TLS");
      expect(result.error?.message).toContain("INVALID_PURPOSE");
      expect(await checkStatus(s.url(), { insecure: true })).toMatchObject({ status: 200, error: null });
      const all: StatusResult[] = [];
      for await (const r of checkMany([s.url("/a"), plain.url("/b")], { ca: cert.ca, retries: 0, concurrency: 1 })) all.push(r);
      expect(all.map((r) => code(r) ?? r.status)).toEqual(["TLS", 200]);
    });
  });

  it("http:// to a TLS port: RESET (the TLS server hangs up on a plain request), never a hang", async () => {
    const s = await raw((socket) => socket.end("HTTP/1.1 200 OK\r\n\r\n"), { tls: makeCert() });
    const result = await runLoop(async () => checkStatus(s.url("/", "http"), { timeout: 5, ...FAST, retries: 0 }));
    expect(["RESET", "BAD_RESPONSE"]).toContain(code(result));
    expect(result.timings.total).toBeLessThan(1);
  });
});

// ---------------------------------------------------------------- many at once

describe("hostile: checkMany against a mix of hostile servers", () => {
  it("1,000 URLs at concurrency 50: exactly one result each, the expected code, nothing left open", { timeout: 60_000 }, async () => {
    const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === "Timeout" || r === "Immediate").length;
    const sockets = (): string[] => process.getActiveResourcesInfo().filter((r) => /TCP|TLS|Pipe/.test(r) && r !== "PipeWrap");
    const baseline = { timers: timers() };
    const refusedPort = await closedPort();
    const s = await server(
      routes({
        "/ok": reply("200 OK"),
        "/slowloris": (_request, socket) => dripText(socket, "HTTP/1.1 200 OK\r\n", 100, "X: y\r\n"),
        "/endless-head": (_request, socket) => {
          socket.write("HTTP/1.1 200 OK\r\n");
          pump(socket, "X-More: more\r\n");
        },
        "/endless-body": (_request, socket) => {
          socket.write("HTTP/1.1 200 OK\r\n\r\n");
          pump(socket, Buffer.alloc(16 * 1024, 0x7a));
        },
        "/garbage": say("FOO 200 OK\r\n\r\n"),
        "/binary": say("\u0000\u0001\u0002\u0003"),
        "/truncated": sayAndClose("HTTP/1.1 2"),
        "/reset": (_request, socket) => socket.resetAndDestroy(),
        "/empty": (_request, socket) => socket.end(),
        "/interim": say("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"),
        "/loop": reply("302 Found", { Location: "/loop2" }),
        "/loop2": reply("302 Found", { Location: "/loop" }),
        "/ftp": reply("301 Moved", { Location: "ftp://files.example/" }),
        "/bad-location": reply("301 Moved", { Location: "http://[nope/" }),
        "/retry-after": reply("503 Service Unavailable", { "Retry-After": "999999999" }),
        "/silent": () => {},
        "/tls-bytes": (_request, socket) => void socket.end(Buffer.from([0x16, 0x03, 0x03, 0x00, 0x10])),
      }),
    );
    const closer = await raw((socket) => socket.end());
    const kinds: [(i: number) => string, string | number][] = [
      [(i) => s.url(`/ok?i=${i}`), 200],
      [(i) => s.url(`/slowloris?i=${i}`), "TIMEOUT"],
      [(i) => s.url(`/endless-head?i=${i}`), "TOO_LARGE"],
      [(i) => s.url(`/endless-body?i=${i}`), 200],
      [(i) => s.url(`/garbage?i=${i}`), "BAD_RESPONSE"],
      [(i) => s.url(`/binary?i=${i}`), "BAD_RESPONSE"],
      [(i) => s.url(`/truncated?i=${i}`), "BAD_RESPONSE"],
      [(i) => s.url(`/reset?i=${i}`), "RESET"],
      [(i) => s.url(`/empty?i=${i}`), "RESET"],
      [(i) => closer.url(`/?i=${i}`), "RESET"],
      [(i) => s.url(`/interim?i=${i}`), 204],
      [(i) => s.url(`/loop?i=${i}`), "REDIRECT_LOOP"],
      [(i) => s.url(`/ftp?i=${i}`), "UNSUPPORTED_SCHEME"],
      [(i) => s.url(`/bad-location?i=${i}`), "BAD_RESPONSE"],
      [(i) => s.url(`/retry-after?i=${i}`), 503],
      [(i) => s.url(`/silent?i=${i}`), "TIMEOUT"],
      [(i) => s.url(`/tls-bytes?i=${i}`), "BAD_RESPONSE"],
      [(i) => `http://${HOST}:${refusedPort}/?i=${i}`, "REFUSED"],
      [(i) => `not a url ${i}`, "INVALID_URL"],
      [(i) => `gopher://example.org/${i}`, "UNSUPPORTED_SCHEME"],
      [(i) => `http://nowhere-${i}.invalid/`, "DNS"],
    ];
    const N = 1000;
    const expected = new Map<string, string | number>();
    const urls: string[] = [];
    for (let i = 0; i < N; i++) {
      const [make, outcome] = kinds[i % kinds.length];
      urls.push(make(i));
      expected.set(urls[i], outcome);
    }
    const started = performance.now();
    const results = await runLoop(async () => {
      const out: StatusResult[] = [];
      for await (const result of checkMany(urls, { concurrency: 50, timeout: 0.5, retries: 1, backoff: 0.01, follow: true, maxHeaderSize: 8192 })) out.push(result);
      return out;
    });
    const seconds = (performance.now() - started) / 1000;
    expect(results).toHaveLength(N);
    const seen = new Map<string, number>();
    for (const r of results) seen.set(r.url, (seen.get(r.url) ?? 0) + 1);
    expect(seen.size).toBe(N);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    const wrong = results.filter((r) => (r.error?.code ?? r.status) !== expected.get(r.url)).map((r) => `${r.url}: ${r.error?.code ?? r.status}, expected ${expected.get(r.url)}`);
    expect(wrong).toEqual([]);
    for (const r of results) expectShape(r, r.url);
    expect(seconds).toBeLessThan(30);
    // The checker closed every connection itself, even to servers that would never stop.
    await eventually(() => s.active === 0 && closer.active === 0);
    await Promise.all(open.splice(0).map((x) => x.close()));
    // Nothing of the checker's is left behind: no socket, no timer (the loop is closed, the servers too).
    await eventually(() => sockets().length === 0 && timers() <= baseline.timers);
  });
});

// ---------------------------------------------------------------- the command

describe("hostile: the http-status command", () => {
  it("one row per URL, in input order, and exit status 1", async () => {
    const refusedPort = await closedPort();
    const s = await server(
      routes({
        "/ok": reply("200 OK"),
        "/slowloris": (_request, socket) => dripText(socket, "HTTP/1.1 200 OK\r\n", 100, "X: y\r\n"),
        "/big": (_request, socket) => {
          socket.write("HTTP/1.1 200 OK\r\n");
          pump(socket, "X-More: more\r\n");
        },
        "/garbage": say("HTTP/1.1 abc OK\r\n\r\n"),
        "/reset": (_request, socket) => socket.resetAndDestroy(),
        "/loop": reply("302 Found", { Location: "/loop" }),
      }),
    );
    const urls = [s.url("/ok"), s.url("/slowloris"), s.url("/big"), s.url("/garbage"), s.url("/reset"), s.url("/loop"), `http://${HOST}:${refusedPort}/`, "javascript:alert(1)", "nonsense"];
    const { code: exit, stdout } = await runCli(["-o", "jsonl", "--timeout", "0.5", "--retries", "0", "--max-header-size", "1024", "-L", "--no-progress", "-q", ...urls]);
    expect(exit).toBe(1);
    const lines = stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(urls.length);
    const results = lines.map((line) => JSON.parse(line) as StatusResult);
    expect(results.map((r) => r.url)).toEqual(urls);
    expect(results.map((r) => r.error?.code ?? r.status)).toEqual([200, "TIMEOUT", "TOO_LARGE", "BAD_RESPONSE", "RESET", "REDIRECT_LOOP", "REFUSED", "UNSUPPORTED_SCHEME", "INVALID_URL"]);
  });

  it("a table never passes a server's control characters through to the terminal", async () => {
    const s = await server(sayAndClose("HTTP/1.1 302 \u001b[2J\u001b]0;pwned\u0007Found\r\nLocation: /x\u001b[31m\r\n\r\n"));
    const { stdout } = await runCli(["-o", "table", "--no-progress", "-q", s.url()], {});
    expect(stdout).toContain("302");
    expect(stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });
});
