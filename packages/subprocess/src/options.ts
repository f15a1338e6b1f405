import { fstatSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describeValue } from "@asyncio-ts/loop/lowlevel";
import { DEFAULT_LIMIT } from "@asyncio-ts/streams/lowlevel";
import { DEVNULL, PIPE, STDOUT, type StdioOption } from "./constants.js";

/** The options of `createSubprocessExec` and `createSubprocessShell` (CPython's keyword arguments). */
export interface SubprocessOptions {
  /** `PIPE` (then `process.stdin` is a `StreamWriter`), `DEVNULL`, `"inherit"`/`null`/`undefined` (default), or a file descriptor. */
  stdin?: StdioOption;
  /** `PIPE` (then `process.stdout` is a `StreamReader`), `DEVNULL`, `"inherit"`/`null`/`undefined` (default), or a file descriptor. */
  stdout?: StdioOption;
  /** As `stdout`, plus `STDOUT`: standard error goes where standard output goes. */
  stderr?: StdioOption;
  /** The child's working directory (default: this process's). */
  cwd?: string | URL;
  /** The child's whole environment (default: this process's `process.env`). */
  env?: Record<string, string | undefined>;
  /** The buffer limit of the `StreamReader`s (default 64 KiB): a line's maximum length, and the flow-control threshold. */
  limit?: number;
  /** Runs the child in a new session (`setsid`), as CPython's `start_new_session=True`. */
  startNewSession?: boolean;
}

/** How one standard stream of the child is set up. */
export type StdioKind = { kind: "pipe" } | { kind: "devnull" } | { kind: "inherit" } | { kind: "fd"; fd: number } | { kind: "stdout" };

export interface ParsedOptions {
  stdin: StdioKind;
  stdout: StdioKind;
  stderr: StdioKind;
  cwd: string | undefined;
  env: Record<string, string | undefined> | undefined;
  limit: number;
  startNewSession: boolean;
}

const KNOWN = new Set(["stdin", "stdout", "stderr", "cwd", "env", "limit", "startNewSession"]);
const TEXT_MODE = new Set(["text", "encoding", "errors", "universalNewlines"]);

function parseStdio(value: unknown, name: "stdin" | "stdout" | "stderr", where: string): StdioKind {
  if (value === undefined || value === null || value === "inherit") return { kind: "inherit" };
  if (typeof value !== "number") {
    const hint = typeof value === "string" ? ` (use the PIPE, DEVNULL or STDOUT constants, or "inherit")` : "";
    throw new TypeError(`${where}() ${name} must be PIPE, DEVNULL${name === "stderr" ? ", STDOUT" : ""}, "inherit", null or a file descriptor, got ${describeValue(value)}${hint}`);
  }
  if (value === PIPE) return { kind: "pipe" };
  if (value === DEVNULL) return { kind: "devnull" };
  if (value === STDOUT) {
    if (name !== "stderr") throw new RangeError(`${where}() STDOUT is only valid for stderr, not for ${name}`);
    return { kind: "stdout" };
  }
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${where}() ${name} must be PIPE, DEVNULL, STDOUT or a file descriptor (an integer >= 0), got ${value}`);
  // Spawning with a closed descriptor fails with a bare "spawn EBADF", naming neither the stream nor the number.
  if (!isOpenDescriptor(value)) throw new RangeError(`${where}() ${name} is file descriptor ${value}, which is not open`);
  return { kind: "fd", fd: value };
}

function isOpenDescriptor(fd: number): boolean {
  try {
    fstatSync(fd);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "EBADF";
  }
}

/** Validates the options object; every mistake is a `TypeError` (wrong type) or `RangeError` (wrong value) at the call. */
export function parseOptions(options: unknown, where: string): ParsedOptions {
  if (options === undefined || options === null) options = {};
  if (typeof options !== "object" || Array.isArray(options)) throw new TypeError(`${where}() options must be an object, got ${describeValue(options)}`);
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (TEXT_MODE.has(key) && o[key] !== undefined && o[key] !== false && o[key] !== null) {
      throw new RangeError(`${where}() works in bytes only: ${key} is not supported (decode the output with TextDecoder or Buffer#toString)`);
    }
    if (!KNOWN.has(key) && !TEXT_MODE.has(key)) throw new TypeError(`${where}() got an unknown option ${JSON.stringify(key)} (known: ${[...KNOWN].join(", ")})`);
  }
  let cwd: string | undefined;
  if (o.cwd !== undefined && o.cwd !== null) {
    if (o.cwd instanceof URL) cwd = fileURLToPath(o.cwd);
    else if (typeof o.cwd === "string") cwd = o.cwd;
    else throw new TypeError(`${where}() cwd must be a string or a file URL, got ${describeValue(o.cwd)}`);
  }
  let env: Record<string, string | undefined> | undefined;
  if (o.env !== undefined && o.env !== null) {
    if (typeof o.env !== "object" || Array.isArray(o.env)) throw new TypeError(`${where}() env must be an object of strings, got ${describeValue(o.env)}`);
    for (const [key, value] of Object.entries(o.env)) {
      if (value !== undefined && typeof value !== "string") throw new TypeError(`${where}() env values must be strings, got ${describeValue(value)} for ${JSON.stringify(key)}`);
    }
    env = o.env as Record<string, string | undefined>;
  }
  let limit = DEFAULT_LIMIT;
  if (o.limit !== undefined && o.limit !== null) {
    if (typeof o.limit !== "number") throw new TypeError(`${where}() limit must be a number of bytes, got ${describeValue(o.limit)}`);
    if (!(o.limit > 0)) throw new RangeError(`Limit cannot be <= 0: ${where}() limit must be a number of bytes > 0, got ${o.limit}`);
    limit = o.limit;
  }
  if (o.startNewSession !== undefined && typeof o.startNewSession !== "boolean") {
    throw new TypeError(`${where}() startNewSession must be a boolean, got ${describeValue(o.startNewSession)}`);
  }
  return {
    stdin: parseStdio(o.stdin, "stdin", where),
    stdout: parseStdio(o.stdout, "stdout", where),
    stderr: parseStdio(o.stderr, "stderr", where),
    cwd,
    env,
    limit,
    startNewSession: o.startNewSession === true,
  };
}

/** A program or argument: a string (or a file URL for the program), without NUL bytes. */
export function checkArgument(value: unknown, what: string, where: string, allowUrl: boolean): string {
  let text: string;
  if (typeof value === "string") text = value;
  else if (allowUrl && value instanceof URL) text = fileURLToPath(value);
  else {
    const hint = typeof value === "number" || typeof value === "bigint" ? ` (pass String(${String(value)}))` : "";
    throw new TypeError(`${where}() ${what} must be a string, got ${describeValue(value)}${hint}`);
  }
  if (text.includes("\0")) throw new RangeError(`${where}() ${what} must not contain a NUL byte`);
  return text;
}
