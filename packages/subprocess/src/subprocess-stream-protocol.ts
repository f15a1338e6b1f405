import type { EventLoop } from "@asyncio-ts/loop";
import { StreamReader, StreamWriter } from "@asyncio-ts/streams";
import { StreamReaderProtocol } from "@asyncio-ts/streams/lowlevel";
import type { SubprocessProtocol, SubprocessTransport } from "./subprocess-transport.js";

/**
 * asyncio's `SubprocessStreamProtocol`: turns the child's pipes into a
 * `StreamWriter` (stdin) and `StreamReader`s (stdout, stderr).
 *
 * Each reader is attached to its pipe through a `StreamReaderProtocol`, so
 * that the reader pauses the pipe when more than `2 * limit` bytes are
 * buffered. The writer's `drain()` waits on the stdin pipe's backpressure
 * through the stdin `StreamReaderProtocol` (asyncio's `FlowControlMixin`).
 *
 * Invariants: `#pipeFds` are the read pipes not yet disconnected; the
 * transport is closed once it is empty and the child exited.
 * `#stdinErrors` is a reader that is never read: the stdin writer consults its
 * `exception()` in `drain()`, so a broken stdin pipe (Node's EPIPE error, or a
 * write dropped after the child went away) fails every later `drain()`.
 */
export class SubprocessStreamProtocol implements SubprocessProtocol {
  readonly #limit: number;
  readonly #loop: EventLoop;
  stdin: StreamWriter | null = null;
  stdout: StreamReader | null = null;
  stderr: StreamReader | null = null;
  #stdinProtocol: StreamReaderProtocol | null = null;
  #stdinErrors: StreamReader | null = null;
  readonly #readers = new Map<1 | 2, StreamReaderProtocol>();
  #transport: SubprocessTransport | null = null;
  #processExited = false;
  readonly #pipeFds = new Set<1 | 2>();

  constructor(limit: number, loop: EventLoop) {
    this.#limit = limit;
    this.#loop = loop;
  }

  connectionMade(transport: SubprocessTransport): void {
    this.#transport = transport;
    for (const fd of [1, 2] as const) {
      const pipe = transport.getPipeTransport(fd);
      if (pipe === null) continue;
      const reader = new StreamReader({ limit: this.#limit, loop: this.#loop });
      const adapter = new StreamReaderProtocol(reader, null, this.#loop);
      adapter.connectionMade(pipe); // the reader's transport: flow control pauses this pipe
      this.#readers.set(fd, adapter);
      this.#pipeFds.add(fd);
      if (fd === 1) this.stdout = reader;
      else this.stderr = reader;
    }
    const stdinPipe = transport.getPipeTransport(0);
    if (stdinPipe !== null) {
      const protocol = new StreamReaderProtocol(null, null, this.#loop);
      protocol.connectionMade(stdinPipe);
      this.#stdinProtocol = protocol;
      this.#stdinErrors = new StreamReader({ loop: this.#loop });
      this.stdin = new StreamWriter(stdinPipe, protocol, this.#stdinErrors, this.#loop);
    }
  }

  /** @internal A write to stdin was lost: the pipe is broken; later `drain()` calls fail with `error`. */
  _stdinBroken(error: Error): void {
    const errors = this.#stdinErrors;
    if (errors !== null && errors.exception() === null) errors.setException(error);
  }

  pauseWriting(): void {
    this.#stdinProtocol?.pauseWriting();
  }

  resumeWriting(): void {
    this.#stdinProtocol?.resumeWriting();
  }

  pipeDataReceived(fd: 1 | 2, data: Buffer): void {
    this.#readers.get(fd)?.dataReceived(data);
  }

  pipeConnectionLost(fd: 0 | 1 | 2, exc: Error | null): void {
    if (fd === 0) {
      this.stdin?.close();
      if (exc !== null && this.#stdinErrors !== null && this.#stdinErrors.exception() === null) this.#stdinErrors.setException(exc);
      this.#stdinProtocol?.connectionLost(exc);
      return;
    }
    this.#readers.get(fd)?.connectionLost(exc);
    this.#pipeFds.delete(fd);
    this.#maybeCloseTransport();
  }

  processExited(): void {
    this.#processExited = true;
    this.#maybeCloseTransport();
  }

  connectionLost(_exc: Error | null): void {
    // Everything is disconnected already: the transport finishes only after every pipe is.
  }

  #maybeCloseTransport(): void {
    if (this.#pipeFds.size === 0 && this.#processExited && this.#transport !== null) {
      this.#transport.close();
      this.#transport = null;
    }
  }

  toString(): string {
    const info = ["SubprocessStreamProtocol"];
    if (this.stdin !== null) info.push(`stdin=${String(this.stdin)}`);
    if (this.stdout !== null) info.push(`stdout=${String(this.stdout)}`);
    if (this.stderr !== null) info.push(`stderr=${String(this.stderr)}`);
    return `<${info.join(" ")}>`;
  }
}
