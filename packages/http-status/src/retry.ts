import type { Attempt } from "./request.js";

/** @internal Statuses worth another attempt. */
const RETRY_STATUSES = new Set([429, 503]);

/** @internal True when an attempt failed in a way that another attempt may fix: RESET, TIMEOUT, 429, 503. */
export function isRetryable(attempt: Attempt): boolean {
  if (attempt.failure !== null) return attempt.failure.code === "RESET" || attempt.failure.code === "TIMEOUT";
  return attempt.head !== null && RETRY_STATUSES.has(attempt.head.status);
}

/**
 * @internal Seconds to wait before retry number `retry` (0-based): the
 * response's `Retry-After` when it has one, else exponential backoff from
 * `base` (doubling, at most 8 s) with jitter. `null` when the server asks for
 * a longer wait than `maxRetryAfter`: then the result stands.
 */
export function retryDelay(attempt: Attempt, retry: number, base: number, maxRetryAfter: number, now: number = Date.now()): number | null {
  const header = attempt.head?.headers.get("retry-after");
  if (header !== undefined) {
    const seconds = parseRetryAfter(header, now);
    if (seconds !== null) return seconds > maxRetryAfter ? null : seconds;
  }
  const delay = Math.min(base * 2 ** retry, 8);
  return delay * (0.5 + Math.random() * 0.5);
}

/** @internal `Retry-After`: delay-seconds or an HTTP-date; null when neither. */
export function parseRetryAfter(value: string, now: number = Date.now()): number | null {
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const when = Date.parse(text);
  if (Number.isNaN(when)) return null;
  return Math.max(0, (when - now) / 1000);
}
