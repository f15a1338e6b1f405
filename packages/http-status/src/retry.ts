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

const MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec";
/**
 * The three HTTP-date forms (RFC 9110 §5.6.7): IMF-fixdate, obsolete RFC 850,
 * and asctime. `Date.parse` alone is far too lenient: it reads "-5", "1.5"
 * or "junk 5" as dates in 2001, which would mean "retry now".
 */
const HTTP_DATE = new RegExp(
  [
    `^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} (?:${MONTHS}) \\d{4} \\d{2}:\\d{2}:\\d{2} GMT$`,
    `^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \\d{2}-(?:${MONTHS})-\\d{2} \\d{2}:\\d{2}:\\d{2} GMT$`,
    `^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:${MONTHS}) [ \\d]\\d \\d{2}:\\d{2}:\\d{2} \\d{4}$`,
  ].join("|"),
);

/**
 * @internal `Retry-After`: delay-seconds (digits only) or an HTTP-date, in
 * seconds from `now` (a date in the past is 0); null for anything else (a
 * negative or fractional number, a word, a list), which is then ignored.
 */
export function parseRetryAfter(value: string, now: number = Date.now()): number | null {
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  if (!HTTP_DATE.test(text)) return null;
  // asctime has no zone: it is GMT.
  const when = Date.parse(/GMT$/.test(text) ? text : `${text} GMT`);
  if (Number.isNaN(when)) return null;
  return Math.max(0, (when - now) / 1000);
}
