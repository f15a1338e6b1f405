import { checkOptionNames, describeValue, isAsyncGeneratorFunction } from "@asyncio-ts/loop/lowlevel";

/**
 * Throws `TypeError` unless `options` is an object (or undefined), and, given
 * `known`, for a key that is not an option (`{ ca }` instead of `{ ssl: { ca } }`
 * would connect without TLS).
 */
export function checkOptions<T extends object>(options: T | undefined, where: string, known?: readonly string[]): T {
  if (options === undefined) return {} as T;
  if (options === null || typeof options !== "object") throw new TypeError(`${where}() options must be an object, got ${describeValue(options)}`);
  if (known !== undefined) checkOptionNames(options, known, where);
  return options;
}

/** The options of each public function, for the unknown-option check. */
export const CONNECT_OPTIONS = ["ssl", "serverHostname"] as const;
export const SERVER_OPTIONS = ["ssl", "backlog", "startServing"] as const;

/** A TCP port: an integer in [min, 65535]. */
export function checkPort(port: unknown, where: string, min: number): number {
  if (typeof port !== "number") throw new TypeError(`${where}() port must be a number, got ${describeValue(port)}`);
  if (!Number.isInteger(port) || port < min || port > 65535) {
    throw new RangeError(`${where}() port must be an integer from ${min} to 65535, got ${port}`);
  }
  return port;
}

export function checkHost(host: unknown, where: string, nullable: boolean): string | null {
  if (host === null || host === undefined) {
    if (nullable) return null;
    throw new TypeError(`${where}() host must be a string, got ${describeValue(host)}`);
  }
  if (typeof host !== "string") throw new TypeError(`${where}() host must be a string${nullable ? " or null" : ""}, got ${describeValue(host)}`);
  if (host === "" && !nullable) throw new RangeError(`${where}() host must not be empty`);
  return host === "" ? null : host;
}

/** The longest Unix socket path, in bytes: `sun_path` less its NUL (108 on Linux, 104 on the BSDs and macOS). */
const MAX_UNIX_PATH = process.platform === "linux" ? 107 : process.platform === "win32" ? Infinity : 103;

export function checkPath(path: unknown, where: string): string {
  if (typeof path !== "string") throw new TypeError(`${where}() path must be a string, got ${describeValue(path)}`);
  if (path === "") throw new RangeError(`${where}() path must not be empty`);
  // Node cuts a longer path short, silently: the socket would be made (and left) at another path.
  const bytes = Buffer.byteLength(path);
  if (bytes > MAX_UNIX_PATH) {
    throw new RangeError(`${where}() path is too long for a Unix socket: ${bytes} bytes, at most ${MAX_UNIX_PATH} (AF_UNIX path too long); use a shorter one, e.g. in os.tmpdir()`);
  }
  return path;
}

export function checkFunction(fn: unknown, where: string, what: string): void {
  if (typeof fn !== "function") throw new TypeError(`${where}() ${what} must be a function, got ${describeValue(fn)}`);
  if (isAsyncGeneratorFunction(fn)) {
    // Calling it only makes an async generator: nothing would ever run.
    throw new TypeError(`${where}() ${what} must be a function, got async generator ${describeValue(fn)}, which is iterated with for await, not run`);
  }
}

export function checkBacklog(backlog: unknown, where: string): number {
  if (backlog === undefined || backlog === null) return 100;
  if (typeof backlog !== "number") throw new TypeError(`${where}() backlog must be a number, got ${describeValue(backlog)}`);
  if (!Number.isInteger(backlog) || backlog < 0) throw new RangeError(`${where}() backlog must be a non-negative integer, got ${backlog}`);
  return backlog;
}
