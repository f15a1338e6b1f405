import type * as tls from "node:tls";
import { compileFailOn, type FailOnMatcher } from "./fail-on.js";

/**
 * How to check (CONTRACT §4). `checkStatus`, `getStatus` and `checkMany`
 * accept it; the `http-status` flags map onto it one to one.
 */
export interface CheckOptions {
  /** `checkMany`: how many checks run at once (default 20). */
  concurrency?: number;
  /** `checkMany`: how many checks of one host run at once (default: no limit beyond `concurrency`). */
  perHost?: number;
  /** Seconds one attempt may take, from connecting to the end of the response headers (default 10; `null`: no limit). */
  timeout?: number | null;
  /** Extra attempts after `RESET`, `TIMEOUT`, 429 and 503 (default 2; `getStatus`: 0). */
  retries?: number;
  /** Follow redirects (default false: a 3xx is reported with its `location`). */
  follow?: boolean;
  /** The most redirects followed before `TOO_MANY_REDIRECTS` (default 10). */
  maxRedirects?: number;
  /** The most bytes the status line and headers may take before `TOO_LARGE` (default 65536). */
  maxHeaderSize?: number;
  /** `HEAD` (the default, with a fallback to `GET` on 405 and 501) or `GET`. */
  method?: "HEAD" | "GET";
  /** Do not verify TLS certificates (default false: verification on). */
  insecure?: boolean;
  /** `checkMany`: yield results as they complete (default) or in input order. */
  order?: "completion" | "input";
  /** Which results have `ok: false`: `"error"`, error codes, classes like `"4xx"`, statuses like `"404"` (default `["error", "4xx", "5xx"]`). */
  failOn?: string[];
  // ---- beyond CONTRACT §4 (documented extras) ----
  /** The `User-Agent` header (default `http-status/<version> (asyncio-ts)`). */
  userAgent?: string;
  /** Extra trusted CA certificates (PEM), e.g. a private CA; verification stays on. */
  ca?: string | Buffer | (string | Buffer)[];
  /** The first retry's delay in seconds; each further retry doubles it, up to 8 s (default 0.5). */
  backoff?: number;
  /** The longest `Retry-After` honoured, in seconds; a longer one ends the retries (default 60). */
  maxRetryAfter?: number;
  /** `checkMany`: when aborted, stop taking URLs, cancel the checks in flight, yield what finished, and end. */
  signal?: AbortSignal;
}

export const VERSION = "0.1.0";
export const DEFAULT_USER_AGENT = `http-status/${VERSION} (asyncio-ts)`;

/** @internal Checked options with their defaults. */
export interface Settings {
  concurrency: number;
  perHost: number;
  timeout: number | null;
  retries: number;
  follow: boolean;
  maxRedirects: number;
  maxHeaderSize: number;
  method: "HEAD" | "GET";
  insecure: boolean;
  order: "completion" | "input";
  failOn: FailOnMatcher;
  userAgent: string;
  tls: tls.ConnectionOptions | true;
  backoff: number;
  maxRetryAfter: number;
  signal: AbortSignal | null;
}

const KNOWN = new Set([
  "concurrency", "perHost", "timeout", "retries", "follow", "maxRedirects", "maxHeaderSize", "method", "insecure",
  "order", "failOn", "userAgent", "ca", "backoff", "maxRetryAfter", "signal",
]);

/** @internal Validates `options` (TypeError for a wrong type, RangeError for a wrong value) and fills in defaults. */
export function resolveOptions(options: CheckOptions | undefined, where: string, defaults: { retries: number } = { retries: 2 }): Settings {
  if (options === undefined || options === null) options = {};
  if (typeof options !== "object") throw new TypeError(`${where}: options must be an object`);
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw new TypeError(`${where}: unknown option ${JSON.stringify(key)} (known: ${[...KNOWN].join(", ")})`);
  }
  const o = options;
  const insecure = bool(o.insecure, false, "insecure", where);
  if (o.ca !== undefined && insecure) throw new RangeError(`${where}: ca and insecure contradict each other`);
  if (o.ca !== undefined && !(typeof o.ca === "string" || Buffer.isBuffer(o.ca) || Array.isArray(o.ca))) {
    throw new TypeError(`${where}: ca must be PEM text, a Buffer, or an array of them`);
  }
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) throw new TypeError(`${where}: signal must be an AbortSignal`);
  if (o.userAgent !== undefined && (typeof o.userAgent !== "string" || /[\r\n]/.test(o.userAgent))) {
    throw new TypeError(`${where}: userAgent must be a string without line breaks`);
  }
  return {
    concurrency: integer(o.concurrency, 20, 1, "concurrency", where),
    perHost: o.perHost === undefined || o.perHost === null || o.perHost === Infinity ? Infinity : integer(o.perHost, Infinity, 1, "perHost", where),
    timeout: o.timeout === null ? null : seconds(o.timeout, 10, "timeout", where, false),
    retries: integer(o.retries, defaults.retries, 0, "retries", where),
    follow: bool(o.follow, false, "follow", where),
    maxRedirects: integer(o.maxRedirects, 10, 0, "maxRedirects", where),
    maxHeaderSize: integer(o.maxHeaderSize, 65536, 64, "maxHeaderSize", where),
    method: oneOf(o.method, ["HEAD", "GET"] as const, "HEAD", "method", where),
    insecure,
    order: oneOf(o.order, ["completion", "input"] as const, "completion", "order", where),
    failOn: compileFailOn(o.failOn, where),
    userAgent: o.userAgent ?? DEFAULT_USER_AGENT,
    tls: insecure ? { rejectUnauthorized: false } : o.ca !== undefined ? { ca: o.ca } : true,
    backoff: seconds(o.backoff, 0.5, "backoff", where, true),
    maxRetryAfter: seconds(o.maxRetryAfter, 60, "maxRetryAfter", where, true),
    signal: o.signal ?? null,
  };
}

function integer(value: unknown, fallback: number, min: number, name: string, where: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number") throw new TypeError(`${where}: ${name} must be a number, got ${typeof value}`);
  if (!Number.isInteger(value) || value < min) throw new RangeError(`${where}: ${name} must be an integer >= ${min}, got ${value}`);
  return value;
}

function seconds(value: unknown, fallback: number, name: string, where: string, zeroOk: boolean): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number") throw new TypeError(`${where}: ${name} must be a number of seconds, got ${typeof value}`);
  if (Number.isNaN(value) || value < 0 || (!zeroOk && value === 0) || value === Infinity) {
    throw new RangeError(`${where}: ${name} must be a finite number of seconds ${zeroOk ? ">= 0" : "> 0"}, got ${value}`);
  }
  return value;
}

function bool(value: unknown, fallback: boolean, name: string, where: string): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") throw new TypeError(`${where}: ${name} must be a boolean, got ${typeof value}`);
  return value;
}

function oneOf<const T extends string>(value: unknown, allowed: readonly T[], fallback: T, name: string, where: string): T {
  if (value === undefined) return fallback;
  if (typeof value !== "string") throw new TypeError(`${where}: ${name} must be a string, got ${typeof value}`);
  if (!(allowed as readonly string[]).includes(value)) throw new RangeError(`${where}: ${name} must be ${allowed.map((a) => JSON.stringify(a)).join(" or ")}, got ${JSON.stringify(value)}`);
  return value as T;
}
