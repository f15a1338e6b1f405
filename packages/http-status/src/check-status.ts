import { getRunningLoop } from "@asyncio-ts/loop";
import { ensureFuture, sleep, type Future } from "@asyncio-ts/tasks";
import { CheckFailure } from "./errors.js";
import { resolveOptions, type CheckOptions, type Settings } from "./options.js";
import { attempt, type Attempt } from "./request.js";
import { decodeText, type ResponseHead } from "./response-parser.js";
import { isRetryable, retryDelay } from "./retry.js";
import type { StatusResult } from "./status-result.js";
import { parseTarget, type Target } from "./url.js";

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Checks one URL and resolves to its `StatusResult`: status line, `Location`,
 * redirects followed, timings, or an error with a stable code. It never
 * rejects for a network or protocol fault (an invalid URL, DNS, a refused or
 * reset connection, TLS, a timeout, a bad or oversized response, a redirect
 * loop): those are results with `error` set and `ok: false`.
 *
 * ```ts
 * const result = await checkStatus("https://example.org/", { timeout: 5, follow: true });
 * if (!result.ok) console.log(result.url, result.status ?? result.error?.code);
 * ```
 *
 * It sends `HEAD` (falling back to `GET` on 405 and 501), reads only the
 * status line and headers, retries `RESET`, `TIMEOUT`, 429 and 503 with
 * backoff (honouring `Retry-After`), and follows redirects when asked.
 *
 * Cancellation: the returned future is a task; cancelling it (or the task
 * awaiting it) closes the connection in use and the future is cancelled — no
 * result is made.
 *
 * Errors: `TypeError` / `RangeError` at the call for bad options;
 * `RuntimeError` without a running event loop.
 */
export function checkStatus(url: string, options?: CheckOptions): Future<StatusResult> {
  const settings = resolveOptions(options, "checkStatus()");
  getRunningLoop();
  if (typeof url !== "string") throw new TypeError(`checkStatus(): url must be a string, got ${url === null ? "null" : typeof url}`);
  return ensureFuture(runCheck(url, settings));
}

/** @internal The check itself, in the current task: a generator coroutine (`yield*` it). */
export function* runCheck(
  input: string,
  settings: Settings,
  parsed?: Target | CheckFailure,
  onHead?: (head: ResponseHead) => void,
): Generator<unknown, StatusResult, unknown> {
  const loop = getRunningLoop();
  const start = loop.time();
  const url = input.trim();
  const result: StatusResult = {
    url,
    ok: false,
    status: null,
    reason: null,
    httpVersion: null,
    location: null,
    redirects: [],
    timings: { connect: null, firstByte: null, total: 0 },
    error: null,
  };
  const finish = (failure: CheckFailure | null): StatusResult => {
    result.timings.total = loop.time() - start;
    if (failure !== null) result.error = { code: failure.code, message: failure.message };
    result.ok = failure === null && result.status !== null && !settings.failOn.matches(result.status, null);
    return result;
  };

  let target = parsed ?? parseTarget(url);
  if (target instanceof CheckFailure) return finish(target);
  const visited = new Set([target.href]);
  let method = settings.method;
  for (;;) {
    const outcome = yield* withRetries(target, method, settings);
    method = outcome.method;
    const { head } = outcome.attempt;
    result.timings.connect = outcome.attempt.connect;
    result.timings.firstByte = outcome.attempt.firstByte;
    if (head === null) return finish(outcome.attempt.failure);
    setHead(result, head);
    onHead?.(head);
    // No Location, or an empty one (as curl does): the 3xx is the final answer.
    const location = head.headers.get("location");
    if (!settings.follow || !REDIRECTS.has(head.status) || location === undefined || location === "") return finish(null);
    const next = parseTarget(encodeHighBytes(location), target.href);
    if (next instanceof CheckFailure) return finish(next.code === "INVALID_URL" ? new CheckFailure("BAD_RESPONSE", next.message) : next);
    if (visited.has(next.href)) return finish(new CheckFailure("REDIRECT_LOOP", `redirect loop: ${next.href} was already visited`));
    if (result.redirects.length >= settings.maxRedirects) {
      return finish(new CheckFailure("TOO_MANY_REDIRECTS", `more than ${settings.maxRedirects} redirects (next: ${next.href})`));
    }
    result.redirects.push(next.href);
    visited.add(next.href);
    target = next;
  }
}

function setHead(result: StatusResult, head: ResponseHead): void {
  result.status = head.status;
  result.reason = head.reason;
  result.httpVersion = head.httpVersion;
  const location = head.headers.get("location");
  result.location = head.status >= 300 && head.status < 400 && location !== undefined ? decodeText(location) : null;
}

/**
 * A raw header value (bytes as a Latin-1 string) ready for URL parsing: bytes
 * outside ASCII are percent-encoded as they are, as curl does, so that a
 * `Location` sent as raw UTF-8 (common) leads where browsers go.
 */
function encodeHighBytes(raw: string): string {
  return raw.replace(/[\x80-\xff]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Attempts until one is not retryable or the retries are spent. A `HEAD`
 * refused with 405 or 501 is repeated as `GET` at once (not counted as a
 * retry), and the method stays `GET` for the rest of this check.
 */
function* withRetries(target: Target, method: "HEAD" | "GET", settings: Settings): Generator<unknown, { attempt: Attempt; method: "HEAD" | "GET" }, unknown> {
  for (let retry = 0; ; retry++) {
    let outcome = yield* attempt(target, method, settings);
    if (method === "HEAD" && outcome.head !== null && (outcome.head.status === 405 || outcome.head.status === 501)) {
      method = "GET";
      outcome = yield* attempt(target, method, settings);
    }
    if (retry >= settings.retries || !isRetryable(outcome)) return { attempt: outcome, method };
    const delay = retryDelay(outcome, retry, settings.backoff, settings.maxRetryAfter);
    if (delay === null) return { attempt: outcome, method };
    yield* sleep(delay);
  }
}
