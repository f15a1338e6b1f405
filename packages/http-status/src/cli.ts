// The `http-status` command. See `http-status --help` and the README.
import { closeSync, createReadStream, fstatSync, openSync } from "node:fs";
import { getRunningLoop, type TimerHandle } from "@asyncio-ts/loop";
import { run } from "@asyncio-ts/tasks";
import { checkMany } from "./check-many.js";
import { compileFailOn } from "./fail-on.js";
import { resolveOptions, VERSION } from "./options.js";
import type { ErrorCode } from "./errors.js";
import { parseCliArgs, UsageError, type CliArgs } from "./cli/args.js";
import { makeColors, wantsColor } from "./cli/colors.js";
import { runDemo } from "./cli/demo.js";
import { csvFormatter } from "./cli/format-csv.js";
import { jsonFormatter } from "./cli/format-json.js";
import { jsonlFormatter } from "./cli/format-jsonl.js";
import { tableFormatter } from "./cli/format-table.js";
import type { Format, Formatter } from "./cli/formatter.js";
import { HELP } from "./cli/help.js";
import { ProgressBar } from "./cli/progress.js";
import { readUrlLines } from "./cli/read-lines.js";
import { renderSummary } from "./cli/summary.js";
import { Tally } from "./cli/tally.js";

/** Exit statuses (also in --help and the README). */
export const EXIT = { OK: 0, FAILED: 1, USAGE: 2, INTERRUPTED: 130 } as const;

/** How often the progress bar is redrawn and piped output flushed, in seconds. */
const TICK = 0.1;
/** Piped output is written in blocks of about this many characters (or every TICK). */
const FLUSH_AT = 16 * 1024;

async function main(argv: string[]): Promise<number> {
  const { stdout, stderr, stdin, env } = process;
  let args: CliArgs;
  try {
    args = parseCliArgs(argv);
    if (!args.demo && !args.help && !args.version) {
      compileFailOn(args.options.failOn, "--fail-on");
      resolveOptions(args.options, "http-status");
    }
  } catch (error) {
    return usage(error);
  }
  if (args.help) {
    stdout.write(HELP);
    return EXIT.OK;
  }
  if (args.version) {
    stdout.write(`http-status ${VERSION}\n`);
    return EXIT.OK;
  }
  if (args.demo) {
    const colors = makeColors(wantsColor(stdout, env));
    return run(() => runDemo((text) => void stdout.write(text), colors));
  }

  // Where the URLs come from: arguments, then the file (or stdin).
  let input: NodeJS.ReadableStream | null = null;
  if (args.input === "-" || (args.input === null && args.urls.length === 0)) {
    if (args.input === null && stdin.isTTY) {
      return usage(new UsageError("no URLs: give them as arguments, with -i FILE, or on stdin (try --help, or --demo)"));
    }
    input = stdin;
  } else if (args.input !== null) {
    let fd: number | null = null;
    try {
      fd = openSync(args.input, "r");
      // A directory opens fine and fails at the first read (EISDIR), mid-run.
      if (fstatSync(fd).isDirectory()) throw new Error("it is a directory, not a file of URLs");
      input = createReadStream("", { fd, highWaterMark: 64 * 1024 });
    } catch (error) {
      if (fd !== null && input === null) closeSync(fd);
      return usage(new UsageError(`cannot read ${args.input}: ${(error as Error).message}`));
    }
  }
  const inputName = args.input === null || args.input === "-" ? "stdin" : args.input;
  const source: Iterable<string> | AsyncIterable<string> =
    input === null ? args.urls : concat(args.urls, readInput(input as AsyncIterable<Uint8Array>, inputName));

  const format: Format = args.format ?? (stdout.isTTY ? "table" : "jsonl");
  const outColors = makeColors(format === "table" && wantsColor(stdout, env));
  const errColors = makeColors(wantsColor(stderr, env));
  const formatter: Formatter = { table: tableFormatter(outColors), json: jsonFormatter(), jsonl: jsonlFormatter(), csv: csvFormatter() }[format];
  const failOn = compileFailOn(args.options.failOn, "--fail-on");
  const tally = new Tally();
  const progress = args.progress && stderr.isTTY ? new ProgressBar(stderr, errColors, tally, input === null ? args.urls.length : null) : null;

  // Ctrl-C: stop taking URLs, cancel the checks in flight, print what finished. A second one quits at once.
  const controller = new AbortController();
  let interrupted = false;
  const onSigint = (): void => {
    if (interrupted) {
      progress?.clear();
      process.exit(EXIT.INTERRUPTED);
    }
    interrupted = true;
    controller.abort();
  };
  process.on("SIGINT", onSigint);
  // A reader that went away (`| head`): stop quietly.
  let stdoutClosed = false;
  stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    stdoutClosed = true;
    controller.abort();
  });

  let pending = "";
  const flush = (): void => {
    if (pending === "") return;
    progress?.clear();
    if (!stdoutClosed) stdout.write(pending);
    pending = "";
  };
  const write = (text: string): void => {
    pending += text;
    if (stdout.isTTY || pending.length >= FLUSH_AT) flush();
  };

  let anyFailed = false;
  let inputFailure: InputError | null = null;
  const started = performance.now();
  try {
    await run(async () => {
      const loop = getRunningLoop();
      let ticker: TimerHandle | null = null;
      const tick = (): void => {
        flush();
        progress?.draw();
        ticker = loop.callLater(TICK, tick);
      };
      tick();
      try {
        write(formatter.begin());
        for await (const result of checkMany(source, { ...args.options, signal: controller.signal })) {
          tally.add(result);
          if (failOn.matches(result.status, result.error === null ? null : (result.error.code as ErrorCode))) anyFailed = true;
          write(formatter.row(result));
        }
        write(formatter.end());
      } finally {
        (ticker as TimerHandle | null)?.cancel();
        flush();
        progress?.clear();
      }
    });
  } catch (error) {
    // The input broke off mid-way (an I/O error): what was checked is printed; the error is a line, not a stack trace.
    if (!(error instanceof InputError)) throw error;
    inputFailure = error;
  } finally {
    process.off("SIGINT", onSigint);
    if (input !== null && "destroy" in input) (input as NodeJS.ReadStream).destroy();
  }
  if (!args.quiet) {
    const seconds = (performance.now() - started) / 1000;
    stderr.write(renderSummary(tally, seconds, errColors, interrupted ? { notFinished: true } : null));
  }
  if (inputFailure !== null) {
    stderr.write(`http-status: ${inputFailure.message}\n`);
    return EXIT.USAGE;
  }
  if (interrupted) return EXIT.INTERRUPTED;
  return anyFailed ? EXIT.FAILED : EXIT.OK;
}

/** An error of the input stream itself (not of a check). */
class InputError extends Error {}

async function* readInput(stream: AsyncIterable<Uint8Array>, name: string): AsyncGenerator<string, void, undefined> {
  try {
    yield* readUrlLines(stream);
  } catch (error) {
    throw new InputError(`cannot read ${name}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

async function* concat(first: string[], rest: AsyncIterable<string>): AsyncGenerator<string, void, undefined> {
  yield* first;
  yield* rest;
}

function usage(error: unknown): number {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`http-status: ${message}\nTry "http-status --help".\n`);
  return EXIT.USAGE;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`http-status: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 70;
  },
);
