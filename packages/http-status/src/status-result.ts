/** One URL's outcome (CONTRACT §4). `http-status -o jsonl` prints exactly this, one per line. */
export interface StatusResult {
  /** Exactly the input line (trimmed). */
  url: string;
  /** A status line was received, there was no error, and the status is not in `failOn`. */
  ok: boolean;
  /** The status code, e.g. 200; null when no valid status line arrived. */
  status: number | null;
  /** The reason phrase, e.g. "OK" (may be ""). */
  reason: string | null;
  /** The version in the status line, e.g. "HTTP/1.1". */
  httpVersion: string | null;
  /** The raw `Location` header of a 3xx, if any. */
  location: string | null;
  /** The absolute URLs followed, in order (only with `follow`). */
  redirects: string[];
  /** Seconds: connect and first byte of the last request made (null if not reached); total for the whole check, retries and redirects included. */
  timings: { connect: number | null; firstByte: number | null; total: number };
  /** Why there is no usable status: a stable code and a readable message. */
  error: { code: string; message: string } | null;
}
