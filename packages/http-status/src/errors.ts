import { brand } from "@asyncio-ts/loop/lowlevel";

/**
 * The stable error codes of a `StatusResult` (CONTRACT §4). One per way a
 * check can fail; scripts may rely on them.
 */
export type ErrorCode =
  | "INVALID_URL"
  | "UNSUPPORTED_SCHEME"
  | "DNS"
  | "REFUSED"
  | "RESET"
  | "TIMEOUT"
  | "TLS"
  | "BAD_RESPONSE"
  | "TOO_LARGE"
  | "REDIRECT_LOOP"
  | "TOO_MANY_REDIRECTS";

/** Every error code, in the order CONTRACT.md lists them. */
export const ERROR_CODES: readonly ErrorCode[] = [
  "INVALID_URL",
  "DNS",
  "REFUSED",
  "RESET",
  "TIMEOUT",
  "TLS",
  "BAD_RESPONSE",
  "TOO_LARGE",
  "REDIRECT_LOOP",
  "TOO_MANY_REDIRECTS",
  "UNSUPPORTED_SCHEME",
];

/**
 * Why `getStatus()` got no status line: the same `code` and message that
 * `checkStatus()` puts in `StatusResult.error`.
 */
export class HttpStatusError extends Error {
  static {
    brand(this, "HttpStatusError");
  }
  readonly code: ErrorCode;
  /** The URL that was checked (as given, trimmed). */
  readonly url: string;
  constructor(code: ErrorCode, message: string, url: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "HttpStatusError";
    this.code = code;
    this.url = url;
  }
}

/** @internal A failure of one attempt, on its way to becoming `StatusResult.error`. */
export class CheckFailure extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "CheckFailure";
    this.code = code;
  }
}

const DNS_CODES = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "EAI_NONAME", "EAI_NODATA", "EAI_ADDRFAMILY", "EAI_SERVICE"]);
const REFUSED_CODES = new Set(["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "EHOSTDOWN", "ENETDOWN", "EADDRNOTAVAIL"]);
const RESET_CODES = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED", "ERR_STREAM_DESTROYED", "ERR_SOCKET_CLOSED"]);

/**
 * @internal Maps an error thrown by the network layer (Node's errors, with
 * their `code`, and ours) onto a stable code; `null` when it is not a network
 * error at all (a bug: it is rethrown, never disguised).
 */
export function classifyNetworkError(error: unknown, phase: "connect" | "exchange"): CheckFailure | null {
  if (error instanceof CheckFailure) return error;
  if (!(error instanceof Error)) return null;
  const code = (error as NodeJS.ErrnoException).code;
  const detail = error.message;
  if (typeof code === "string") {
    // Any failure of the lookup itself is DNS: also EINVAL, the resolver's answer
    // to a name it will not look up (over 255 bytes), which is no refused connection.
    if (DNS_CODES.has(code) || (error as NodeJS.ErrnoException).syscall === "getaddrinfo") {
      return new CheckFailure("DNS", `DNS lookup failed (${code}): ${detail}`, { cause: error });
    }
    if (REFUSED_CODES.has(code)) return new CheckFailure("REFUSED", `connection refused (${code}): ${detail}`, { cause: error });
    if (RESET_CODES.has(code)) return new CheckFailure("RESET", `connection reset (${code}): ${detail}`, { cause: error });
    if (code === "ETIMEDOUT") return new CheckFailure("TIMEOUT", `the operating system timed out (${code}): ${detail}`, { cause: error });
    if (isTlsCode(code)) return new CheckFailure("TLS", `TLS failed (${code}): ${detail}`, { cause: error });
    // Any other system error: the connection could not be made, or broke.
    if (/^E[A-Z]+$/.test(code)) {
      return phase === "connect"
        ? new CheckFailure("REFUSED", `cannot connect (${code}): ${detail}`, { cause: error })
        : new CheckFailure("RESET", `connection failed (${code}): ${detail}`, { cause: error });
    }
  }
  if (error.name === "ConnectionResetError") return new CheckFailure("RESET", `connection reset: ${detail}`, { cause: error });
  // OpenSSL reports some handshake failures without a Node code, in the message only.
  if (/\bSSL\b|\bTLS\b|certificate/i.test(detail) && (code === undefined || /SSL|TLS|CERT/.test(code))) {
    return new CheckFailure("TLS", `TLS failed: ${detail}`, { cause: error });
  }
  return null;
}

/**
 * Node's certificate verification codes that the patterns below miss: the
 * rest of its list (OpenSSL's X509_V_ERR_* names) all hold "CERT",
 * "SELF_SIGNED" or "UNABLE_TO_". A server picks its certificate, so any of
 * them may come; one left out was rethrown as a bug (checkStatus rejected).
 */
const VERIFY_CODES = new Set([
  "INVALID_PURPOSE", "INVALID_CA", "PATH_LENGTH_EXCEEDED", "OUT_OF_MEM", "UNSPECIFIED", "HOSTNAME_MISMATCH",
  "CRL_SIGNATURE_FAILURE", "CRL_NOT_YET_VALID", "CRL_HAS_EXPIRED", "ERROR_IN_CRL_LAST_UPDATE_FIELD", "ERROR_IN_CRL_NEXT_UPDATE_FIELD",
]);

function isTlsCode(code: string): boolean {
  return (
    code === "EPROTO" ||
    code.startsWith("ERR_SSL_") ||
    code.startsWith("ERR_TLS_") ||
    // OpenSSL's other libraries (ASN.1, X.509, EVP) failing on what the server sent in the handshake.
    code.startsWith("ERR_OSSL_") ||
    code.includes("CERT") ||
    code.includes("SELF_SIGNED") ||
    code.startsWith("UNABLE_TO_") ||
    VERIFY_CODES.has(code)
  );
}
