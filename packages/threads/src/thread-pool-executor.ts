import { availableParallelism } from "node:os";
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort, type ResourceLimits } from "node:worker_threads";
import type { EventLoop, Executor } from "@asyncio-ts/loop";
import { RuntimeError } from "@asyncio-ts/loop";
import { describeValue, getRunningLoopOrNull } from "@asyncio-ts/loop/lowlevel";
import { attachHooks, ConcurrentFuture, type Blocker } from "./concurrent-future.js";
import { functionSpec } from "./internal/function-spec.js";
import { makeKnownError, serveCallback, serveCoroutine } from "./internal/loop-requests.js";
import {
  CONTROL_CALL_ID,
  CONTROL_SLOT,
  deserializeError,
  SLOT_ABORT,
  SLOT_FREE,
  SLOT_RUNNING,
  SLOT_SENT,
  SLOT_SKIP,
  type FromWorker,
  type FunctionSpec,
  type SerializedError,
} from "./internal/protocol.js";
import { workerEntry, workerExecArgv } from "./internal/worker-path.js";
import { TimeoutError } from "@asyncio-ts/combinators";
import { unwrapTransfers } from "./transfer.js";

type AnyFunction = (...args: never[]) => unknown;

export interface ThreadPoolExecutorOptions {
  /** How many worker threads at most; default `os.availableParallelism()`. */
  maxWorkers?: number;
  /**
   * Seconds a cancelled call that is already running gets to stop on its own
   * (it sees `this.signal` aborted) before its worker is terminated and
   * replaced. Default 1; 0 terminates at once.
   */
  cancelGracePeriod?: number;
  /** Worker thread names are `${threadNamePrefix}_${n}` (shown in debuggers and heap snapshots). */
  threadNamePrefix?: string;
  /** Passed to each `Worker` (heap sizes). */
  resourceLimits?: ResourceLimits;
}

/** A submitted call. Invariant: `worker` is set exactly while the call is on a worker. */
interface Call {
  id: number;
  spec: FunctionSpec;
  args: unknown[];
  transferList: Transferable[];
  future: ConcurrentFuture<unknown>;
  /** The loop running when it was submitted: where the worker's calls back go. */
  loop: EventLoop | null;
  worker: PoolWorker | null;
}

interface PoolWorker {
  thread: Worker;
  port: MessagePort;
  control: Int32Array;
  call: Call | null;
  /** The loop of the last call it ran (for calls back that outlive their call). */
  lastLoop: EventLoop | null;
  /** Set when the pool ends the thread on purpose (grace expiry, shutdown). */
  retiring: boolean;
  /** Set once a crash or exit was reported for its call. */
  failed: boolean;
  exited: Promise<void>;
  graceTimer: ReturnType<typeof setTimeout> | null;
}

let nextCallId = 1;
let nextPoolId = 1;

/**
 * A pool of worker threads that run functions in parallel (Python's
 * `concurrent.futures.ThreadPoolExecutor`, on Node's `worker_threads`), and
 * the loop's `Executor`: `loop.runInExecutor(pool, fn, ...args)`.
 *
 * Functions cannot take their closures to another thread, so `submit()`
 * takes either a *self-contained* function (its source is compiled again in
 * the worker, once per worker: it may use its parameters and globals, not
 * variables around it) or a `moduleFunction(url, name)`, which may import
 * anything. Arguments and results are copied by structured clone;
 * `transfer(buffer)` moves an `ArrayBuffer` instead.
 *
 * Workers start lazily, up to `maxWorkers`, and stay; an idle worker never
 * keeps the process alive.
 *
 * Cancellation: `future.cancel()` on a queued call removes it (it never runs);
 * on a running call it aborts the call's `this.signal` and settles the future
 * as cancelled at once. If the call has not returned `cancelGracePeriod`
 * seconds later, its worker is terminated and replaced, so the pool keeps its
 * capacity.
 *
 * Errors: `submit()` throws `RuntimeError` after `shutdown()`, `TypeError` for
 * a function that cannot be sent or arguments that cannot be cloned; an error
 * thrown in the worker rejects the future with the same class name, message
 * and the worker's stack.
 *
 * ```ts
 * await using pool = new ThreadPoolExecutor({ maxWorkers: 2 });
 * const squares = pool.map((x: number) => x * x, [1, 2, 3]);
 * for await (const square of squares) console.log(square);
 * ```
 */
export class ThreadPoolExecutor implements Executor {
  readonly #maxWorkers: number;
  readonly #grace: number;
  readonly #prefix: string;
  readonly #resourceLimits: ResourceLimits | undefined;
  readonly #workers: PoolWorker[] = [];
  readonly #idle: PoolWorker[] = [];
  /** Calls waiting for a worker, FIFO. */
  readonly #queue: Call[] = [];
  #queueHead = 0;
  #shutdown = false;
  #threadCount = 0;
  /** Bumped by every worker message: a thread blocked in result() sleeps on it. */
  readonly #posted = new SharedArrayBuffer(4);
  readonly #postedWord = new Int32Array(this.#posted);
  readonly #blocker: Blocker = { wait: (deadline) => this.#pump(deadline) };

  constructor(options: ThreadPoolExecutorOptions = {}) {
    if (options === null || typeof options !== "object") throw new TypeError(`ThreadPoolExecutor options must be an object, got ${describeValue(options)}`);
    const { maxWorkers, cancelGracePeriod = 1, threadNamePrefix, resourceLimits } = options;
    if (maxWorkers !== undefined && maxWorkers !== null) {
      if (typeof maxWorkers !== "number") throw new TypeError(`maxWorkers must be a number, got ${describeValue(maxWorkers)}`);
      if (!Number.isInteger(maxWorkers) || maxWorkers <= 0) throw new RangeError(`maxWorkers must be an integer greater than 0, got ${maxWorkers}`);
    }
    if (typeof cancelGracePeriod !== "number" || Number.isNaN(cancelGracePeriod) || cancelGracePeriod < 0) {
      throw new RangeError(`cancelGracePeriod must be a number of seconds >= 0, got ${describeValue(cancelGracePeriod)}`);
    }
    this.#maxWorkers = maxWorkers ?? availableParallelism();
    this.#grace = cancelGracePeriod;
    this.#prefix = threadNamePrefix ?? `ThreadPoolExecutor-${nextPoolId++}`;
    this.#resourceLimits = resourceLimits;
  }

  /** The most worker threads this pool runs at once. */
  get maxWorkers(): number {
    return this.#maxWorkers;
  }

  /**
   * Schedules `fn(...args)` on a worker thread and returns a `ConcurrentFuture`
   * for its outcome. `fn` is a self-contained function or a `moduleFunction()`;
   * inside it, `this.signal` is aborted when the call is cancelled.
   */
  submit<F extends AnyFunction>(fn: F, ...args: unknown[]): ConcurrentFuture<Awaited<ReturnType<F>>> {
    if (this.#shutdown) throw new RuntimeError("cannot schedule new futures after shutdown");
    const spec = functionSpec(fn, "submit");
    const unwrapped = unwrapTransfers(args);
    const future = new ConcurrentFuture<Awaited<ReturnType<F>>>();
    const call: Call = {
      id: nextCallId++,
      spec,
      args: unwrapped.args,
      transferList: unwrapped.transferList,
      future: future as ConcurrentFuture<unknown>,
      loop: getRunningLoopOrNull(),
      worker: null,
    };
    attachHooks(call.future, { blocker: this.#blocker, onCancel: () => this.#cancel(call) });
    const worker = this.#idle.pop() ?? (this.#workers.length < this.#maxWorkers ? this.#spawn() : null);
    if (worker !== null) {
      try {
        this.#send(worker, call);
      } catch (error) {
        this.#becomeIdle(worker);
        throw error;
      }
    } else {
      checkCloneable(call);
      this.#queue.push(call);
    }
    return future;
  }

  /**
   * `fn` applied to the items of `iterables` taken in step (like Python's
   * `map`), all submitted now; results come in order. `timeout` (seconds,
   * counted from this call) makes the iteration throw `TimeoutError` when a
   * result is not ready in time. Leaving the loop early cancels what is left.
   */
  map<R>(fn: (...args: never[]) => R | PromiseLike<R>, ...iterablesAndOptions: (Iterable<unknown> | { timeout?: number | null })[]): AsyncGenerator<Awaited<R>, void, undefined> {
    let timeout: number | null = null;
    const last = iterablesAndOptions[iterablesAndOptions.length - 1];
    if (last !== undefined && last !== null && typeof last === "object" && !(Symbol.iterator in last)) {
      iterablesAndOptions.pop();
      timeout = (last as { timeout?: number | null }).timeout ?? null;
      if (timeout !== null && (typeof timeout !== "number" || Number.isNaN(timeout))) throw new TypeError(`map() timeout must be a number of seconds or null, got ${describeValue(timeout)}`);
    }
    const iterators = (iterablesAndOptions as Iterable<unknown>[]).map((it, i) => {
      if (it === null || typeof it !== "object" || typeof (it as Iterable<unknown>)[Symbol.iterator] !== "function") {
        throw new TypeError(`map() argument ${i + 2} must be iterable, got ${describeValue(it)}`);
      }
      return it[Symbol.iterator]();
    });
    const futures: ConcurrentFuture<Awaited<R>>[] = [];
    if (iterators.length > 0) {
      for (;;) {
        const items: unknown[] = [];
        for (const it of iterators) {
          const step = it.next();
          if (step.done) break;
          items.push(step.value);
        }
        if (items.length < iterators.length) break;
        futures.push(this.submit(fn as AnyFunction, ...items) as ConcurrentFuture<Awaited<R>>);
      }
    }
    const deadline = timeout === null ? Infinity : performance.now() + timeout * 1000;
    return (async function* results(): AsyncGenerator<Awaited<R>, void, undefined> {
      let i = 0;
      try {
        for (; i < futures.length; i++) yield await withDeadline(futures[i], deadline, timeout);
      } finally {
        for (; i < futures.length; i++) futures[i].cancel();
      }
    })();
  }

  /**
   * Stops taking work. Queued calls still run unless `cancelFutures` is set
   * (then they are cancelled and never run); running calls finish; then the
   * worker threads end. With `wait` (the default) the returned promise settles
   * when every thread has ended; without, at once.
   */
  shutdown(options: { wait?: boolean; cancelFutures?: boolean } = {}): Promise<void> {
    const { wait = true, cancelFutures = false } = options ?? {};
    this.#shutdown = true;
    if (cancelFutures) {
      while (this.#queueHead < this.#queue.length) this.#queue[this.#queueHead].future.cancel();
    }
    for (const worker of this.#idle.splice(0)) this.#retire(worker);
    if (!wait) return Promise.resolve();
    return this.#allExited();
  }

  /** `await using pool = new ThreadPoolExecutor()`: `shutdown({ wait: true })` at the end of the block. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.shutdown({ wait: true });
  }

  /** Debug information: threads, busy threads and queued calls. */
  statistics(): { workers: number; busy: number; queued: number } {
    return { workers: this.#workers.length, busy: this.#workers.length - this.#idle.length, queued: this.#queue.length - this.#queueHead };
  }

  toString(): string {
    const s = this.statistics();
    return `<ThreadPoolExecutor maxWorkers=${this.#maxWorkers} workers=${s.workers} busy=${s.busy} queued=${s.queued}${this.#shutdown ? " shutdown" : ""}>`;
  }

  // ---- internals ---------------------------------------------------------------

  async #allExited(): Promise<void> {
    while (this.#workers.length > 0) await Promise.all(this.#workers.map((w) => w.exited));
  }

  #spawn(): PoolWorker {
    const { port1, port2 } = new MessageChannel();
    const controlBuffer = new SharedArrayBuffer(8);
    const thread = new Worker(workerEntry(), {
      name: `${this.#prefix}_${this.#threadCount++}`,
      execArgv: workerExecArgv(),
      resourceLimits: this.#resourceLimits,
      workerData: { asyncioTs: { port: port2, control: controlBuffer, posted: this.#posted } },
      transferList: [port2],
    });
    let resolveExited!: () => void;
    const worker: PoolWorker = {
      thread,
      port: port1,
      control: new Int32Array(controlBuffer),
      call: null,
      lastLoop: null,
      retiring: false,
      failed: false,
      exited: new Promise<void>((resolve) => (resolveExited = resolve)),
      graceTimer: null,
    };
    port1.on("message", (message: FromWorker | WorkerNotice) => this.#onMessage(worker, message));
    thread.on("error", (error) => this.#onCrash(worker, error));
    thread.on("exit", (code) => {
      this.#onExit(worker, code);
      resolveExited();
    });
    this.#workers.push(worker);
    return worker;
  }

  #send(worker: PoolWorker, call: Call): void {
    Atomics.store(worker.control, CONTROL_CALL_ID, call.id);
    Atomics.store(worker.control, CONTROL_SLOT, SLOT_SENT);
    try {
      worker.port.postMessage({ type: "call", id: call.id, fn: call.spec, args: call.args }, call.transferList as never);
    } catch (error) {
      Atomics.store(worker.control, CONTROL_SLOT, SLOT_FREE);
      throw cloneError(error);
    }
    worker.call = call;
    call.worker = worker;
    call.future._markRunning();
    if (call.loop !== null) worker.lastLoop = call.loop;
    // Busy: the thread and its port keep the process alive until the outcome arrives.
    worker.thread.ref();
    worker.port.ref();
  }

  #becomeIdle(worker: PoolWorker): void {
    worker.call = null;
    if (worker.retiring) return;
    // Next queued call that was not cancelled meanwhile.
    while (this.#queueHead < this.#queue.length) {
      const call = this.#queue[this.#queueHead];
      this.#queue[this.#queueHead++] = undefined as unknown as Call;
      this.#compactQueue();
      try {
        this.#send(worker, call);
        return;
      } catch (error) {
        call.future._settle(false, error);
      }
    }
    if (this.#shutdown) {
      this.#retire(worker);
      return;
    }
    worker.thread.unref();
    worker.port.unref();
    this.#idle.push(worker);
  }

  #compactQueue(): void {
    if (this.#queueHead > 1024 && this.#queueHead * 2 > this.#queue.length) {
      this.#queue.splice(0, this.#queueHead);
      this.#queueHead = 0;
    }
  }

  #onMessage(worker: PoolWorker, message: FromWorker | WorkerNotice): void {
    switch (message.type) {
      case "done": {
        const call = worker.call;
        if (call === null || call.id !== message.id) return;
        this.#clearGrace(worker);
        call.worker = null;
        if (message.ok) call.future._settle(true, message.value);
        else call.future._settle(false, rebuildError(message.error!, call.spec));
        this.#becomeIdle(worker);
        return;
      }
      case "skipped": {
        const call = worker.call;
        if (call === null || call.id !== message.id) return;
        call.worker = null;
        this.#becomeIdle(worker);
        return;
      }
      case "coroutine":
        serveCoroutine(this.#loopFor(worker, message.callId), message);
        return;
      case "callback":
        serveCallback(this.#loopFor(worker, message.callId), message);
        return;
      case "crashed":
        this.#onCrash(worker, deserializeError(message.error, makeKnownError));
        return;
      case "exiting":
        if (!worker.retiring) this.#failCall(worker, new RuntimeError(`the worker thread exited (process.exit(${message.code})) while running ${describeCall(worker.call)}: in a worker, process.exit() ends the thread`));
        return;
    }
  }

  #loopFor(worker: PoolWorker, callId: number): EventLoop | null {
    const call = worker.call;
    return (call !== null && call.id === callId ? call.loop : null) ?? worker.lastLoop;
  }

  #onCrash(worker: PoolWorker, error: unknown): void {
    if (worker.retiring) return;
    this.#failCall(worker, error);
  }

  #failCall(worker: PoolWorker, error: unknown): void {
    worker.failed = true;
    const call = worker.call;
    if (call !== null) {
      worker.call = null;
      call.worker = null;
      call.future._settle(false, error);
    }
  }

  #onExit(worker: PoolWorker, code: number): void {
    this.#clearGrace(worker);
    if (!worker.retiring && !worker.failed && worker.call !== null) {
      this.#failCall(worker, new RuntimeError(`the worker thread exited with code ${code} while running ${describeCall(worker.call)}`));
    }
    worker.port.close();
    removeItem(this.#workers, worker);
    removeItem(this.#idle, worker);
    // Keep the capacity: a queued call gets a new thread.
    if (this.#queueHead < this.#queue.length && this.#workers.length < this.#maxWorkers) this.#becomeIdle(this.#spawn());
  }

  #retire(worker: PoolWorker): void {
    if (worker.retiring) return;
    worker.retiring = true;
    removeItem(this.#idle, worker);
    void worker.thread.terminate();
  }

  /** The onCancel hook of a call's future: true when the future may be marked cancelled. */
  #cancel(call: Call): boolean {
    const worker = call.worker;
    if (worker === null) {
      const index = this.#queue.indexOf(call, this.#queueHead);
      if (index >= 0) this.#queue.splice(index, 1);
      return true;
    }
    const control = worker.control;
    if (Atomics.load(control, CONTROL_CALL_ID) !== call.id) return true;
    const previous = Atomics.compareExchange(control, CONTROL_SLOT, SLOT_SENT, SLOT_SKIP);
    if (previous === SLOT_SENT) return true; // never starts: the worker answers "skipped"
    if (previous === SLOT_RUNNING && Atomics.compareExchange(control, CONTROL_SLOT, SLOT_RUNNING, SLOT_ABORT) === SLOT_RUNNING) {
      worker.port.postMessage({ type: "abort", id: call.id });
      const terminate = (): void => {
        worker.graceTimer = null;
        if (worker.call === call) {
          // The call ignored its signal: end the thread; #onExit replaces it if work is waiting.
          worker.call = null;
          call.worker = null;
          this.#retire(worker);
        }
      };
      if (this.#grace === 0) terminate();
      else {
        worker.graceTimer = setTimeout(terminate, this.#grace * 1000);
        worker.graceTimer.unref?.();
      }
    }
    return true;
  }

  #clearGrace(worker: PoolWorker): void {
    if (worker.graceTimer !== null) {
      clearTimeout(worker.graceTimer);
      worker.graceTimer = null;
    }
  }

  /**
   * Blocks this thread until a worker posts something (or `deadline`), then
   * handles every message already there: how `future.result(timeout)` waits
   * for a pool call without the event loop.
   */
  #pump(deadline: number): void {
    const seen = Atomics.load(this.#postedWord, 0);
    let handled = false;
    for (const worker of this.#workers.slice()) {
      for (let m = receiveMessageOnPort(worker.port); m !== undefined; m = receiveMessageOnPort(worker.port)) {
        handled = true;
        this.#onMessage(worker, m.message as FromWorker);
      }
    }
    if (handled) return;
    const remaining = deadline - performance.now();
    if (remaining <= 0) return;
    Atomics.wait(this.#postedWord, 0, seen, Math.min(remaining, 1000));
  }
}

/** Messages the worker entry posts about itself. */
type WorkerNotice = { type: "crashed"; error: SerializedError } | { type: "exiting"; code: number };

function rebuildError(data: SerializedError, spec: FunctionSpec): unknown {
  const error = deserializeError(data, makeKnownError);
  if (data.notSelfContained && spec.kind === "source") {
    return new ReferenceError(
      `${(error as Error).message} in the worker thread: function ${spec.name || "<anonymous>"} was sent as source code, ` +
        `so it must be self-contained: it may use its parameters and globals, but not variables, imports or functions ` +
        `from around it. Pass what it needs as arguments, or export it from a module and pass ` +
        `moduleFunction(new URL("./module.js", import.meta.url), "${spec.name || "name"}"), which can import anything.`,
      { cause: error },
    );
  }
  return error;
}

function cloneError(error: unknown): unknown {
  if (error instanceof Error && (error.name === "DataCloneError" || /could not be cloned|transfer/i.test(error.message))) {
    return new TypeError(`the arguments cannot be sent to a worker thread (they travel by structured clone): ${error.message}`, { cause: error });
  }
  return error;
}

/** A queued call's arguments are checked now, so a bad one fails at submit(), not later. */
function checkCloneable(call: Call): void {
  try {
    structuredClone(call.args);
  } catch (error) {
    throw cloneError(error);
  }
}

function withDeadline<T>(future: ConcurrentFuture<T>, deadline: number, timeout: number | null): Promise<T> {
  if (deadline === Infinity || future.done()) return Promise.resolve(future);
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new TimeoutError(`map() timed out after ${timeout} second(s)`)), Math.max(0, deadline - performance.now()));
    future.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

function describeCall(call: Call | null): string {
  if (call === null) return "nothing";
  return call.spec.kind === "source" ? `function ${call.spec.name || "<anonymous>"}` : `${call.spec.exportName} from ${call.spec.url}`;
}

function removeItem<T>(array: T[], item: T): void {
  const index = array.indexOf(item);
  if (index >= 0) array.splice(index, 1);
}
