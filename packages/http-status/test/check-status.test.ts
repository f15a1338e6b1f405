// checkStatus against scripted servers on 127.0.0.1: every status class,
// redirects, retries, timeouts, resets, malformed and oversized responses, TLS.
import type * as net from "node:net";
import { checkStatus, type StatusResult } from "@asyncio-ts/http-status";
import { createTask, sleep } from "@asyncio-ts/tasks";
import { RuntimeError } from "@asyncio-ts/loop";
import { afterEach, describe, expect, it } from "vitest";
import { closedPort, hasIpv6, makeCert, reply, routes, runLoop, serve, type TestServer } from "./helpers.js";

const servers: TestServer[] = [];
async function server(...args: Parameters<typeof serve>): Promise<TestServer> {
  const s = await serve(...args);
  servers.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const FAST = { backoff: 0.01 };

function expectShape(result: StatusResult): void {
  expect(Object.keys(result).sort()).toEqual(["error", "httpVersion", "location", "ok", "reason", "redirects", "status", "timings", "url"]);
  expect(result.timings.total).toBeGreaterThanOrEqual(0);
}

describe("checkStatus: status classes", () => {
  it("reports 2xx, 3xx, 4xx and 5xx with reason and version; ok is false for 4xx and 5xx", async () => {
    const s = await server(
      routes({
        "/ok": reply("200 OK"),
        "/created": reply("201 Created"),
        "/nocontent": reply("204 No Content"),
        "/moved": reply("301 Moved Permanently", { Location: "https://example.org/new" }),
        "/found": reply("302 Found", { Location: "/there" }),
        "/notmodified": reply("304 Not Modified"),
        "/forbidden": reply("403 Forbidden"),
        "/teapot": reply("418 I'm a teapot"),
        "/error": reply("500 Internal Server Error"),
        "/gateway": reply("502 Bad Gateway"),
      }),
    );
    await runLoop(async () => {
      const expected: [string, number, string, boolean, string | null][] = [
        ["/ok", 200, "OK", true, null],
        ["/created", 201, "Created", true, null],
        ["/nocontent", 204, "No Content", true, null],
        ["/moved", 301, "Moved Permanently", true, "https://example.org/new"],
        ["/found", 302, "Found", true, "/there"],
        ["/notmodified", 304, "Not Modified", true, null],
        ["/forbidden", 403, "Forbidden", false, null],
        ["/teapot", 418, "I'm a teapot", false, null],
        ["/missing", 404, "Not Found", false, null],
        ["/error", 500, "Internal Server Error", false, null],
        ["/gateway", 502, "Bad Gateway", false, null],
      ];
      for (const [path, status, reason, ok, location] of expected) {
        const result = await checkStatus(s.url(path));
        expectShape(result);
        expect(result).toMatchObject({ url: s.url(path), status, reason, ok, location, httpVersion: "HTTP/1.1", error: null, redirects: [] });
        expect(result.timings.connect).toBeGreaterThan(0);
        expect(result.timings.firstByte).toBeGreaterThanOrEqual(result.timings.connect!);
        expect(result.timings.total).toBeGreaterThanOrEqual(result.timings.firstByte!);
      }
    });
  });

  it("skips interim 1xx responses and reports the final one", async () => {
    const s = await server((_request, socket) => socket.end("HTTP/1.1 103 Early Hints\r\nLink: </style.css>\r\n\r\nHTTP/1.1 200 OK\r\n\r\n"));
    await runLoop(async () => expect(await checkStatus(s.url())).toMatchObject({ status: 200, ok: true }));
  });

  it("sends HEAD with Host, User-Agent and Connection: close, keeping path and query", async () => {
    const s = await server(reply("200 OK"));
    await runLoop(async () => {
      await checkStatus(s.url("/a/b?x=1&y=2#fragment"));
      await checkStatus(s.url("/"), { userAgent: "my-checker/2", method: "GET" });
    });
    const [first, second] = s.requests;
    expect(first).toMatchObject({ method: "HEAD", path: "/a/b?x=1&y=2", version: "HTTP/1.1" });
    expect(first.headers.get("host")).toBe(`127.0.0.1:${s.port}`);
    expect(first.headers.get("connection")).toBe("close");
    expect(first.headers.get("user-agent")).toMatch(/^http-status\/\d+\.\d+\.\d+ \(asyncio-ts\)$/);
    expect(second).toMatchObject({ method: "GET" });
    expect(second.headers.get("user-agent")).toBe("my-checker/2");
  });

  it("trims the URL and reports it exactly as given (trimmed)", async () => {
    const s = await server(reply("200 OK"));
    await runLoop(async () => expect((await checkStatus(`  ${s.url("/x")}\t`)).url).toBe(s.url("/x")));
  });

  it("failOn decides ok", async () => {
    const s = await server(routes({ "/ok": reply("200 OK"), "/missing": reply("404 Not Found"), "/moved": reply("301 Moved", { Location: "/" }) }));
    await runLoop(async () => {
      expect((await checkStatus(s.url("/missing"), { failOn: ["5xx"] })).ok).toBe(true);
      expect((await checkStatus(s.url("/moved"), { failOn: ["3xx"] })).ok).toBe(false);
      expect((await checkStatus(s.url("/ok"), { failOn: ["200"] })).ok).toBe(false);
      expect((await checkStatus(s.url("/missing"), { failOn: ["none"] })).ok).toBe(true);
    });
  });
});

describe("checkStatus: HEAD fallback", () => {
  it("repeats a HEAD refused with 405 or 501 as GET", async () => {
    for (const refusal of ["405 Method Not Allowed", "501 Not Implemented"]) {
      const s = await server((request, socket) => (request.method === "HEAD" ? reply(refusal) : reply("200 OK"))(request, socket));
      await runLoop(async () => expect(await checkStatus(s.url("/page"))).toMatchObject({ status: 200, ok: true }));
      expect(s.requests.map((r) => r.method)).toEqual(["HEAD", "GET"]);
    }
  });

  it("stops reading after the headers of a GET, however long the body", async () => {
    const s = await server((request, socket) => {
      if (request.method === "HEAD") return reply("405 Method Not Allowed")(request, socket);
      socket.write("HTTP/1.1 200 OK\r\nContent-Length: 1000000000\r\n\r\n");
      const chunk = Buffer.alloc(65536, 120);
      const pump = (): void => {
        while (!socket.destroyed && socket.write(chunk));
        if (!socket.destroyed) socket.once("drain", pump);
      };
      pump();
    });
    await runLoop(async () => expect(await checkStatus(s.url(), { timeout: 5 })).toMatchObject({ status: 200 }));
  });
});

describe("checkStatus: redirects", () => {
  it("reports a redirect without following it, and follows it on request", async () => {
    const s = await server(
      routes({
        "/a": reply("301 Moved Permanently", { Location: "/b" }),
        "/b": reply("302 Found", { Location: "c?x=1" }),
        "/c": reply("200 OK"),
      }),
    );
    await runLoop(async () => {
      expect(await checkStatus(s.url("/a"))).toMatchObject({ status: 301, location: "/b", redirects: [], ok: true });
      const followed = await checkStatus(s.url("/a"), { follow: true });
      expect(followed).toMatchObject({ status: 200, location: null, redirects: [s.url("/b"), s.url("/c?x=1")], ok: true, error: null });
    });
  });

  it("detects loops: REDIRECT_LOOP", async () => {
    const s = await server(routes({ "/x": reply("302 Found", { Location: "/y" }), "/y": reply("307 Temporary Redirect", { Location: "/x" }) }));
    await runLoop(async () => {
      const result = await checkStatus(s.url("/x"), { follow: true });
      expect(result).toMatchObject({ ok: false, status: 307, location: "/x", redirects: [s.url("/y")] });
      expect(result.error?.code).toBe("REDIRECT_LOOP");
    });
  });

  it("stops after maxRedirects: TOO_MANY_REDIRECTS", async () => {
    const s = await server((request, socket) => reply("302 Found", { Location: `/n${Number(request.path.slice(2) || 0) + 1}` })(request, socket));
    await runLoop(async () => {
      const result = await checkStatus(s.url("/n0"), { follow: true });
      expect(result.error?.code).toBe("TOO_MANY_REDIRECTS");
      expect(result.redirects).toHaveLength(10);
      const three = await checkStatus(s.url("/n0"), { follow: true, maxRedirects: 3 });
      expect(three.redirects).toHaveLength(3);
      expect(three.error?.code).toBe("TOO_MANY_REDIRECTS");
    });
  });

  it("a redirect to another scheme or a bad Location is reported", async () => {
    const s = await server(routes({ "/ftp": reply("301 Moved", { Location: "ftp://files.example/x" }), "/bad": reply("301 Moved", { Location: "http://[oops/" }) }));
    await runLoop(async () => {
      expect((await checkStatus(s.url("/ftp"), { follow: true })).error?.code).toBe("UNSUPPORTED_SCHEME");
      expect((await checkStatus(s.url("/bad"), { follow: true })).error?.code).toBe("BAD_RESPONSE");
    });
  });

  it("a 3xx without Location is a final answer", async () => {
    const s = await server(reply("300 Multiple Choices"));
    await runLoop(async () => expect(await checkStatus(s.url(), { follow: true })).toMatchObject({ status: 300, location: null, error: null }));
  });
});

describe("checkStatus: retries", () => {
  it("retries 503 and 429, honouring Retry-After, then reports the last answer", async () => {
    let calls = 0;
    const s = await server((request, socket) => {
      calls++;
      (calls < 3 ? reply("503 Service Unavailable", { "Retry-After": "0" }) : reply("200 OK"))(request, socket);
    });
    await runLoop(async () => expect(await checkStatus(s.url(), FAST)).toMatchObject({ status: 200, ok: true }));
    expect(calls).toBe(3);

    const busy = await server(reply("429 Too Many Requests", { "Retry-After": "1" }));
    await runLoop(async () => {
      const result = await checkStatus(busy.url(), { retries: 1 });
      expect(result).toMatchObject({ status: 429, ok: false });
      expect(result.timings.total).toBeGreaterThanOrEqual(0.95);
    });
    expect(busy.requests).toHaveLength(2);
  });

  it("does not wait for a Retry-After longer than maxRetryAfter", async () => {
    const s = await server(reply("503 Service Unavailable", { "Retry-After": "3600" }));
    await runLoop(async () => expect(await checkStatus(s.url())).toMatchObject({ status: 503 }));
    expect(s.requests).toHaveLength(1);
  });

  it("does not retry other statuses, REFUSED or DNS", async () => {
    const s = await server(reply("500 Internal Server Error"));
    await runLoop(async () => {
      await checkStatus(s.url(), FAST);
      expect((await checkStatus(`http://127.0.0.1:${await closedPort()}/`, FAST)).error?.code).toBe("REFUSED");
    });
    expect(s.requests).toHaveLength(1);
  });

  it("retries a reset connection: RESET after retries + 1 attempts", async () => {
    const s = await server((_request, socket) => socket.resetAndDestroy());
    await runLoop(async () => {
      const result = await checkStatus(s.url(), { ...FAST, retries: 3 });
      expect(result).toMatchObject({ ok: false, status: null });
      expect(result.error?.code).toBe("RESET");
    });
    expect(s.requests).toHaveLength(4);
  });

  it("a reset once is healed by the retry", async () => {
    let calls = 0;
    const s = await server((request, socket) => (++calls === 1 ? socket.resetAndDestroy() : reply("200 OK")(request, socket)));
    await runLoop(async () => expect(await checkStatus(s.url(), FAST)).toMatchObject({ status: 200 }));
  });
});

describe("checkStatus: slow and silent servers", () => {
  it("a slow answer within the timeout is fine", async () => {
    const s = await server(reply("200 OK", {}, 0.3));
    await runLoop(async () => {
      const result = await checkStatus(s.url(), { timeout: 2 });
      expect(result.status).toBe(200);
      expect(result.timings.firstByte).toBeGreaterThanOrEqual(0.25);
    });
  });

  it("a server that never answers: TIMEOUT after timeout × (retries + 1)", async () => {
    const s = await server(() => {});
    await runLoop(async () => {
      const result = await checkStatus(s.url(), { timeout: 0.2, retries: 1, ...FAST });
      expect(result.error).toEqual({ code: "TIMEOUT", message: "no response within 0.2 s" });
      expect(result.timings.total).toBeGreaterThanOrEqual(0.4);
      expect(result.timings.total).toBeLessThan(1.5);
    });
    expect(s.requests).toHaveLength(2);
  });

  it("headers that never end count against the same timeout", async () => {
    const s = await server((_request, socket) => socket.write("HTTP/1.1 200 OK\r\nX-Slow: 1\r\n"));
    await runLoop(async () => {
      const result = await checkStatus(s.url(), { timeout: 0.2, retries: 0 });
      expect(result.error?.code).toBe("TIMEOUT");
      expect(result.error?.message).toContain("did not end");
      expect(result.timings.firstByte).not.toBeNull();
    });
  });
});

describe("checkStatus: broken servers", () => {
  it("garbage instead of a status line: BAD_RESPONSE at once (not after the timeout)", async () => {
    const s = await server((_request, socket) => socket.write("SSH-2.0-OpenSSH_9.6\r\n"));
    await runLoop(async () => {
      const result = await checkStatus(s.url(), { timeout: 5 });
      expect(result.error?.code).toBe("BAD_RESPONSE");
      expect(result.timings.total).toBeLessThan(1);
    });
  });

  it("a malformed or truncated status line: BAD_RESPONSE", async () => {
    for (const text of ["HTTP/1.1 OK\r\n\r\n", "HTTP/1.1 99999 Huge\r\n\r\n", "HTTP/1.1 20"]) {
      const s = await server((_request, socket) => socket.end(text));
      await runLoop(async () => expect((await checkStatus(s.url())).error?.code, text).toBe("BAD_RESPONSE"));
    }
  });

  it("a status line then EOF is accepted (old servers)", async () => {
    const s = await server((_request, socket) => socket.end("HTTP/1.0 200 OK\r\n"));
    await runLoop(async () => expect(await checkStatus(s.url())).toMatchObject({ status: 200, httpVersion: "HTTP/1.0", error: null }));
  });

  it("closing without a reply: RESET (retried)", async () => {
    const s = await server((_request, socket) => socket.end());
    await runLoop(async () => expect((await checkStatus(s.url(), { ...FAST, retries: 1 })).error?.code).toBe("RESET"));
    expect(s.requests).toHaveLength(2);
  });

  it("headers over 64 KiB: TOO_LARGE; maxHeaderSize adjusts the limit", async () => {
    const s = await server((_request, socket) => {
      socket.write("HTTP/1.1 200 OK\r\n");
      for (let i = 0; i < 100; i++) socket.write(`X-Filler-${i}: ${"v".repeat(1000)}\r\n`);
      socket.end("\r\n");
    });
    await runLoop(async () => {
      const result = await checkStatus(s.url());
      expect(result.error?.code).toBe("TOO_LARGE");
      expect(result.status).toBeNull();
      expect(await checkStatus(s.url(), { maxHeaderSize: 200_000 })).toMatchObject({ status: 200 });
    });
  });

  it("an endless header stream stops at the limit, not at EOF", async () => {
    const s = await server((_request, socket) => {
      socket.write("HTTP/1.1 200 OK\r\n");
      const line = `X-Endless: ${"e".repeat(8000)}\r\n`;
      const pump = (): void => {
        while (!socket.destroyed && socket.write(line));
        if (!socket.destroyed) socket.once("drain", pump);
      };
      pump();
    });
    await runLoop(async () => expect((await checkStatus(s.url(), { timeout: 5 })).error?.code).toBe("TOO_LARGE"));
  });
});

describe("checkStatus: connection errors", () => {
  it("REFUSED, DNS, INVALID_URL and UNSUPPORTED_SCHEME, each with a message", async () => {
    const port = await closedPort();
    await runLoop(async () => {
      const cases: [string, string][] = [
        [`http://127.0.0.1:${port}/`, "REFUSED"],
        ["http://nonexistent.invalid/", "DNS"],
        ["https://bücher.invalid/", "DNS"],
        ["not a url", "INVALID_URL"],
        ["http://exa mple.com/", "INVALID_URL"],
        ["ftp://example.com/file", "UNSUPPORTED_SCHEME"],
      ];
      for (const [url, code] of cases) {
        const result = await checkStatus(url);
        expectShape(result);
        expect(result, url).toMatchObject({ ok: false, status: null, reason: null, httpVersion: null, url });
        expect(result.error?.code, url).toBe(code);
        expect(result.error?.message.length).toBeGreaterThan(5);
      }
    });
  });

  it("IPv6 literals", async () => {
    if (!(await hasIpv6())) return;
    const net = await import("node:net");
    const seen: string[] = [];
    const srv = net.createServer((socket: net.Socket) => {
      socket.once("data", (d) => {
        seen.push(String(d));
        socket.end("HTTP/1.1 200 OK\r\n\r\n");
      });
    });
    await new Promise<void>((resolve) => srv.listen(0, "::1", resolve));
    const { port } = srv.address() as net.AddressInfo;
    try {
      await runLoop(async () => expect(await checkStatus(`http://[::1]:${port}/v6?q`)).toMatchObject({ status: 200 }));
      expect(seen[0]).toContain(`Host: [::1]:${port}\r\n`);
      expect(seen[0]).toMatch(/^HEAD \/v6\?q HTTP\/1\.1/);
    } finally {
      await new Promise((resolve) => srv.close(resolve));
    }
  });
});

describe("checkStatus: TLS", () => {
  it("verifies certificates: a self-signed one is TLS; insecure or the CA passes", async () => {
    const cert = makeCert();
    const s = await server(reply("200 OK"), { tls: cert });
    await runLoop(async () => {
      const refused = await checkStatus(s.url("/secure"));
      expect(refused.error?.code).toBe("TLS");
      expect(refused.error?.message).toMatch(/self.signed|SELF_SIGNED/i);
      expect(await checkStatus(s.url("/secure"), { insecure: true })).toMatchObject({ status: 200, ok: true });
      expect(await checkStatus(s.url("/secure"), { ca: cert.cert })).toMatchObject({ status: 200, ok: true });
      expect(await checkStatus(`https://localhost:${s.port}/`, { ca: cert.cert })).toMatchObject({ status: 200 });
    });
  });

  it("https to a plain HTTP server is a TLS error", async () => {
    // A plain server answers the TLS hello as the garbage it is: 400.
    const net = await import("node:net");
    const plain = net.createServer((socket: net.Socket) => {
      socket.on("error", () => {});
      socket.once("data", () => socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n"));
    });
    await new Promise<void>((resolve) => plain.listen(0, "127.0.0.1", resolve));
    const { port } = plain.address() as net.AddressInfo;
    try {
      await runLoop(async () => {
        const result = await checkStatus(`https://127.0.0.1:${port}/`, { retries: 0, timeout: 3 });
        expect(result.error?.code).toBe("TLS");
      });
    } finally {
      await new Promise((resolve) => plain.close(resolve));
    }
  });
});

describe("checkStatus: API", () => {
  it("throws at the call for bad options and without a loop", async () => {
    expect(() => checkStatus("http://x.invalid/")).toThrow(RuntimeError);
    await runLoop(async () => {
      expect(() => checkStatus("http://x.invalid/", { timeout: -1 })).toThrow(RangeError);
      expect(() => checkStatus("http://x.invalid/", { retries: 1.5 })).toThrow(RangeError);
      expect(() => checkStatus("http://x.invalid/", { method: "POST" as "GET" })).toThrow(RangeError);
      expect(() => checkStatus("http://x.invalid/", { follow: "yes" as unknown as boolean })).toThrow(TypeError);
      expect(() => checkStatus("http://x.invalid/", { concurency: 3 } as never)).toThrow(/unknown option "concurency"/);
      expect(() => checkStatus(42 as unknown as string)).toThrow(TypeError);
    });
  });

  it("returns a Future; cancelling it closes the connection", async () => {
    const s = await server(() => {});
    await runLoop(async () => {
      const check = checkStatus(s.url());
      expect(typeof check.cancel).toBe("function");
      await sleep(0.1);
      expect(s.active).toBe(1);
      check.cancel();
      await expect(check).rejects.toMatchObject({ name: "CancelledError" });
      await sleep(0.05);
      expect(s.active).toBe(0);
    });
  });

  it("cancelling the task awaiting it cancels the check", async () => {
    const s = await server(() => {});
    await runLoop(async () => {
      const task = createTask(() => checkStatus(s.url()));
      await sleep(0.1);
      task.cancel();
      await expect(task).rejects.toMatchObject({ name: "CancelledError" });
      await sleep(0.05);
      expect(s.active).toBe(0);
    });
  });
});
