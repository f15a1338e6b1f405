import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, rmSync } from "node:fs";
import { connect, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EventLoop } from "@asyncio-ts/loop";
import { getRunningLoop } from "@asyncio-ts/loop";
import { describeValue } from "@asyncio-ts/loop/lowlevel";
import { Future } from "@asyncio-ts/tasks";
import { checkArgument, parseOptions, type ParsedOptions, type StdioKind, type SubprocessOptions } from "./options.js";
import { Process } from "./process.js";
import { SubprocessStreamProtocol } from "./subprocess-stream-protocol.js";
import { SubprocessTransport } from "./subprocess-transport.js";

/**
 * Starts `program` with `args` as a child process (asyncio's
 * `create_subprocess_exec`), and returns a `Future` of its `Process` once it
 * started.
 *
 * No shell is involved: `program` is looked up on `PATH` (unless it contains a
 * `/`) and each argument reaches the child exactly as given — spaces, quotes,
 * `$`, `*`, `;` are never interpreted. This is the safe way to pass
 * user-provided values.
 *
 * The last argument may be the options object: `stdin`, `stdout`, `stderr`
 * (`PIPE`, `DEVNULL`, `STDOUT` for stderr, `"inherit"`/`null` (the default),
 * or a file descriptor), `cwd`, `env` (the whole environment), `limit` (the
 * readers' buffer limit, default 64 KiB), `startNewSession`.
 *
 * Cancellation: cancelling the returned future before it completed kills the
 * child (SIGKILL), as asyncio does; once you have the `Process`, it is yours
 * to wait for.
 *
 * Errors: `TypeError` / `RangeError` at the call for a wrong argument (a
 * program or argument that is not a string, an unknown option, `STDOUT` for
 * stdout, `limit <= 0`); `RuntimeError` without a running loop. A program that
 * cannot be started rejects the future with Node's error: `ENOENT` (its message
 * names the program, e.g. `spawn no-such-program ENOENT`; `path` and
 * `spawnargs` are set), `EACCES`.
 *
 * @example
 * const proc = await createSubprocessExec("echo", "hello", "$HOME", { stdout: PIPE });
 * const [out] = await proc.communicate();   // "hello $HOME\n": nothing was expanded
 */
export function createSubprocessExec(program: string | URL, ...args: [...args: string[], options: SubprocessOptions] | string[]): Future<Process> {
  const where = "createSubprocessExec";
  const file = checkArgument(program, "program", where, true);
  if (file === "") throw new RangeError(`${where}() program must not be empty`);
  let options: unknown;
  const rest: unknown[] = [...args];
  const last = rest[rest.length - 1];
  if (rest.length > 0 && (last === undefined || last === null || (typeof last === "object" && !(last instanceof URL)))) options = rest.pop();
  const argv = rest.map((arg, i) => checkArgument(arg, `argument ${i + 1}`, where, true));
  const parsed = parseOptions(options, where);
  const loop = getRunningLoop();
  return start(loop, file, argv, parsed);
}

/**
 * Runs `cmd` through the system shell (`/bin/sh -c cmd`; `cmd.exe` on
 * Windows), as asyncio's `create_subprocess_shell`, and returns a `Future` of
 * its `Process` once it started.
 *
 * The whole string is interpreted by the shell — pipes, redirections,
 * variables, globs, `;`. Never put untrusted text in it unquoted: quote each
 * value for the shell (see the README's quoting rule), or use
 * `createSubprocessExec`, which takes the arguments one by one and never
 * interprets them. `pid` is the shell's; a missing command is the shell's
 * exit status 127 (and its message on stderr), not an error.
 *
 * Options, cancellation and errors are those of `createSubprocessExec`.
 *
 * @example
 * const proc = await createSubprocessShell("echo one; echo two | tr a-z A-Z", { stdout: PIPE });
 * const [out] = await proc.communicate();   // "one\nTWO\n"
 */
export function createSubprocessShell(cmd: string, options?: SubprocessOptions): Future<Process> {
  const where = "createSubprocessShell";
  if (typeof cmd !== "string") throw new TypeError(`${where}() cmd must be a string, got ${describeValue(cmd)} (to run a program with arguments, use createSubprocessExec)`);
  if (cmd.includes("\0")) throw new RangeError(`${where}() cmd must not contain a NUL byte`);
  const parsed = parseOptions(options, where);
  const loop = getRunningLoop();
  if (process.platform === "win32") {
    return start(loop, process.env.ComSpec ?? "cmd.exe", ["/d", "/s", "/c", `"${cmd}"`], parsed, true);
  }
  return start(loop, "/bin/sh", ["-c", cmd], parsed);
}

/** A connected pair of Unix sockets: `theirs` becomes the child's stdout *and* stderr (stderr: STDOUT), we read `ours`. */
interface SharedPipe {
  ours: Socket;
  theirs: Socket;
}

let pairCounter = 0;

/**
 * Node cannot make an OS pipe, but libuv's own stdio "pipes" are Unix socket
 * pairs; so is this one, made through a listening socket that lives only until
 * it accepted our connection (an abstract socket on Linux: no file).
 */
function sharedPipe(): Promise<SharedPipe> {
  return new Promise((resolve, reject) => {
    const name = `asyncio-ts-${process.pid}-${pairCounter++}-${randomBytes(6).toString("hex")}.sock`;
    const path = process.platform === "linux" ? `\0${name}` : join(tmpdir(), name);
    const server = createServer();
    const cleanUp = (): void => {
      server.close();
      if (!path.startsWith("\0")) rmSync(path, { force: true });
    };
    server.once("error", (error) => {
      cleanUp();
      reject(error);
    });
    server.listen(path, () => {
      const ours = connect(path);
      ours.once("error", (error) => {
        cleanUp();
        reject(error);
      });
      server.once("connection", (theirs: Socket) => {
        cleanUp();
        resolve({ ours, theirs });
      });
    });
  });
}

function nodeStdio(kind: StdioKind, stdoutKind: StdioKind): "pipe" | "ignore" | "inherit" | number {
  switch (kind.kind) {
    case "pipe":
      return "pipe";
    case "devnull":
      return "ignore";
    case "inherit":
      return "inherit";
    case "fd":
      return kind.fd;
    case "stdout":
      // stderr goes where stdout goes (a PIPE stdout is handled with a shared pipe).
      if (stdoutKind.kind === "inherit") return 1;
      return nodeStdio(stdoutKind, stdoutKind);
  }
}

function start(loop: EventLoop, file: string, args: string[], options: ParsedOptions, verbatim = false): Future<Process> {
  const outer = new Future<Process>({ loop });
  if (options.stderr.kind === "stdout" && options.stdout.kind === "pipe") {
    sharedPipe().then(
      (pair) => {
        if (loop.isClosed()) {
          pair.ours.destroy();
          pair.theirs.destroy();
          return;
        }
        loop.callSoon(() => {
          if (outer.done()) {
            pair.ours.destroy();
            pair.theirs.destroy();
            return;
          }
          launch(loop, file, args, options, verbatim, outer, pair);
        });
      },
      (error: unknown) => {
        if (!loop.isClosed()) loop.callSoon(() => outer.done() || outer.setException(error));
      },
    );
  } else {
    launch(loop, file, args, options, verbatim, outer, null);
  }
  return outer;
}

function launch(loop: EventLoop, file: string, args: string[], options: ParsedOptions, verbatim: boolean, outer: Future<Process>, pair: SharedPipe | null): void {
  const stdio = [
    nodeStdio(options.stdin, options.stdout),
    pair !== null ? pair.theirs : nodeStdio(options.stdout, options.stdout),
    pair !== null ? pair.theirs : nodeStdio(options.stderr, options.stdout),
  ] as StdioOptions;
  let child: ChildProcess;
  try {
    child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env,
      stdio,
      detached: options.startNewSession,
      shell: false,
      windowsHide: true,
      windowsVerbatimArguments: verbatim,
    });
  } catch (error) {
    pair?.ours.destroy();
    pair?.theirs.destroy();
    outer.setException(error);
    return;
  } finally {
    // The child has its own copy now (spawn forks synchronously); ours would keep the pipe open.
    pair?.theirs.destroy();
  }
  const protocol = new SubprocessStreamProtocol(options.limit, loop);
  const waiter = new Future<void>({ loop });
  const pipes = {
    stdin: child.stdin,
    stdout: pair !== null ? pair.ours : child.stdout,
    stderr: child.stderr,
  };
  const transport = new SubprocessTransport(loop, protocol, child, pipes, waiter, {
    onBrokenWrite: (error) => protocol._stdinBroken(error),
  });
  waiter.addDoneCallback(() => {
    if (outer.done()) return;
    if (waiter.cancelled()) {
      outer.cancel();
      return;
    }
    const error = waiter.exception();
    if (error !== undefined) outer.setException(explainSpawnError(error, options));
    else outer.setResult(new Process(transport, protocol, loop));
  });
  outer.addDoneCallback(() => {
    if (!outer.cancelled()) return;
    // asyncio: a creation cancelled half-way closes the transport, which kills the child.
    if (!waiter.done()) waiter.cancel();
    transport.close();
  });
}

/** Node reports a missing working directory as the program's ENOENT: say which. */
function explainSpawnError(error: unknown, options: ParsedOptions): unknown {
  const e = error as NodeJS.ErrnoException;
  if (e instanceof Error && e.code === "ENOENT" && options.cwd !== undefined && !existsSync(options.cwd)) {
    e.message = `${e.message} (the working directory ${JSON.stringify(options.cwd)} does not exist)`;
  }
  return error;
}
