// White-box: the incremental response-head parser.
import { describe, expect, it } from "vitest";
import { CheckFailure } from "../../src/errors.js";
import { ResponseParser, type ResponseHead } from "../../src/response-parser.js";

const bytes = (text: string): Buffer => Buffer.from(text, "latin1");

function parseAll(text: string, max = 65536, chunkSize = text.length): ResponseHead | null {
  const parser = new ResponseParser(max);
  for (let i = 0; i < text.length; i += chunkSize) {
    const head = parser.push(bytes(text.slice(i, i + chunkSize)));
    if (head !== null) return head;
  }
  return null;
}

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof CheckFailure) return error.code;
    throw error;
  }
  return "none";
}

describe("ResponseParser", () => {
  const response = "HTTP/1.1 301 Moved Permanently\r\nLocation: /new\r\nX-Multi: a\r\n  b\r\nSet-Cookie: 1\r\nSet-Cookie: 2\r\n\r\nbody";

  it("parses status line and headers, whole or byte by byte", () => {
    for (const size of [response.length, 1, 7]) {
      const head = parseAll(response, 65536, size)!;
      expect(head).toMatchObject({ statusLine: "HTTP/1.1 301 Moved Permanently", httpVersion: "HTTP/1.1", status: 301, reason: "Moved Permanently" });
      expect(head.headers.get("location")).toBe("/new");
      expect(head.headers.get("x-multi")).toBe("a b");
      expect(head.headers.get("set-cookie")).toBe("1");
    }
  });

  it("reads the chunks it is given without ever writing to them", () => {
    // An interim head and part of the real one in a big chunk, the rest in small ones:
    // after the interim head is consumed, appending must not compact into the first chunk.
    const first = bytes(`HTTP/1.1 100 Continue\r\n${"X-Pad: y\r\n".repeat(20)}\r\nHTTP/1.1 200 OK\r\nA: 1\r\n`);
    const snapshot = Buffer.from(first);
    const parser = new ResponseParser(65536);
    expect(parser.push(first)).toBeNull();
    const rest = ["B: 2\r\n", "\r\n"].map(bytes);
    let head: ResponseHead | null = null;
    for (const chunk of rest) head = parser.push(chunk);
    expect(head?.status).toBe(200);
    expect(head?.headers.get("b")).toBe("2");
    expect(first.equals(snapshot)).toBe(true);
    // A Uint8Array that is not a Buffer works as well.
    const plain = new Uint8Array(bytes("HTTP/1.0 204 No Content\r\n\r\n"));
    expect(new ResponseParser(65536).push(plain)?.status).toBe(204);
  });

  it("accepts bare LF line ends, an empty reason, HTTP/1.0 and HTTP/2", () => {
    expect(parseAll("HTTP/1.0 200 OK\nServer: x\n\n")).toMatchObject({ status: 200, httpVersion: "HTTP/1.0" });
    expect(parseAll("HTTP/1.1 204\r\n\r\n")).toMatchObject({ status: 204, reason: "" });
    expect(parseAll("HTTP/1.1 200 \r\n\r\n")).toMatchObject({ status: 200, reason: "" });
    expect(parseAll("HTTP/2 200 OK\r\n\r\n")).toMatchObject({ httpVersion: "HTTP/2" });
    expect(parseAll("\r\nHTTP/1.1 200 OK\r\n\r\n")).toMatchObject({ status: 200 });
  });

  it("skips interim 1xx responses, but not 101", () => {
    expect(parseAll("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\n\r\n", 65536, 5)).toMatchObject({ status: 200 });
    expect(parseAll("HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n")).toMatchObject({ status: 101 });
  });

  it("rejects what is not HTTP as soon as it shows", () => {
    const parser = new ResponseParser(65536);
    expect(code(() => parser.push(bytes("SSH-2.0-OpenSSH")))).toBe("BAD_RESPONSE");
    expect(code(() => new ResponseParser(100).push(bytes("H")))).toBe("none"); // could still be HTTP
    expect(code(() => parseAll("HTTP/1.1 2000 OK\r\n"))).toBe("BAD_RESPONSE");
    expect(code(() => parseAll("HTTP/1.1 abc\r\n"))).toBe("BAD_RESPONSE");
    expect(code(() => parseAll("HTTP/x 200 OK\r\n"))).toBe("BAD_RESPONSE");
    expect(code(() => parseAll("<html>hello</html>\r\n\r\n"))).toBe("BAD_RESPONSE");
  });

  it("at EOF: a complete status line is enough; less is an error", () => {
    const p1 = new ResponseParser(65536);
    p1.push(bytes("HTTP/1.0 200 OK\r\nServer: toy\r\n"));
    expect(p1.end()).toMatchObject({ status: 200 });
    expect(p1.end().headers.get("server")).toBe("toy");
    const p2 = new ResponseParser(65536);
    p2.push(bytes("HTTP/1.1 20"));
    expect(code(() => p2.end())).toBe("BAD_RESPONSE");
    expect(code(() => new ResponseParser(65536).end())).toBe("RESET");
  });

  it("limits the head's size: TOO_LARGE", () => {
    const big = `HTTP/1.1 200 OK\r\nX-Big: ${"a".repeat(70_000)}\r\n\r\n`;
    expect(code(() => parseAll(big))).toBe("TOO_LARGE");
    expect(code(() => parseAll(big, 65536, 1000))).toBe("TOO_LARGE");
    expect(parseAll(big, 80_000)).toMatchObject({ status: 200 });
    // Exactly at the limit is fine; one byte more is not.
    const exact = "HTTP/1.1 200 OK\r\n\r\n";
    expect(parseAll(exact, exact.length)).toMatchObject({ status: 200 });
    expect(code(() => parseAll(exact, exact.length - 1))).toBe("TOO_LARGE");
  });
});
