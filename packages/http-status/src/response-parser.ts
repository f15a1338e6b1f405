import { CheckFailure } from "./errors.js";

/** @internal A response's status line and headers. */
export interface ResponseHead {
  /** The status line as received, without its line break. */
  readonly statusLine: string;
  readonly httpVersion: string;
  readonly status: number;
  readonly reason: string;
  /** Header names in lower case; the first value of each. */
  readonly headers: ReadonlyMap<string, string>;
}

const STATUS_LINE = /^(HTTP\/\d(?:\.\d)?)[ \t]+(\d{3})(?:[ \t]+(.*?))?[ \t]*$/;
const PREFIX = "HTTP/";

/**
 * @internal Incremental parser of a response head (status line and headers):
 * `push()` bytes until it returns the head; `end()` at EOF. Throws
 * `CheckFailure` (`BAD_RESPONSE`, `TOO_LARGE`, `RESET`).
 *
 * Invariant: `#buffer` holds the bytes of the current head only (a skipped
 * interim 1xx head is dropped), and `#total` counts every byte consumed, which
 * `maxSize` bounds.
 */
export class ResponseParser {
  readonly #maxSize: number;
  #buffer: Buffer = Buffer.alloc(0);
  #total = 0;
  /** Where the search for the blank line resumes. */
  #scanFrom = 0;
  #statusChecked = false;

  constructor(maxSize: number) {
    this.#maxSize = maxSize;
  }

  /** Adds bytes; returns the head once its blank line has arrived, else null. */
  push(chunk: Uint8Array): ResponseHead | null {
    const buffer = this.#buffer.length === 0 ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength) : Buffer.concat([this.#buffer, chunk]);
    this.#buffer = buffer;
    for (;;) {
      this.#skipLeadingBlankLines();
      this.#checkStatusLineEarly();
      const end = this.#findEnd();
      if (end === -1) {
        if (this.#total + this.#buffer.length > this.#maxSize) throw this.#tooLarge();
        return null;
      }
      if (this.#total + end > this.#maxSize) throw this.#tooLarge();
      const head = parseHead(this.#buffer.toString("latin1", 0, end));
      this.#total += end;
      this.#buffer = this.#buffer.subarray(end);
      this.#scanFrom = 0;
      this.#statusChecked = false;
      // Interim responses (100 Continue, 103 Early Hints) precede the real one.
      if (head.status >= 100 && head.status < 200 && head.status !== 101) continue;
      return head;
    }
  }

  /** The connection ended: a head whose status line is complete is accepted as it is; anything less is an error. */
  end(): ResponseHead {
    if (this.#buffer.length === 0) {
      throw this.#total === 0
        ? new CheckFailure("RESET", "the server closed the connection without replying")
        : new CheckFailure("BAD_RESPONSE", "the server closed the connection after an interim (1xx) response");
    }
    const newline = this.#buffer.indexOf(10);
    if (newline === -1) {
      throw new CheckFailure("BAD_RESPONSE", `truncated status line: ${preview(this.#buffer.toString("latin1", 0, Math.min(this.#buffer.length, 80)))}`);
    }
    const lastNewline = this.#buffer.lastIndexOf(10);
    return parseHead(this.#buffer.toString("latin1", 0, lastNewline + 1));
  }

  #skipLeadingBlankLines(): void {
    let i = 0;
    const b = this.#buffer;
    while (i < b.length && (b[i] === 10 || (b[i] === 13 && b[i + 1] === 10))) i += b[i] === 10 ? 1 : 2;
    if (i > 0) {
      this.#total += i;
      this.#buffer = b.subarray(i);
    }
  }

  /** Fails fast on a status line that cannot be HTTP, instead of waiting for more bytes. */
  #checkStatusLineEarly(): void {
    if (this.#statusChecked) return;
    const b = this.#buffer;
    const n = Math.min(b.length, PREFIX.length);
    for (let i = 0; i < n; i++) {
      if (b[i] !== PREFIX.charCodeAt(i)) {
        throw new CheckFailure("BAD_RESPONSE", `not an HTTP response: ${preview(firstLine(b))}`);
      }
    }
    const newline = b.indexOf(10);
    if (newline === -1) return;
    const line = b.toString("latin1", 0, newline).replace(/\r$/, "");
    if (!STATUS_LINE.test(line)) throw new CheckFailure("BAD_RESPONSE", `malformed status line: ${preview(line)}`);
    this.#statusChecked = true;
  }

  /** The index just past the blank line ending the head, or -1. */
  #findEnd(): number {
    const b = this.#buffer;
    let from = this.#scanFrom;
    for (;;) {
      const newline = b.indexOf(10, from);
      if (newline === -1 || newline + 1 >= b.length) {
        // Resume at the last newline next time: its blank line may still be coming.
        this.#scanFrom = newline === -1 ? Math.max(0, b.length - 1) : newline;
        return -1;
      }
      if (b[newline + 1] === 10) return newline + 2;
      if (b[newline + 1] === 13) {
        if (newline + 2 >= b.length) {
          this.#scanFrom = newline;
          return -1;
        }
        if (b[newline + 2] === 10) return newline + 3;
      }
      from = newline + 1;
    }
  }

  #tooLarge(): CheckFailure {
    return new CheckFailure("TOO_LARGE", `the status line and headers exceed ${this.#maxSize} bytes`);
  }
}

/** @internal Parses a complete head (status line, header lines, maybe the blank line). */
export function parseHead(text: string): ResponseHead {
  const lines = text.split("\n");
  const statusLine = lines[0].replace(/\r$/, "");
  const match = STATUS_LINE.exec(statusLine);
  if (match === null) throw new CheckFailure("BAD_RESPONSE", `malformed status line: ${preview(statusLine)}`);
  const headers = new Map<string, string>();
  let last: string | null = null;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, "");
    if (line === "") break;
    if ((line[0] === " " || line[0] === "\t") && last !== null) {
      // obs-fold: a continuation of the previous header's value.
      headers.set(last, `${headers.get(last)} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) continue; // not a header: ignored, as browsers do
    const name = line.slice(0, colon).trim().toLowerCase();
    last = name;
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
    else last = null;
  }
  return { statusLine, httpVersion: match[1], status: Number(match[2]), reason: match[3] ?? "", headers };
}

function firstLine(b: Buffer): string {
  const newline = b.indexOf(10);
  return b.toString("latin1", 0, Math.min(newline === -1 ? b.length : newline, 80)).replace(/\r$/, "");
}

function preview(text: string): string {
  const short = text.length > 80 ? `${text.slice(0, 80)}...` : text;
  return JSON.stringify(short);
}
