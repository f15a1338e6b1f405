import { getRunningLoop } from "@asyncio-ts/loop";
import { TimeoutError, timeout } from "@asyncio-ts/combinators";
import { openConnection, type StreamWriter } from "@asyncio-ts/streams";
import { CheckFailure, classifyNetworkError } from "./errors.js";
import type { Settings } from "./options.js";
import { ResponseParser, type ResponseHead } from "./response-parser.js";
import { isReservedInvalid, type Target } from "./url.js";

/** @internal What one attempt (one connection) produced. */
export interface Attempt {
  /** The response head, when one arrived. */
  head: ResponseHead | null;
  /** Why there is no head. */
  failure: CheckFailure | null;
  /** Seconds from the start of the attempt until the connection (and TLS handshake) was up. */
  connect: number | null;
  /** Seconds from the start of the attempt until the first response byte. */
  firstByte: number | null;
}

/** The request we send: HTTP/1.1, one request per connection, nothing but the head. */
export function buildRequest(target: Target, method: "HEAD" | "GET", userAgent: string): string {
  let request =
    `${method} ${target.path} HTTP/1.1\r\n` +
    `Host: ${target.hostHeader}\r\n` +
    `User-Agent: ${userAgent}\r\n` +
    "Accept: */*\r\n";
  if (target.authorization !== null) request += `Authorization: ${target.authorization}\r\n`;
  return `${request}Connection: close\r\n\r\n`;
}

/**
 * @internal One attempt: connect (TLS for https), send the request, read the
 * status line and headers, then drop the connection (the body is never read).
 * `settings.timeout` bounds the whole attempt, through a `timeout()` scope in
 * the current task. Network and protocol faults come back as `failure`; only
 * a cancellation of the caller (or a bug) is thrown.
 *
 * Cancellation: the connection, half-open or not, is destroyed.
 */
export function* attempt(target: Target, method: "HEAD" | "GET", settings: Settings): Generator<unknown, Attempt, unknown> {
  const loop = getRunningLoop();
  const start = loop.time();
  const result: Attempt = { head: null, failure: null, connect: null, firstByte: null };
  let writer: StreamWriter | null = null;
  try {
    // A generator coroutine throughout: no promise per await (each costs more with async hooks on).
    yield* timeout(settings.timeout, function* () {
      if (isReservedInvalid(target.host)) throw new CheckFailure("DNS", `${target.host} does not exist (the .invalid domain never resolves)`);
      const [reader, connected] = yield* openConnection(target.host, target.port, target.scheme === "https" ? { ssl: settings.tls } : undefined);
      writer = connected;
      result.connect = loop.time() - start;
      connected.write(buildRequest(target, method, settings.userAgent));
      const parser = new ResponseParser(settings.maxHeaderSize);
      for (;;) {
        const chunk = yield* reader.read(65536);
        if (chunk.length === 0) {
          result.head = parser.end();
          return;
        }
        if (result.firstByte === null) result.firstByte = loop.time() - start;
        const head = parser.push(chunk);
        if (head !== null) {
          result.head = head;
          return;
        }
      }
    });
  } catch (error) {
    if (error instanceof TimeoutError) {
      const limit = `${settings.timeout} s`;
      result.failure = new CheckFailure(
        "TIMEOUT",
        result.connect === null ? `could not connect${target.scheme === "https" ? " (TCP and TLS handshake)" : ""} within ${limit}` : result.firstByte === null ? `no response within ${limit}` : `the response headers did not end within ${limit}`,
      );
    } else {
      const failure = classifyNetworkError(error, result.connect === null ? "connect" : "exchange");
      if (failure === null) throw error;
      result.failure = failure;
    }
  } finally {
    // Only the head matters: drop the connection now rather than read a body.
    (writer as StreamWriter | null)?.transport.abort();
  }
  return result;
}
