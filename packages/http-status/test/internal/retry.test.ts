// White-box: what is retried, and how long to wait.
import { describe, expect, it } from "vitest";
import { CheckFailure } from "../../src/errors.js";
import type { Attempt } from "../../src/request.js";
import { parseHead } from "../../src/response-parser.js";
import { isRetryable, parseRetryAfter, retryDelay } from "../../src/retry.js";

const withStatus = (text: string): Attempt => ({ head: parseHead(text), failure: null, connect: 0, firstByte: 0 });
const failed = (code: "RESET" | "TIMEOUT" | "REFUSED" | "DNS"): Attempt => ({ head: null, failure: new CheckFailure(code, code), connect: null, firstByte: null });

describe("retries", () => {
  it("retries RESET, TIMEOUT, 429 and 503 only", () => {
    expect(isRetryable(failed("RESET"))).toBe(true);
    expect(isRetryable(failed("TIMEOUT"))).toBe(true);
    expect(isRetryable(failed("REFUSED"))).toBe(false);
    expect(isRetryable(failed("DNS"))).toBe(false);
    expect(isRetryable(withStatus("HTTP/1.1 429 Too Many Requests\r\n\r\n"))).toBe(true);
    expect(isRetryable(withStatus("HTTP/1.1 503 Service Unavailable\r\n\r\n"))).toBe(true);
    expect(isRetryable(withStatus("HTTP/1.1 500 Internal Server Error\r\n\r\n"))).toBe(false);
    expect(isRetryable(withStatus("HTTP/1.1 200 OK\r\n\r\n"))).toBe(false);
  });

  it("parses Retry-After as seconds or an HTTP date", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("120", now)).toBe(120);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:30 GMT", now)).toBe(30);
    expect(parseRetryAfter("Wed, 31 Dec 2025 00:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeNull();
  });

  it("waits Retry-After when given (up to the cap), else backs off exponentially with jitter", () => {
    expect(retryDelay(withStatus("HTTP/1.1 503 x\r\nRetry-After: 3\r\n\r\n"), 0, 0.5, 60)).toBe(3);
    expect(retryDelay(withStatus("HTTP/1.1 503 x\r\nRetry-After: 3600\r\n\r\n"), 0, 0.5, 60)).toBeNull();
    for (let retry = 0; retry < 6; retry++) {
      const delay = retryDelay(failed("RESET"), retry, 0.5, 60)!;
      const full = Math.min(0.5 * 2 ** retry, 8);
      expect(delay).toBeGreaterThanOrEqual(full / 2);
      expect(delay).toBeLessThanOrEqual(full);
    }
  });
});
