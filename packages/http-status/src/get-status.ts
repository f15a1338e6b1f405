import { getRunningLoop } from "@asyncio-ts/loop";
import { ensureFuture, type Future } from "@asyncio-ts/tasks";
import { HttpStatusError, type ErrorCode } from "./errors.js";
import { resolveOptions, type CheckOptions, type Settings } from "./options.js";
import { runCheck } from "./check-status.js";

/**
 * The guide's `get_status(url)`: requests `url` and resolves to the status
 * line as received, e.g. `"HTTP/1.1 200 OK"` (trimmed).
 *
 * ```ts
 * console.log(await getStatus("http://127.0.0.1:8080/"));   // HTTP/1.1 200 OK
 * ```
 *
 * It is `checkStatus()` reduced to the status line, with `retries`
 * defaulting to 0 (one request, as in the seed). Where `checkStatus()` would
 * report an error, it rejects with `HttpStatusError` (`code` as in
 * `StatusResult.error`). An error status (404, 500) is not an error here: it
 * is a status line like any other.
 *
 * Cancellation: as `checkStatus()`.
 *
 * Errors: `TypeError` / `RangeError` at the call for bad options;
 * `RuntimeError` without a running event loop; `HttpStatusError` through the
 * future.
 */
export function getStatus(url: string, options?: CheckOptions): Future<string> {
  const settings = resolveOptions(options, "getStatus()", { retries: 0 });
  getRunningLoop();
  if (typeof url !== "string") throw new TypeError(`getStatus(): url must be a string, got ${url === null ? "null" : typeof url}`);
  return ensureFuture(statusLineOf(url, settings));
}

function* statusLineOf(url: string, settings: Settings): Generator<unknown, string, unknown> {
  let statusLine = "";
  const result = yield* runCheck(url, settings, undefined, (head) => {
    statusLine = head.statusLine.trim();
  });
  if (result.error !== null) throw new HttpStatusError(result.error.code as ErrorCode, result.error.message, result.url);
  return statusLine;
}
