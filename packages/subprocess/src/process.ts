import type { EventLoop } from "@asyncio-ts/loop";
import { RuntimeError } from "@asyncio-ts/loop";
import { brand, describeValue } from "@asyncio-ts/loop/lowlevel";
import type { StreamReader, StreamWriter } from "@asyncio-ts/streams";
import { createTask, Future, type Task } from "@asyncio-ts/tasks";
import { isBrokenPipe, isSignalNumber, signalNumber } from "./node-errors.js";
import type { SubprocessStreamProtocol } from "./subprocess-stream-protocol.js";
import type { SubprocessTransport } from "./subprocess-transport.js";

function resolved<T>(loop: EventLoop, value: T): Future<T> {
  const future = new Future<T>({ loop });
  future.setResult(value);
  return future;
}

/**
 * Completes when every future in `parts` is done (asyncio's `gather` without
 * `return_exceptions`): fails with the first failure, the others going on;
 * cancelling it cancels them all.
 */
function gatherAll<T>(loop: EventLoop, parts: Future<T>[]): Future<T[]> {
  const outer = new Future<T[]>({ loop });
  let left = parts.length;
  const settle = (part: Future<T>): void => {
    left--;
    if (outer.done()) {
      if (!part.cancelled()) part.exception(); // retrieved: the first failure is the one reported
      return;
    }
    if (part.cancelled()) outer.cancel();
    else if (part.exception() !== undefined) outer.setException(part.exception());
    else if (left === 0) outer.setResult(parts.map((p) => p.result()));
  };
  if (parts.length === 0) outer.setResult([]);
  for (const part of parts) part.addDoneCallback(settle);
  outer.addDoneCallback(() => {
    if (outer.cancelled()) for (const part of parts) part.cancel();
  });
  return outer;
}

/**
 * A child process started by `createSubprocessExec` or `createSubprocessShell`
 * (asyncio's `asyncio.subprocess.Process`). Not meant to be constructed or
 * subclassed by users.
 *
 * `stdin` is a `StreamWriter` when the child was started with `stdin: PIPE`,
 * `stdout` / `stderr` are `StreamReader`s with `PIPE`; otherwise they are
 * `null`.
 */
export class Process {
  static {
    brand(this, "Process");
  }
  readonly #transport: SubprocessTransport;
  readonly #loop: EventLoop;
  /** A communicate() is in progress. */
  #communicating = false;
  /** The child's standard input, with `stdin: PIPE`; else `null`. */
  readonly stdin: StreamWriter | null;
  /** The child's standard output, with `stdout: PIPE`; else `null`. */
  readonly stdout: StreamReader | null;
  /** The child's standard error, with `stderr: PIPE`; else `null` (also with `STDOUT`: it is then in `stdout`). */
  readonly stderr: StreamReader | null;
  /** The child's process id. */
  readonly pid: number;

  /** @internal */
  constructor(transport: SubprocessTransport, protocol: SubprocessStreamProtocol, loop: EventLoop) {
    this.#transport = transport;
    this.#loop = loop;
    this.stdin = protocol.stdin;
    this.stdout = protocol.stdout;
    this.stderr = protocol.stderr;
    this.pid = transport.getPid()!;
  }

  /**
   * The exit status: `null` while the child runs, its exit code once it
   * exited, or minus the signal number when a signal ended it (`-9` for
   * SIGKILL), as in CPython.
   */
  get returncode(): number | null {
    return this.#transport.getReturncode();
  }

  /**
   * Waits for the child to exit and returns its `returncode`. A waiting
   * `wait()` completes only after the child exited *and* its stdout/stderr
   * pipes reached EOF and were fed to the readers (once `returncode` is known,
   * `wait()` returns it at once, as in CPython).
   *
   * Like CPython, this can wait forever when the child fills a `PIPE` that
   * nobody reads (the reader pauses the pipe past `2 * limit` bytes, the child
   * blocks on the full pipe): read the output, or use `communicate()`.
   *
   * Cancellation: only the wait is cancelled; the child keeps running (kill
   * it with `kill()` and `await wait()` again to reap it).
   */
  wait(): Future<number> {
    return this.#transport._wait();
  }

  /**
   * Sends `input` (bytes or a UTF-8 string) to stdin and closes it, reads
   * stdout and stderr until EOF, waits for the child to exit, and returns
   * `[stdout, stderr]` (`null` for a stream that is not a `PIPE`). Writing
   * and reading run concurrently, so a child producing lots of output while
   * reading lots of input cannot deadlock. A broken stdin (the child exited
   * or closed it without reading everything) is ignored, as in CPython. The
   * output is held in memory: for big or endless output read the streams.
   *
   * `input` is ignored when the child was not started with `stdin: PIPE`.
   *
   * Cancellation: cancels the reading and writing, leaves the child running
   * (CPython's behaviour); bytes already read are not lost: they stay in the
   * readers. To stop the child too, catch `CancelledError`, `kill()`, and
   * `await wait()`.
   *
   * Errors: `TypeError` at the call for an `input` that is not bytes or a
   * string, `RuntimeError` while another `communicate()` is running; a read
   * error of a pipe rejects the returned future.
   */
  communicate(input?: Uint8Array | string | null): Task<[stdout: Buffer | null, stderr: Buffer | null]> {
    if (input !== undefined && input !== null && !(input instanceof Uint8Array) && typeof input !== "string") {
      throw new TypeError(`communicate() input must be bytes (a Uint8Array) or a string, got ${describeValue(input)}`);
    }
    // A second communicate() would fail in a read() the user never called.
    if (this.#communicating) throw new RuntimeError("communicate() is already running for this process: await the first call");
    const loop = this.#loop;
    const task = createTask(async () => {
      const parts: Future<Buffer | null>[] = [
        this.stdin !== null ? createTask(() => this.#feedStdin(input)) : resolved(loop, null),
        this.stdout !== null ? createTask(() => this.#readStream(1)) : resolved(loop, null),
        this.stderr !== null ? createTask(() => this.#readStream(2)) : resolved(loop, null),
      ];
      const [, stdout, stderr] = await gatherAll(loop, parts);
      await this.wait();
      return [stdout, stderr] as [Buffer | null, Buffer | null];
    });
    this.#communicating = true;
    // Once it is over (also cancelled), communicate() may be called again: what was read stays in the readers.
    task.addDoneCallback(() => {
      this.#communicating = false;
    });
    return task;
  }

  async #feedStdin(input: Uint8Array | string | null | undefined): Promise<null> {
    const stdin = this.stdin!;
    try {
      if (input !== undefined && input !== null) stdin.write(input);
      await stdin.drain();
    } catch (error) {
      // communicate() ignores BrokenPipeError and ConnectionResetError, as CPython does.
      if (!isBrokenPipe(error)) throw error;
    }
    stdin.close();
    return null;
  }

  async #readStream(fd: 1 | 2): Promise<Buffer> {
    const stream = fd === 1 ? this.stdout! : this.stderr!;
    const output = await stream.read();
    this.#transport.getPipeTransport(fd)?.close();
    return output;
  }

  /**
   * Sends `signal` to the child: a name (`"SIGHUP"`) or a number (`1`).
   * Does nothing once the child has exited; throws an ESRCH error (Python's
   * `ProcessLookupError`) once `wait()` has completed. `TypeError` /
   * `RangeError` for something that is not a signal.
   */
  sendSignal(signal: NodeJS.Signals | number): void {
    if (typeof signal === "string") {
      if (signalNumber(signal) === undefined) throw new RangeError(`sendSignal() got an unknown signal name ${JSON.stringify(signal)}`);
    } else if (typeof signal === "number") {
      if (!Number.isInteger(signal) || signal < 0) throw new RangeError(`sendSignal() signal must be a non-negative integer, got ${signal}`);
      // Node's own "Unknown signal: 99" would name no call.
      if (signal !== 0 && !isSignalNumber(signal)) throw new RangeError(`sendSignal() got an unknown signal number ${signal}`);
    } else {
      throw new TypeError(`sendSignal() takes a signal name or number, got ${describeValue(signal)}`);
    }
    this.#transport.sendSignal(signal);
  }

  /** Sends SIGTERM (`returncode` then becomes `-15` unless the child handles it). */
  terminate(): void {
    this.#transport.sendSignal("SIGTERM");
  }

  /** Sends SIGKILL (`returncode` then becomes `-9`). */
  kill(): void {
    this.#transport.sendSignal("SIGKILL");
  }

  toString(): string {
    return `<Process ${this.pid}>`;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}
