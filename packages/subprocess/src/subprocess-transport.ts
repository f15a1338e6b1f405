import type { ChildProcess } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import type { EventLoop } from "@asyncio-ts/loop";
import { Future } from "@asyncio-ts/tasks";
import { trackResource, untrackResource, type Closeable, type Protocol, type Transport } from "@asyncio-ts/streams/lowlevel";
import { processLookupError, signalNumber } from "./node-errors.js";
import { ReadPipeTransport, WritePipeTransport, type WritePipeHooks } from "./pipe-transport.js";

/** What the subprocess transport calls (asyncio's `SubprocessProtocol`). */
export interface SubprocessProtocol {
  connectionMade(transport: SubprocessTransport): void;
  pipeDataReceived(fd: 1 | 2, data: Buffer): void;
  pipeConnectionLost(fd: 0 | 1 | 2, exc: Error | null): void;
  processExited(): void;
  connectionLost(exc: Error | null): void;
}

/** The Node streams of the child's pipes (the STDOUT case reads fd 1 and 2 through one stream). */
export interface ChildPipes {
  stdin: Writable | null;
  stdout: Readable | null;
  stderr: Readable | null;
}

/** asyncio's `WriteSubprocessPipeProto` / `ReadSubprocessPipeProto`: forwards a pipe's events, tagged with its fd. */
class PipeProto implements Protocol {
  readonly #owner: SubprocessTransport;
  readonly fd: 0 | 1 | 2;
  pipe: Transport | null = null;
  disconnected = false;

  constructor(owner: SubprocessTransport, fd: 0 | 1 | 2) {
    this.#owner = owner;
    this.fd = fd;
  }

  connectionMade(transport: Transport): void {
    this.pipe = transport;
  }

  dataReceived(data: Buffer): void {
    this.#owner._pipeDataReceived(this.fd as 1 | 2, data);
  }

  eofReceived(): boolean {
    return false;
  }

  connectionLost(exc: Error | null): void {
    this.disconnected = true;
    this.#owner._pipeConnectionLost(this.fd, exc);
  }

  pauseWriting(): void {
    this.#owner._pauseWriting();
  }

  resumeWriting(): void {
    this.#owner._resumeWriting();
  }
}

type Call = [callback: (...args: never[]) => unknown, args: unknown[]];

/**
 * asyncio's `BaseSubprocessTransport` over a Node `ChildProcess`: the child,
 * its pipes, and the order in which their events reach the protocol. Not
 * meant for subclassing.
 *
 * Invariants (the state machine of base_subprocess.py):
 * - `#pendingCalls` queues protocol calls until the child is known to have
 *   started (`'spawn'`) and `connectionMade` ran; it is `null` afterwards, and
 *   calls go straight to `callSoon`, in the order the events happened.
 * - `#returncode` is set once, when the child's exit reaches the loop.
 * - `#finished` becomes true once the child exited *and* every pipe is
 *   disconnected; only then are `wait()` futures completed (through
 *   `#callConnectionLost`, queued behind the pipes' last data and EOF), so a
 *   `wait()` never returns before the readers were fully fed.
 * - `#child` is `null` once finished: signals then fail with ESRCH, as
 *   CPython's `ProcessLookupError`.
 */
export class SubprocessTransport implements Closeable {
  readonly #loop: EventLoop;
  #protocol: SubprocessProtocol;
  #child: ChildProcess | null;
  #pid: number | undefined = undefined;
  #returncode: number | null = null;
  #exitWaiters: Set<Future<number>> | null = new Set();
  #pendingCalls: Call[] | null = [];
  readonly #pipes = new Map<0 | 1 | 2, PipeProto>();
  #finished = false;
  #closed = false;
  #started = false;
  readonly #waiter: Future<void>;

  /**
   * Takes over a just-spawned child: its pipes are wired now (so no byte is
   * missed), `waiter` completes when the child started (or fails with the
   * spawn error, e.g. ENOENT).
   */
  constructor(loop: EventLoop, protocol: SubprocessProtocol, child: ChildProcess, pipes: ChildPipes, waiter: Future<void>, hooks: WritePipeHooks = {}) {
    this.#loop = loop;
    this.#protocol = protocol;
    this.#child = child;
    this.#waiter = waiter;
    if (pipes.stdin !== null) this.#addPipe(0, (proto) => new WritePipeTransport(loop, pipes.stdin!, proto, hooks));
    if (pipes.stdout !== null) this.#addPipe(1, (proto) => new ReadPipeTransport(loop, pipes.stdout!, proto));
    if (pipes.stderr !== null) this.#addPipe(2, (proto) => new ReadPipeTransport(loop, pipes.stderr!, proto));
    child.on("spawn", this.#onNodeSpawn);
    child.on("error", this.#onNodeError);
    child.on("exit", this.#onNodeExit);
    trackResource(loop, this);
  }

  #addPipe(fd: 0 | 1 | 2, make: (proto: PipeProto) => Transport): void {
    const proto = new PipeProto(this, fd);
    this.#pipes.set(fd, proto);
    make(proto);
  }

  // ---- Node events (only forwarded into the loop) -----------------------------------

  #schedule<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): void {
    if (this.#loop.isClosed()) return;
    this.#loop.callSoon(callback, ...args);
  }

  readonly #onNodeSpawn = (): void => this.#schedule(this.#spawned);
  readonly #onNodeError = (error: Error): void => this.#schedule(this.#childError, error);
  readonly #onNodeExit = (code: number | null, signal: NodeJS.Signals | null): void => {
    // CPython's returncode: the exit status, or minus the signal number.
    const returncode = code ?? -(signalNumber(signal ?? "") ?? 0);
    this.#schedule(this.#processExited, returncode);
  };

  // ---- loop callbacks --------------------------------------------------------------

  readonly #spawned = (): void => {
    this.#started = true;
    this.#pid = this.#child?.pid;
    if (this.#waiter.done()) {
      // Cancelled while starting: asyncio closes the transport, which kills the child.
      this.close();
      return;
    }
    // The pipes' connectionMade ran already: they were scheduled when the transports were made.
    this.#loop.callSoon(() => this.#protocol.connectionMade(this));
    for (const [callback, args] of this.#pendingCalls ?? []) this.#loop.callSoon(callback as (...a: unknown[]) => unknown, ...args);
    this.#pendingCalls = null;
    this.#loop.callSoon(() => {
      if (!this.#waiter.done()) this.#waiter.setResult(undefined);
    });
  };

  readonly #childError = (error: Error): void => {
    if (!this.#started) {
      // The child never ran (ENOENT, EACCES, a bad cwd): no 'exit' will come.
      this.#closed = true;
      this.#pendingCalls = [];
      for (const proto of this.#pipes.values()) proto.pipe?.close();
      untrackResource(this.#loop, this);
      if (!this.#waiter.done()) this.#waiter.setException(error);
      return;
    }
    // After the start, Node reports a failed kill() here.
    this.#loop.callExceptionHandler({ message: "Error in a child process", exception: error, transport: this });
  };

  #call<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): void {
    if (this.#pendingCalls !== null) this.#pendingCalls.push([callback as Call[0], args]);
    else this.#loop.callSoon(callback, ...args);
  }

  /** @internal */
  _pipeDataReceived(fd: 1 | 2, data: Buffer): void {
    this.#call((f: 1 | 2, d: Buffer) => this.#protocol.pipeDataReceived(f, d), fd, data);
  }

  /** @internal */
  _pipeConnectionLost(fd: 0 | 1 | 2, exc: Error | null): void {
    this.#call((f: 0 | 1 | 2, e: Error | null) => this.#protocol.pipeConnectionLost(f, e), fd, exc);
    this.#tryFinish();
  }

  /** @internal */
  _pauseWriting(): void {
    (this.#protocol as unknown as { pauseWriting?(): void }).pauseWriting?.();
  }

  /** @internal */
  _resumeWriting(): void {
    (this.#protocol as unknown as { resumeWriting?(): void }).resumeWriting?.();
  }

  readonly #processExited = (returncode: number): void => {
    if (this.#returncode !== null) return;
    this.#returncode = returncode;
    this.#call(() => this.#protocol.processExited());
    this.#tryFinish();
  };

  #tryFinish(): void {
    if (this.#finished || this.#returncode === null) return;
    for (const proto of this.#pipes.values()) if (!proto.disconnected) return;
    this.#finished = true;
    this.#call(this.#callConnectionLost, null);
  }

  readonly #callConnectionLost = (exc: Error | null): void => {
    try {
      this.#protocol.connectionLost(exc);
    } finally {
      const waiters = this.#exitWaiters ?? [];
      this.#exitWaiters = null;
      for (const waiter of waiters) if (!waiter.done()) waiter.setResult(this.#returncode!);
      this.#child = null;
      untrackResource(this.#loop, this);
    }
  };

  // ---- the SubprocessTransport API ---------------------------------------------------

  getPid(): number | undefined {
    return this.#pid;
  }

  getReturncode(): number | null {
    return this.#returncode;
  }

  getPipeTransport(fd: 0 | 1 | 2): Transport | null {
    return this.#pipes.get(fd)?.pipe ?? null;
  }

  /** `"subprocess"`: the Node `ChildProcess`; else `defaultValue`. */
  getExtraInfo(name: string, defaultValue: unknown = undefined): unknown {
    return name === "subprocess" ? (this.#child ?? defaultValue) : defaultValue;
  }

  isClosing(): boolean {
    return this.#closed;
  }

  /** Closes the pipes and, if the child still runs, kills it (SIGKILL), as asyncio does. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const proto of this.#pipes.values()) {
      const pipe = proto.pipe;
      if (pipe instanceof WritePipeTransport) pipe._closeForChild();
      else pipe?.close();
    }
    const child = this.#child;
    if (child !== null && this.#returncode === null && child.exitCode === null && child.signalCode === null) {
      if (this.#loop.getDebug()) this.#loop.callExceptionHandler({ message: `Close running child process: kill ${String(this)}`, transport: this });
      child.kill("SIGKILL");
    }
  }

  /**
   * @internal The loop closed with the child still attached (the program did
   * not wait for it): kill it if running (SIGKILL), release the pipes, without
   * callbacks. CPython only warns (ResourceWarning "unclosed transport") and
   * kills it when the transport is garbage-collected, at the latest at
   * interpreter exit; Node has no such finaliser, and a running child would
   * keep the Node process alive, so we kill at loop close. Node still reaps
   * it: no zombie is left.
   */
  _destroyOnLoopClose(): void {
    this.#closed = true;
    const child = this.#child;
    this.#child = null;
    for (const proto of this.#pipes.values()) {
      const pipe = proto.pipe;
      if (pipe instanceof ReadPipeTransport || pipe instanceof WritePipeTransport) pipe._destroyOnLoopClose();
    }
    if (child !== null && child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      if (this.#loop.getDebug()) this.#loop.callExceptionHandler({ message: `Close running child process: kill ${String(this)}`, transport: this });
      child.kill("SIGKILL");
    }
  }

  /** Sends `signal` (a name like `"SIGTERM"` or a number). No-op once the child exited; ESRCH once it was waited for. */
  sendSignal(signal: NodeJS.Signals | number): void {
    const child = this.#child;
    if (child === null || this.#finished) throw processLookupError(this.#pid);
    if (this.#returncode !== null || child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
  }

  /** @internal What `Process.wait()` returns. */
  _wait(): Future<number> {
    const waiter = new Future<number>({ loop: this.#loop });
    // CPython: a known returncode is returned at once, even while the readers are still being fed.
    if (this.#returncode !== null) {
      waiter.setResult(this.#returncode);
      return waiter;
    }
    const waiters = this.#exitWaiters!;
    waiters.add(waiter);
    waiter.addDoneCallback(() => waiters.delete(waiter));
    return waiter;
  }

  toString(): string {
    const info = ["SubprocessTransport"];
    if (this.#closed) info.push("closed");
    if (this.#pid !== undefined) info.push(`pid=${this.#pid}`);
    if (this.#returncode !== null) info.push(`returncode=${this.#returncode}`);
    else if (this.#pid !== undefined) info.push("running");
    else info.push("not started");
    return `<${info.join(" ")}>`;
  }
}
