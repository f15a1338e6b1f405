import { parseArgs } from "node:util";
import type { CheckOptions } from "../options.js";
import { FORMATS, type Format } from "./formatter.js";

/** What the command line asks for. */
export interface CliArgs {
  help: boolean;
  version: boolean;
  demo: boolean;
  urls: string[];
  input: string | null;
  format: Format | null;
  progress: boolean;
  quiet: boolean;
  options: CheckOptions;
}

/** A command-line mistake: printed with a hint, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Parses `argv` (without node and the script). Throws `UsageError`. */
export function parseCliArgs(argv: string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        input: { type: "string", short: "i" },
        concurrency: { type: "string", short: "c" },
        "per-host": { type: "string" },
        timeout: { type: "string", short: "t" },
        retries: { type: "string", short: "r" },
        follow: { type: "boolean", short: "L" },
        "max-redirects": { type: "string" },
        "max-header-size": { type: "string" },
        method: { type: "string", short: "X" },
        order: { type: "string" },
        format: { type: "string", short: "o" },
        "fail-on": { type: "string" },
        sequential: { type: "boolean" },
        insecure: { type: "boolean", short: "k" },
        "user-agent": { type: "string", short: "A" },
        "no-progress": { type: "boolean" },
        quiet: { type: "boolean", short: "q" },
        demo: { type: "boolean" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "V" },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const v = parsed.values;
  const options: CheckOptions = {};
  if (v.concurrency !== undefined) options.concurrency = integer(v.concurrency, "--concurrency", 1);
  if (v["per-host"] !== undefined) options.perHost = integer(v["per-host"], "--per-host", 1);
  if (v.timeout !== undefined) options.timeout = positive(v.timeout, "--timeout");
  if (v.retries !== undefined) options.retries = integer(v.retries, "--retries", 0);
  if (v.follow) options.follow = true;
  if (v["max-redirects"] !== undefined) options.maxRedirects = integer(v["max-redirects"], "--max-redirects", 0);
  if (v["max-header-size"] !== undefined) options.maxHeaderSize = integer(v["max-header-size"], "--max-header-size", 64);
  if (v.method !== undefined) {
    const method = v.method.toUpperCase();
    if (method !== "HEAD" && method !== "GET") throw new UsageError(`--method must be HEAD or GET, got ${JSON.stringify(v.method)}`);
    options.method = method;
  }
  options.order = "input";
  if (v.order !== undefined) {
    if (v.order !== "input" && v.order !== "completion") throw new UsageError(`--order must be input or completion, got ${JSON.stringify(v.order)}`);
    options.order = v.order;
  }
  if (v["fail-on"] !== undefined) {
    options.failOn = v["fail-on"].split(",").map((s) => s.trim()).filter((s) => s !== "");
    // An empty list would silently mean "none": every result ok, exit 0.
    if (options.failOn.length === 0) throw new UsageError(`--fail-on needs a comma-separated list of rules, got ${JSON.stringify(v["fail-on"])} (to fail on nothing, say none)`);
  }
  if (v.insecure) options.insecure = true;
  if (v["user-agent"] !== undefined) {
    if (/[\r\n]/.test(v["user-agent"])) throw new UsageError("--user-agent must not contain line breaks");
    options.userAgent = v["user-agent"];
  }
  if (v.sequential) {
    options.concurrency = 1;
    options.perHost = 1;
  }
  let format: Format | null = null;
  if (v.format !== undefined) {
    if (!(FORMATS as readonly string[]).includes(v.format)) throw new UsageError(`--format must be one of ${FORMATS.join(", ")}, got ${JSON.stringify(v.format)}`);
    format = v.format as Format;
  }
  return {
    help: v.help === true,
    version: v.version === true,
    demo: v.demo === true,
    urls: parsed.positionals,
    input: v.input ?? null,
    format,
    progress: v["no-progress"] !== true,
    quiet: v.quiet === true,
    options,
  };
}

function integer(text: string, flag: string, min: number): number {
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`${flag} needs a whole number, got ${JSON.stringify(text)}`);
  const value = Number(text);
  if (value < min) throw new UsageError(`${flag} must be at least ${min}, got ${value}`);
  return value;
}

function positive(text: string, flag: string): number {
  const value = Number(text.trim().replace(/s$/, ""));
  if (text.trim() === "" || !Number.isFinite(value) || value <= 0) throw new UsageError(`${flag} needs a number of seconds > 0, got ${JSON.stringify(text)}`);
  return value;
}
