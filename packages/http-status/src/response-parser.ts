import { CheckFailure } from "./errors.js";

/** @internal A response's status line and headers. */
export interface ResponseHead {
  /** The status line as received, without its line break (UTF-8 when it is valid UTF-8, else Latin-1). */
  readonly statusLine: string;
  readonly httpVersion: string;
  readonly status: number;
  readonly reason: string;
  /**
   * Header names in lower case; the first value of each, as raw bytes (a
   * Latin-1 string: one char per byte; `decodeText()` for display).
   */
  readonly headers: ReadonlyMap<string, string>;
}

/**
 * The start of a status line: `HTTP/x[.y] SP code`, the code 100 to 999 (as
 * CPython and curl require), tabs tolerated for spaces, then a blank or the
 * end. The reason phrase after it is cut out by `parseStatusLine()`, not by
 * the pattern: a server chooses up to `maxHeaderSize` bytes of that line, and
 * a pattern that backtracks over blanks on both sides of a lazy reason took
 * cubic time on blanks followed by a bare CR (seconds for a few thousand,
 * forever for 60,000), blocking the loop so that not even the timeout fired.
 * This one is linear: after the anchor, each blank run ends at one digit.
 */
const STATUS_START = /^(HTTP\/\d(?:\.\d)?)[ \t]+([1-9]\d\d)(?=[ \t]|$)/;
/**
 * What the start of a status line may look like before its line break has
 * arrived: anything else can never become one, and fails at once instead of
 * waiting for the timeout. A trailing CR may be the first half of a CRLF.
 */
const PARTIAL_STATUS_LINE =
  /^(?:H|HT|HTT|HTTP|HTTP\/|HTTP\/\d|HTTP\/\d\.|HTTP\/\d(?:\.\d)?[ \t]*|HTTP\/\d(?:\.\d)?[ \t]+[1-9]\d{0,2}|HTTP\/\d(?:\.\d)?[ \t]+[1-9]\d\d[ \t][^\r\n]*)?\r?$/;
/** Only this much of an unfinished status line is checked again on each push (the rest is a reason phrase). */
const PARTIAL_CHECK = 64;
const PREFIX = "HTTP/";
const LF = 10;
const CR = 13;

/**
 * @internal Incremental parser of a response head (status line and headers):
 * `push()` bytes until it returns the head; `end()` at EOF. Throws
 * `CheckFailure` (`BAD_RESPONSE`, `TOO_LARGE`, `RESET`).
 *
 * Tolerated, as curl and CPython do: bare LF line ends, a missing reason
 * phrase, obs-fold continuation lines, header lines without a colon (ignored),
 * a head cut off by EOF after a complete status line. Also tolerated: blank
 * lines before the status line (RFC 9112 §2.2 robustness; they count against
 * the size limit). Interim 1xx heads (but 101) are skipped, as curl does.
 *
 * Invariant: `#data[#start, #end)` holds the bytes of the current head only (a
 * skipped interim 1xx head is dropped), and `#total` counts every byte
 * consumed before it, which `maxSize` bounds together with the current head.
 * Every byte is looked at a bounded number of times, whatever the chunking
 * (one byte per TCP segment costs no more than one segment).
 */
export class ResponseParser {
  readonly #maxSize: number;
  #data: Buffer = Buffer.alloc(0);
  /** False while #data is a chunk pushed by the caller (never written to). */
  #owned = false;
  #start = 0;
  #end = 0;
  #total = 0;
  /** Offset (from #start) of the LF ending the status line, or -1 while it has not arrived. */
  #statusEnd = -1;
  /** Where the search for the status line's LF resumes (from #start). */
  #lfScan = 0;
  /** Where the search for the blank line resumes (from #start). */
  #scanFrom = 0;
  /** Interim (1xx) heads skipped so far. */
  #interim = 0;

  constructor(maxSize: number) {
    this.#maxSize = maxSize;
  }

  /** Adds bytes; returns the head once its blank line has arrived, else null. */
  push(chunk: Uint8Array): ResponseHead | null {
    this.#append(chunk);
    for (;;) {
      if (this.#statusEnd === -1) {
        if (!this.#skipLeadingBlankLines()) return this.#waitMore();
        if (!this.#findStatusLine()) return this.#waitMore();
      }
      const end = this.#findEnd();
      if (end === -1) return this.#waitMore();
      if (this.#total + end > this.#maxSize) throw this.#tooLarge();
      const head = parseHead(this.#view(0, end).toString("latin1"));
      this.#consume(end);
      // Interim responses (100 Continue, 103 Early Hints) precede the real one.
      if (isInterim(head.status)) {
        this.#interim++;
        continue;
      }
      return head;
    }
  }

  /** The connection ended: a head whose status line is complete is accepted as it is; anything less is an error. */
  end(): ResponseHead {
    const length = this.#end - this.#start;
    const onlyBlank = this.#statusEnd === -1 && this.#view(0, length).every((b) => b === CR || b === LF);
    if (length === 0 || onlyBlank) {
      if (this.#total + length === 0) throw new CheckFailure("RESET", "the server closed the connection without replying");
      throw this.#interim > 0
        ? new CheckFailure("BAD_RESPONSE", "the server closed the connection after an interim (1xx) response")
        : new CheckFailure("BAD_RESPONSE", "the server sent only blank lines, then closed the connection");
    }
    if (this.#statusEnd === -1) {
      throw new CheckFailure("BAD_RESPONSE", `truncated status line: ${preview(this.#view(0, Math.min(length, 80)).toString("latin1"))}`);
    }
    // Up to the last complete line: a header line cut off in the middle is dropped.
    const lastNewline = this.#view(0, length).lastIndexOf(LF);
    const head = parseHead(this.#view(0, lastNewline + 1).toString("latin1"));
    // A 1xx only announces the answer: cut off, it is no answer at all, as when
    // its blank line did arrive (CPython's http.client: RemoteDisconnected for a
    // cut-off 100; curl reports the 1xx here, but "Empty reply" for a whole one).
    if (isInterim(head.status)) throw new CheckFailure("BAD_RESPONSE", "the server closed the connection after an interim (1xx) response");
    return head;
  }

  /** Bytes [from, to) of the current head. */
  #view(from: number, to: number): Buffer {
    return this.#data.subarray(this.#start + from, this.#start + to);
  }

  #append(chunk: Uint8Array): void {
    const length = this.#end - this.#start;
    if (length === 0) {
      // Nothing held: the chunk itself becomes the data (the common case, a
      // whole head in one chunk, copies nothing). It is the caller's, so it
      // is only read: it fills #data to the end, and #owned keeps the next
      // append from compacting into it.
      this.#data = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      this.#owned = false;
      this.#start = 0;
      this.#end = chunk.length;
      return;
    }
    if (this.#end + chunk.length > this.#data.length) {
      // Grow geometrically (or just compact), so that many small chunks cost linear time.
      const need = length + chunk.length;
      const next = this.#owned && need <= this.#data.length / 2 ? this.#data : Buffer.allocUnsafe(Math.max(need * 2, 4096));
      this.#owned = true;
      this.#data.copy(next, 0, this.#start, this.#end);
      this.#data = next;
      this.#start = 0;
      this.#end = length;
    }
    this.#data.set(chunk, this.#end);
    this.#end += chunk.length;
  }

  #consume(n: number): void {
    this.#total += n;
    this.#start += n;
    this.#statusEnd = -1;
    this.#lfScan = 0;
    this.#scanFrom = 0;
  }

  /** No complete head yet: fine, unless the bytes so far already exceed the limit. */
  #waitMore(): null {
    if (this.#total + (this.#end - this.#start) > this.#maxSize) throw this.#tooLarge();
    return null;
  }

  /** Drops blank lines before a status line; false when only part of one (a CR) is here yet. */
  #skipLeadingBlankLines(): boolean {
    const d = this.#data;
    let i = this.#start;
    for (;;) {
      if (i < this.#end && d[i] === LF) i += 1;
      else if (i + 1 < this.#end && d[i] === CR && d[i + 1] === LF) i += 2;
      else break;
    }
    if (i > this.#start) this.#consume(i - this.#start);
    return !(this.#end - this.#start === 1 && d[this.#start] === CR);
  }

  /**
   * Looks for the status line's LF and checks the line; before it arrives,
   * checks that what is here can still become a status line. False while the
   * LF has not arrived. Throws BAD_RESPONSE for what cannot be HTTP.
   */
  #findStatusLine(): boolean {
    const length = this.#end - this.#start;
    const at = this.#view(0, length).indexOf(LF, this.#lfScan);
    if (at === -1) {
      this.#lfScan = length;
      const partial = this.#view(0, Math.min(length, PARTIAL_CHECK)).toString("latin1");
      if (!PARTIAL_STATUS_LINE.test(partial)) throw this.#notStatusLine(partial);
      return false;
    }
    const line = this.#view(0, at).toString("latin1").replace(/\r$/, "");
    if (parseStatusLine(line) === null) throw this.#notStatusLine(line);
    this.#statusEnd = at;
    this.#scanFrom = at;
    return true;
  }

  #notStatusLine(line: string): CheckFailure {
    const d = this.#data;
    const s = this.#start;
    if (this.#end - s >= 2 && (d[s] === 0x16 || d[s] === 0x15) && d[s + 1] === 0x03) {
      return new CheckFailure("BAD_RESPONSE", "not an HTTP response: the server speaks TLS here (try https://)");
    }
    for (let i = 0; i < Math.min(line.length, PREFIX.length); i++) {
      if (line.charCodeAt(i) !== PREFIX.charCodeAt(i)) return new CheckFailure("BAD_RESPONSE", `not an HTTP response: ${preview(firstLine(line))}`);
    }
    return new CheckFailure("BAD_RESPONSE", `malformed status line: ${preview(firstLine(line))}`);
  }

  /** The offset just past the blank line ending the head, or -1. */
  #findEnd(): number {
    const length = this.#end - this.#start;
    const b = this.#view(0, length);
    let from = this.#scanFrom;
    for (;;) {
      const newline = b.indexOf(LF, from);
      if (newline === -1 || newline + 1 >= length) {
        // Resume at the last newline next time: its blank line may still be coming.
        this.#scanFrom = newline === -1 ? Math.max(this.#statusEnd, length - 1) : newline;
        return -1;
      }
      if (b[newline + 1] === LF) return newline + 2;
      if (b[newline + 1] === CR) {
        if (newline + 2 >= length) {
          this.#scanFrom = newline;
          return -1;
        }
        if (b[newline + 2] === LF) return newline + 3;
      }
      from = newline + 1;
    }
  }

  #tooLarge(): CheckFailure {
    return new CheckFailure("TOO_LARGE", `the status line and headers exceed ${this.#maxSize} bytes`);
  }
}

/** An interim (1xx) status, which a final one follows; 101 Switching Protocols is final for us (we never ask for it). */
function isInterim(status: number): boolean {
  return status >= 100 && status < 200 && status !== 101;
}

/**
 * @internal Parses a complete head (status line, header lines, maybe the
 * blank line), given as a Latin-1 string (one char per byte).
 *
 * Header lines: the first value of a name counts (as curl does); a line
 * without a colon is ignored; an obs-fold line (led by a space or tab)
 * continues the header before it, joined with a space, and is ignored when
 * there is none to continue (right after the status line, after an ignored
 * or duplicate line: RFC 9112 §2.2, §5.2). NUL and bare CR in a value become
 * spaces (RFC 9110 §5.5).
 */
export function parseHead(text: string): ResponseHead {
  const lines = text.split("\n");
  const statusLine = lines[0].replace(/\r$/, "");
  const status = parseStatusLine(statusLine);
  if (status === null) throw new CheckFailure("BAD_RESPONSE", `malformed status line: ${preview(statusLine)}`);
  const headers = new Map<string, string>();
  /** The header that a continuation line extends, or null: continuation lines are dropped. */
  let last: string | null = null;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, "");
    if (line === "") break;
    if (line[0] === " " || line[0] === "\t") {
      if (last !== null) headers.set(last, `${headers.get(last)} ${clean(line.trim())}`.trim());
      continue;
    }
    const colon = line.indexOf(":");
    last = null;
    if (colon <= 0) continue; // not a header: ignored, as browsers do
    const name = line.slice(0, colon).trim().toLowerCase();
    if (name === "" || headers.has(name)) continue;
    headers.set(name, clean(line.slice(colon + 1).trim()));
    last = name;
  }
  return { statusLine: decodeText(statusLine), httpVersion: status.httpVersion, status: status.code, reason: decodeText(status.reason), headers };
}

/**
 * A status line (without its line break) as version, code and reason (blanks
 * around it trimmed), or null when it is not one: the reason may hold no CR.
 * Linear in the line's length, whatever it holds.
 */
function parseStatusLine(line: string): { httpVersion: string; code: number; reason: string } | null {
  const match = STATUS_START.exec(line);
  if (match === null) return null;
  let start = match[0].length;
  let end = line.length;
  while (start < end && isBlank(line.charCodeAt(start))) start++;
  while (end > start && isBlank(line.charCodeAt(end - 1))) end--;
  const reason = line.slice(start, end);
  if (reason.includes("\r")) return null;
  return { httpVersion: match[1], code: Number(match[2]), reason };
}

/** A space or a tab: the blanks of a status line (not `trim()`'s, which would eat a Latin-1 NBSP). */
function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/** NUL and bare CR in a field value are replaced with a space (RFC 9110 §5.5). */
function clean(value: string): string {
  return /[\0\r]/.test(value) ? value.replace(/[\0\r]/g, " ") : value;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** @internal Bytes received as a Latin-1 string, shown as UTF-8 when they are valid UTF-8 (most servers), else as Latin-1. */
export function decodeText(latin1: string): string {
  if (!/[\x80-\xff]/.test(latin1)) return latin1;
  try {
    return utf8.decode(Buffer.from(latin1, "latin1"));
  } catch {
    return latin1;
  }
}

function firstLine(text: string): string {
  const newline = text.indexOf("\n");
  return text.slice(0, Math.min(newline === -1 ? text.length : newline, 80)).replace(/\r$/, "");
}

function preview(text: string): string {
  const short = text.length > 80 ? `${text.slice(0, 80)}...` : text;
  return JSON.stringify(short);
}
