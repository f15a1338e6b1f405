import { CheckFailure } from "./errors.js";

/** @internal A URL ready to be requested: where to connect and what to send. */
export interface Target {
  /** The absolute URL (WHATWG-normalised: punycode host, percent-encoded path). */
  readonly href: string;
  readonly scheme: "http" | "https";
  /** The host to connect to: ASCII (IDN as punycode), IPv6 without brackets. */
  readonly host: string;
  readonly port: number;
  /** The `Host` header: host as in the URL (IPv6 in brackets), with the port unless it is the scheme's default. */
  readonly hostHeader: string;
  /** Path and query, as sent in the request line (never empty: "/" at least). */
  readonly path: string;
  /** `Basic ...` when the URL carries user info, else null. */
  readonly authorization: string | null;
}

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;

/**
 * @internal Parses one input line (already trimmed). Returns a `Target`, or a
 * `CheckFailure` with `INVALID_URL` / `UNSUPPORTED_SCHEME` (never throws).
 */
export function parseTarget(text: string, base?: string): Target | CheckFailure {
  if (text === "") return new CheckFailure("INVALID_URL", "empty URL");
  const scheme = SCHEME.exec(text)?.[1]?.toLowerCase();
  if (base === undefined) {
    if (scheme === undefined || !text.slice(scheme.length + 1).startsWith("//")) {
      if (scheme !== undefined && scheme !== "http" && scheme !== "https" && !/^\d/.test(text.slice(scheme.length + 1))) {
        return new CheckFailure("UNSUPPORTED_SCHEME", `unsupported scheme "${scheme}:": only http and https are checked`);
      }
      return new CheckFailure("INVALID_URL", `not an absolute http(s) URL: ${JSON.stringify(text)} (did you mean "${suggestion(text, scheme)}"?)`);
    }
  }
  let url: URL;
  try {
    url = base === undefined ? new URL(text) : new URL(text, base);
  } catch {
    return new CheckFailure("INVALID_URL", base === undefined ? `invalid URL: ${JSON.stringify(text)}` : `invalid redirect location: ${JSON.stringify(text)}`);
  }
  const protocol = url.protocol.slice(0, -1);
  if (protocol !== "http" && protocol !== "https") {
    return new CheckFailure("UNSUPPORTED_SCHEME", `unsupported scheme "${protocol}:": only http and https are checked`);
  }
  if (url.hostname === "") return new CheckFailure("INVALID_URL", `no host in ${JSON.stringify(text)}`);
  const port = url.port === "" ? (protocol === "https" ? 443 : 80) : Number(url.port);
  if (port === 0) return new CheckFailure("INVALID_URL", `port 0 in ${JSON.stringify(text)}`);
  const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  let authorization: string | null = null;
  if (url.username !== "" || url.password !== "") {
    const credentials = Buffer.concat([percentDecode(url.username), Buffer.from(":"), percentDecode(url.password)]);
    authorization = `Basic ${credentials.toString("base64")}`;
  }
  url.hash = "";
  return {
    href: url.href,
    scheme: protocol,
    host,
    port,
    hostHeader: url.host,
    path: (url.pathname || "/") + url.search,
    authorization,
  };
}

/** What a line that is not an absolute URL probably meant: the slashes of `http:/h`, `http:h` or `//h` mended, else `http://` in front. */
function suggestion(text: string, scheme: string | undefined): string {
  if (scheme === "http" || scheme === "https") return `${text.slice(0, scheme.length)}://${text.slice(scheme.length + 1).replace(/^[/\\]+/, "")}`;
  if (text.startsWith("//")) return `http:${text}`;
  return `http://${text}`;
}

/**
 * User info as the bytes it stands for: each valid `%XX` becomes its byte, and
 * anything else (`%zz`, a lone `%`) stays as it is, as curl and Python's
 * `unquote` do. Not `decodeURIComponent`: it throws on such input, and on
 * escapes that are not UTF-8 (`%ff`), which any URL or `Location` may carry.
 * WHATWG parsing has percent-encoded everything outside ASCII, so the text
 * is ASCII and Latin-1 maps it to bytes one to one.
 */
function percentDecode(text: string): Buffer {
  return Buffer.from(text.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), "latin1");
}

/** @internal RFC 6761: names under `.invalid` never resolve, so no lookup is made. */
export function isReservedInvalid(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, "");
  return name === "invalid" || name.endsWith(".invalid");
}
