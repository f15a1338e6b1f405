import { availableParallelism } from "node:os";
import { MessageChannel, receiveMessageOnPort, type ResourceLimits } from "node:worker_threads";
import type { EventLoop, Executor } from "@asyncio-ts/loop";
import { RuntimeError } from "@asyncio-ts/loop";
import { checkOptionNames, describeValue, getRunningLoopOrNull } from "@asyncio-ts/loop/lowlevel";
import { attachHooks, ConcurrentFuture } from "./concurrent-future.js";
import { functionSpec } from "./internal/function-spec.js";
import { makeKnownError, serveCallback, serveCoroutine } from "./internal/loop-requests.js";
import {
  CONTROL_WORDS,
  deserializeError,
  idWord,
  MSG_ABORT,
  MSG_CALLS,
  MSG_DONE,
  PIPELINE_DEPTH,
  SLOT_ABORT,
  SLOT_FREE,
  SLOT_RUNNING,
  SLOT_SENT,
  SLOT_SKIP,
  stateWord,
  type FromWorker,
  type FunctionSpec,
  type SerializedError,
} from "./internal/protocol.js";
import { startWorker } from "./internal/worker-path.js";
import { CallQueue } from "./internal/call-queue.js";
import { Call, checkCloneable, cloneError, describeCall, PoolFuture, rebuildError, type PoolAccess } from "./internal/pool-call.js";
import { firstCall, TAKEN, type PoolWorker, type Slot } from "./internal/pool-worker.js";
import { TimeoutError } from "@asyncio-ts/combinators";
import type { Future } from "@asyncio-ts/tasks";
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

let nextCallId = 1;
let nextSeq = 1;
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
 * keeps the process alive. A busy worker is sent its next call before the
 * current one ends (so it never waits for a round trip); such a call has not
 * started (`running()` is false) and counts as queued.
 *
 * Cancellation: `future.cancel()` on a queued call (also one sent ahead)
 * removes it (it never runs);
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
  /** Calls waiting for a worker. */
  readonly #queue = new CallQueue();
  #shutdown = false;
  #threadCount = 0;
  /** Bumped by every worker message: a thread blocked in result() sleeps on it. */
  readonly #posted = new SharedArrayBuffer(4);
  readonly #postedWord = new Int32Array(this.#posted);
  readonly #access: PoolAccess = {
    blocker: { wait: (deadline) => this.#pump(deadline) },
    cancel: (call) => this.#cancel(call),
  };

  constructor(options: ThreadPoolExecutorOptions = {}) {
    if (options === null || typeof options !== "object") throw new TypeError(`ThreadPoolExecutor options must be an object, got ${describeValue(options)}`);
    checkOptionNames(options, ["maxWorkers", "cancelGracePeriod", "threadNamePrefix", "resourceLimits"], "ThreadPoolExecutor");
    const { maxWorkers, cancelGracePeriod = 1, threadNamePrefix, resourceLimits } = options;
    if (maxWorkers !== undefined && maxWorkers !== null) {
      if (typeof maxWorkers !== "number") throw new TypeError(`maxWorkers must be a number, got ${describeValue(maxWorkers)}`);
      if (!Number.isInteger(maxWorkers) || maxWorkers <= 0) throw new RangeError(`maxWorkers must be an integer greater than 0, got ${maxWorkers}`);
    }
    if (typeof cancelGracePeriod !== "number" || Number.isNaN(cancelGracePeriod) || cancelGracePeriod < 0) {
      throw new RangeError(`cancelGracePeriod must be a number of seconds >= 0, got ${describeValue(cancelGracePeriod)}`);
    }
    if (threadNamePrefix !== undefined && typeof threadNamePrefix !== "string") {
      throw new TypeError(`ThreadPoolExecutor() threadNamePrefix must be a string, got ${describeValue(threadNamePrefix)}`);
    }
    if (resourceLimits !== undefined && (resourceLimits === null || typeof resourceLimits !== "object")) {
      throw new TypeError(`ThreadPoolExecutor() resourceLimits must be an object (Node's Worker resourceLimits), got ${describeValue(resourceLimits)}`);
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
    const call = this.#call(fn, args, getRunningLoopOrNull(), () => new ConcurrentFuture<unknown>(), "submit");
    attachHooks(call.future as ConcurrentFuture<unknown>, call);
    this.#start(call);
    return call.future as unknown as ConcurrentFuture<Awaited<ReturnType<F>>>;
  }

  /**
   * The loop's fast path (`loop.runInExecutor(pool, ...)`, `toThread()`):
   * as `submit()`, but the result is an asyncio `Future` of `loop`, settled
   * straight from the worker's answer; cancelling it cancels the call.
   */
  submitOnLoop<F extends AnyFunction>(loop: EventLoop, fn: F, ...args: unknown[]): Future<Awaited<ReturnType<F>>> {
    // Reached through loop.runInExecutor() (toThread() checks its function itself, first).
    const call = this.#call(fn, args, loop, () => new PoolFuture<unknown>({ loop }), "runInExecutor");
    (call.future as PoolFuture<unknown>).call = call;
    this.#start(call);
    return call.future as Future<Awaited<ReturnType<F>>>;
  }

  /** A new call, once the pool is open and `fn` and `args` can be sent (its future is made only then). */
  #call(fn: AnyFunction, args: unknown[], loop: EventLoop | null, makeFuture: () => Call["future"], where: string): Call {
    if (this.#shutdown) throw new RuntimeError("cannot schedule new futures after shutdown");
    const spec = functionSpec(fn, where);
    const unwrapped = unwrapTransfers(args);
    return new Call(this.#access, nextCallId++, spec, unwrapped.args, unwrapped.transferList, makeFuture(), loop);
  }

  /** Sends `call` to a worker with room, or queues it (checking now that its arguments can be sent). */
  #start(call: Call): void {
    const worker = this.#queue.waiting > 0 ? null : this.#workerFor();
    if (worker !== null) {
      try {
        this.#post(worker, [call]);
      } catch (error) {
        if (worker.inFlight === 0) this.#rest(worker);
        throw error;
      }
    } else {
      checkCloneable(call);
      this.#queue.push(call);
    }
  }

  /**
   * `fn` applied to the items of `iterables` taken in step (like Python's
   * `map`), all submitted now; results come in order. `timeout` (seconds,
   * counted from this call) makes the iteration throw `TimeoutError` when a
   * result is not ready in time. Leaving the loop early cancels what is left.
   */
  map<R>(fn: (...args: never[]) => R | PromiseLike<R>, ...iterablesAndOptions: (Iterable<unknown> | { timeout?: number | null })[]): AsyncGenerator<Awaited<R>, void, undefined> {
    // Up front, as the error would otherwise name submit(), or not come at all for empty iterables.
    functionSpec(fn, "map");
    let timeout: number | null = null;
    const last = iterablesAndOptions[iterablesAndOptions.length - 1];
    if (last !== undefined && last !== null && typeof last === "object" && !(Symbol.iterator in last)) {
      checkOptionNames(last, ["timeout"], "map");
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
   * Stops taking work. Queued calls (including those sent ahead to a worker
   * and not started) still run unless `cancelFutures` is set (then they are
   * cancelled and never run); running calls finish; then the worker threads
   * end. With `wait` (the default) the returned promise settles when every
   * thread has ended; without, at once.
   */
  shutdown(options: { wait?: boolean; cancelFutures?: boolean } = {}): Promise<void> {
    if (options !== undefined && options !== null && typeof options !== "object") {
      // Python's shutdown(False) means wait=False; here it was ignored, and shutdown() waited.
      const hint = typeof options === "boolean" ? ` (for Python's shutdown(${options ? "True" : "False"}), pass { wait: ${options} })` : "";
      throw new TypeError(`shutdown() takes an options object ({ wait, cancelFutures }), got ${describeValue(options)}${hint}`);
    }
    checkOptionNames(options, ["wait", "cancelFutures"], "shutdown");
    const { wait = true, cancelFutures = false } = options ?? {};
    this.#shutdown = true;
    if (cancelFutures) {
      for (let call = this.#queue.shift(); call !== null; call = this.#queue.shift()) call.future.cancel();
      // Calls sent ahead count as queued; a worker's first call counts as running, as it would
      // without the pipelining (it starts as soon as the thread is ready).
      for (const worker of this.#workers) {
        const first = firstCall(worker);
        for (let slot = 0; slot < PIPELINE_DEPTH; slot++) if (worker.slots[slot] !== first) this.#takeBack(worker, slot)?.future.cancel();
      }
    }
    for (const worker of this.#workers.slice()) if (worker.inFlight === 0) this.#retire(worker);
    if (!wait) return Promise.resolve();
    return this.#allExited();
  }

  /** `await using pool = new ThreadPoolExecutor()`: `shutdown({ wait: true })` at the end of the block. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.shutdown({ wait: true });
  }

  /** Debug information: threads, busy threads, and calls waiting to start (queued, or sent ahead to a worker). */
  statistics(): { workers: number; busy: number; queued: number } {
    let busy = 0;
    let waiting = this.#queue.waiting;
    for (const worker of this.#workers) {
      let calls = 0;
      for (let slot = 0; slot < PIPELINE_DEPTH; slot++) {
        const entry = worker.slots[slot];
        if (entry === null || entry === TAKEN) continue;
        calls++;
        if (Atomics.load(worker.control, stateWord(slot)) === SLOT_SENT) waiting++;
      }
      if (calls > 0) busy++;
    }
    return { workers: this.#activeWorkers(), busy, queued: waiting };
  }

  toString(): string {
    const s = this.statistics();
    return `<ThreadPoolExecutor maxWorkers=${this.#maxWorkers} workers=${s.workers} busy=${s.busy} queued=${s.queued}${this.#shutdown ? " shutdown" : ""}>`;
  }

  // ---- internals ---------------------------------------------------------------
  //
  // Each worker holds up to PIPELINE_DEPTH calls: the one it runs and the next,
  // sent ahead so that it starts the moment the first ends, without a round
  // trip through this thread. A call sent ahead has not started: the worker
  // claims it in shared memory (SENT -> RUNNING) when it starts it, and this
  // thread can take it back first (SENT -> SKIP) to cancel it or to give it to
  // a worker that has nothing to do.

  /**
   * Workers that take calls. One that is ending (retired, crashed) is replaced
   * at once, not when it has exited: a thread blocked in result() cannot see
   * the exit, but sees the replacement's messages.
   */
  #activeWorkers(): number {
    let count = 0;
    for (const worker of this.#workers) if (!worker.retiring && !worker.failed) count++;
    return count;
  }

  async #allExited(): Promise<void> {
    while (this.#workers.length > 0) await Promise.all(this.#workers.map((w) => w.exited));
  }

  /** A worker for a new call: an idle one, a new one, or one with room for a call ahead; null when all are full. */
  #workerFor(): PoolWorker | null {
    let best: PoolWorker | null = null;
    for (const worker of this.#workers) {
      if (worker.retiring || worker.failed || worker.gone) continue;
      if (worker.inFlight === 0) return worker;
      if (worker.inFlight < PIPELINE_DEPTH && (best === null || worker.inFlight < best.inFlight)) best = worker;
    }
    if (this.#activeWorkers() < this.#maxWorkers) return this.#spawn();
    return best;
  }

  #spawn(): PoolWorker {
    const { port1, port2 } = new MessageChannel();
    const controlBuffer = new SharedArrayBuffer(CONTROL_WORDS * 4);
    const thread = startWorker({
      name: `${this.#prefix}_${this.#threadCount++}`,
      resourceLimits: this.#resourceLimits,
      workerData: { asyncioTs: { port: port2, control: controlBuffer, posted: this.#posted } },
      transferList: [port2],
    });
    let resolveExited!: () => void;
    const worker: PoolWorker = {
      thread,
      port: port1,
      control: new Int32Array(controlBuffer),
      slots: new Array<Slot>(PIPELINE_DEPTH).fill(null),
      inFlight: 0,
      known: new Set(),
      lastLoop: null,
      retiring: false,
      failed: false,
      answered: false,
      exited: new Promise<void>((resolve) => (resolveExited = resolve)),
      graceTimer: null,
      graceCall: null,
      gone: false,
    };
    port1.on("message", (message: FromWorker | WorkerNotice) => this.#onMessage(worker, message));
    thread.on("error", (error) => this.#onError(worker, error));
    thread.on("exit", (code) => {
      this.#onExit(worker, code);
      resolveExited();
    });
    // Idle until it gets a call: an idle worker never keeps the process alive.
    thread.unref();
    port1.unref();
    this.#workers.push(worker);
    return worker;
  }

  /**
   * Sends `calls` to `worker` in one message, each into a free slot. Throws
   * (a TypeError for arguments that cannot be cloned) with nothing sent.
   */
  #post(worker: PoolWorker, calls: Call[]): void {
    const control = worker.control;
    const message: unknown[] = [MSG_CALLS];
    let transferList: Transferable[] | undefined;
    let newSpecs: number[] | undefined;
    let slot = 0;
    for (const call of calls) {
      while (worker.slots[slot] !== null) slot++;
      const spec = call.spec;
      let fnRef: FunctionSpec | number = spec.id;
      if (!worker.known.has(spec.id) && !newSpecs?.includes(spec.id)) {
        fnRef = spec;
        (newSpecs ??= []).push(spec.id);
      }
      message.push(slot, call.id, fnRef, call.args);
      call.seq = nextSeq++;
      if (call.transferList.length > 0) (transferList ??= []).push(...call.transferList);
      call.slot = slot++;
    }
    for (const call of calls) {
      Atomics.store(control, idWord(call.slot), call.id);
      Atomics.store(control, stateWord(call.slot), SLOT_SENT);
    }
    try {
      if (transferList === undefined) worker.port.postMessage(message);
      else worker.port.postMessage(message, transferList as never);
    } catch (error) {
      for (const call of calls) Atomics.store(control, stateWord(call.slot), SLOT_FREE);
      throw cloneError(error);
    }
    if (newSpecs !== undefined) for (const id of newSpecs) worker.known.add(id);
    if (worker.inFlight === 0) {
      // Busy: the thread and its port keep the process alive until its calls are answered.
      worker.thread.ref();
      worker.port.ref();
    }
    for (const call of calls) {
      worker.slots[call.slot] = call;
      call.worker = worker;
    }
    worker.inFlight += calls.length;
  }

  /** Tops `worker` up with queued calls, in one message. */
  #fill(worker: PoolWorker): void {
    while (this.#queue.waiting > 0 && worker.inFlight < PIPELINE_DEPTH) {
      const calls: Call[] = [];
      for (let room = PIPELINE_DEPTH - worker.inFlight; room > 0; room--) {
        const call = this.#queue.shift();
        if (call === null) break;
        calls.push(call);
      }
      if (calls.length === 0) return;
      try {
        this.#post(worker, calls);
      } catch {
        // One of them cannot be sent (a buffer detached since it was queued, say): send them one by one.
        for (const call of calls) {
          try {
            this.#post(worker, [call]);
          } catch (error) {
            call.settle(false, error);
          }
        }
      }
    }
  }

  /** Gives queued calls to every worker with room (idle ones first), starting workers as allowed. */
  #dispatch(): void {
    for (const worker of this.#workers) {
      if (this.#queue.waiting === 0) return;
      if (worker.inFlight === 0 && !worker.retiring && !worker.failed) this.#fillOne(worker);
    }
    while (this.#queue.waiting > 0 && this.#activeWorkers() < this.#maxWorkers) this.#fillOne(this.#spawn());
    for (const worker of this.#workers) {
      if (this.#queue.waiting === 0) return;
      if (!worker.retiring && !worker.failed) this.#fill(worker);
    }
  }

  #fillOne(worker: PoolWorker): void {
    for (let call = this.#queue.shift(); call !== null; call = this.#queue.shift()) {
      try {
        this.#post(worker, [call]);
        return;
      } catch (error) {
        call.settle(false, error);
      }
    }
  }

  /** A slot of `worker` was answered: give it more work, or let it rest. */
  #afterAnswer(worker: PoolWorker): void {
    if (worker.retiring || worker.failed || worker.gone) return;
    if (this.#queue.waiting > 0) this.#fill(worker);
    if (worker.inFlight === 0 && !this.#steal(worker)) this.#rest(worker);
  }

  /**
   * `idle` has nothing to do and the queue is empty: take the oldest call sent
   * ahead to another worker and not started yet, so that no call waits behind
   * a running one while a thread is free.
   */
  #steal(idle: PoolWorker): boolean {
    for (;;) {
      let victim: PoolWorker | null = null;
      let victimSlot = -1;
      let oldest: Call | null = null;
      for (const worker of this.#workers) {
        if (worker === idle) continue;
        const first = firstCall(worker); // it starts as soon as that worker is ready: left there
        for (let slot = 0; slot < PIPELINE_DEPTH; slot++) {
          const entry = worker.slots[slot];
          if (entry === null || entry === TAKEN || entry === first || entry.transferList.length > 0) continue;
          if (Atomics.load(worker.control, stateWord(slot)) !== SLOT_SENT) continue;
          if (oldest === null || entry.id < oldest.id) {
            oldest = entry;
            victim = worker;
            victimSlot = slot;
          }
        }
      }
      if (victim === null) return false;
      const call = this.#takeBack(victim, victimSlot);
      if (call === null) continue; // it started meanwhile: look again
      try {
        this.#post(idle, [call]);
        return true;
      } catch (error) {
        call.settle(false, error);
      }
    }
  }

  /**
   * Takes back the call in `slot` of `worker` if it has not started
   * (SENT -> SKIP; the worker will skip it and answer "skipped"). Returns it,
   * detached from the worker, or null.
   */
  #takeBack(worker: PoolWorker, slot: number): Call | null {
    const entry = worker.slots[slot];
    if (entry === null || entry === TAKEN) return null;
    if (Atomics.load(worker.control, idWord(slot)) !== entry.id) return null;
    if (Atomics.compareExchange(worker.control, stateWord(slot), SLOT_SENT, SLOT_SKIP) !== SLOT_SENT) return null;
    worker.slots[slot] = TAKEN;
    entry.worker = null;
    return entry;
  }

  /** Nothing for `worker` to do: it rests (never keeping the process alive), or ends after shutdown(). */
  #rest(worker: PoolWorker): void {
    if (this.#shutdown) {
      this.#retire(worker);
      return;
    }
    worker.thread.unref();
    worker.port.unref();
  }

  #onMessage(worker: PoolWorker, message: FromWorker | WorkerNotice): void {
    if (Array.isArray(message)) {
      const slot = message[1];
      const entry = worker.slots[slot];
      if (entry === null) return;
      if (entry !== TAKEN && entry.id !== message[2]) return;
      worker.slots[slot] = null;
      worker.inFlight--;
      worker.answered = true;
      if (entry === TAKEN) {
        this.#afterAnswer(worker);
        return;
      }
      entry.worker = null;
      if (entry.loop !== null) worker.lastLoop = entry.loop;
      if (message[0] !== MSG_DONE) {
        // Skipped without being taken back: cannot happen; it never ran, so it runs elsewhere.
        this.#queue.requeue([entry], null);
        this.#afterAnswer(worker);
        this.#dispatch();
        return;
      }
      if (worker.graceCall === entry) this.#clearGrace(worker);
      // Next call first, so the worker's queue stays full, then the outcome.
      this.#afterAnswer(worker);
      if (message[3] === 1) entry.settle(true, message[4]);
      else entry.settle(false, rebuildError(message[4] as SerializedError, entry.spec));
      return;
    }
    switch (message.type) {
      case "coroutine":
        serveCoroutine(this.#loopFor(worker, message.callId), message);
        return;
      case "callback":
        serveCallback(this.#loopFor(worker, message.callId), message);
        return;
      case "crashed":
        if (!worker.retiring && !worker.failed) this.#fail(worker, deserializeError(message.error, makeKnownError), false);
        return;
      case "exiting":
        if (!worker.retiring && !worker.failed) {
          this.#fail(worker, new RuntimeError(`the worker thread exited (process.exit(${message.code})) while running ${describeCall(this.#runningCall(worker))}: in a worker, process.exit() ends the thread`), false);
        }
        return;
    }
  }

  #loopFor(worker: PoolWorker, callId: number): EventLoop | null {
    for (const entry of worker.slots) if (entry !== null && entry !== TAKEN && entry.id === callId) return entry.loop ?? worker.lastLoop;
    return worker.lastLoop;
  }

  /** The call `worker` has started and not answered, if any. */
  #runningCall(worker: PoolWorker): Call | null {
    for (let slot = 0; slot < PIPELINE_DEPTH; slot++) {
      const entry = worker.slots[slot];
      if (entry === null || entry === TAKEN) continue;
      const state = Atomics.load(worker.control, stateWord(slot));
      if (state === SLOT_RUNNING || state === SLOT_ABORT) return entry;
    }
    return null;
  }

  /**
   * The thread reported an error of its own (it ran out of memory, or could
   * not start): the call it was running fails with it. If it never ran
   * anything, every call sent to it fails too (another thread would fail the
   * same way).
   */
  #onError(worker: PoolWorker, error: unknown): void {
    if (worker.retiring) return;
    this.#drainPort(worker);
    if (worker.failed) return;
    this.#fail(worker, error, !worker.answered && this.#runningCall(worker) === null);
  }

  /**
   * `worker` is dying: it gets no more calls, the call it was running fails
   * with `error`, and the calls sent ahead fail too (`all`: the thread could
   * not run anything) or, not started, go back to the queue for another thread.
   */
  #fail(worker: PoolWorker, error: unknown, all: boolean): void {
    worker.failed = true;
    this.#clearGrace(worker);
    const requeue: Call[] = [];
    for (let slot = 0; slot < PIPELINE_DEPTH; slot++) {
      const taken = all ? null : this.#takeBack(worker, slot);
      if (taken !== null) {
        requeue.push(taken);
        continue;
      }
      const entry = worker.slots[slot];
      if (entry === null || entry === TAKEN) continue;
      worker.slots[slot] = TAKEN; // answered here; a late answer from the thread is ignored
      entry.worker = null;
      entry.settle(false, error);
    }
    this.#queue.requeue(requeue, error);
    this.#dispatch();
  }

  /** Handles what `worker` posted and this thread has not read yet (its outcomes come before news of its end). */
  #drainPort(worker: PoolWorker): void {
    for (let m = receiveMessageOnPort(worker.port); m !== undefined; m = receiveMessageOnPort(worker.port)) this.#onMessage(worker, m.message as FromWorker);
  }

  #onExit(worker: PoolWorker, code: number): void {
    worker.gone = true; // what the port still holds is answered, but nothing more is sent to it
    this.#drainPort(worker);
    this.#clearGrace(worker);
    if (!worker.retiring && !worker.failed) {
      this.#fail(worker, new RuntimeError(`the worker thread exited with code ${code} while running ${describeCall(this.#runningCall(worker))}`), false);
    } else {
      // Retired: whatever it still held never started (or was cancelled).
      const requeue: Call[] = [];
      for (let slot = 0; slot < PIPELINE_DEPTH; slot++) {
        const taken = this.#takeBack(worker, slot);
        if (taken !== null) requeue.push(taken);
        else {
          const entry = worker.slots[slot];
          if (entry !== null && entry !== TAKEN) {
            entry.worker = null;
            entry.settle(false, new RuntimeError(`the worker thread exited with code ${code} while running ${describeCall(entry)}`));
          }
        }
      }
      this.#queue.requeue(requeue, null);
    }
    worker.slots.fill(null);
    worker.inFlight = 0;
    worker.port.close();
    removeItem(this.#workers, worker);
    // Keep the capacity: queued calls get a new thread.
    this.#dispatch();
  }

  #retire(worker: PoolWorker): void {
    if (worker.retiring) return;
    worker.retiring = true;
    void worker.thread.terminate();
  }

  /** The onCancel hook of a call's future: true when the future may be marked cancelled. */
  #cancel(call: Call): boolean {
    if (this.#queue.withdraw(call)) return true;
    const worker = call.worker;
    if (worker === null) return true;
    if (this.#takeBack(worker, call.slot) !== null) return true; // never starts: the worker answers "skipped"
    const control = worker.control;
    const slot = call.slot;
    if (Atomics.load(control, idWord(slot)) !== call.id) return true;
    if (Atomics.compareExchange(control, stateWord(slot), SLOT_RUNNING, SLOT_ABORT) === SLOT_RUNNING) {
      worker.port.postMessage([MSG_ABORT, call.id]);
      const terminate = (): void => {
        worker.graceTimer = null;
        worker.graceCall = null;
        if (worker.slots[slot] !== call || worker.gone) return; // it returned after all
        // Take back what was sent ahead (calls that can be sent again); if the call is still
        // running then, nothing else can start on this thread: end it, taking back the rest
        // (their moved buffers go with it), and #dispatch() starts a replacement.
        const requeue: Call[] = [];
        for (let s = 0; s < PIPELINE_DEPTH; s++) {
          const entry = worker.slots[s];
          if (entry === null || entry === TAKEN || entry.transferList.length > 0) continue;
          const taken = this.#takeBack(worker, s);
          if (taken !== null) requeue.push(taken);
        }
        if (Atomics.load(control, stateWord(slot)) === SLOT_ABORT) {
          for (let s = 0; s < PIPELINE_DEPTH; s++) {
            const taken = this.#takeBack(worker, s);
            if (taken !== null) requeue.push(taken);
          }
          worker.slots[slot] = TAKEN;
          call.worker = null;
          this.#retire(worker);
        }
        this.#queue.requeue(requeue, null);
        this.#dispatch();
      };
      this.#clearGrace(worker);
      if (this.#grace === 0) terminate();
      else {
        worker.graceCall = call;
        worker.graceTimer = setTimeout(terminate, this.#grace * 1000);
        worker.graceTimer.unref?.();
      }
    }
    return true;
  }

  #clearGrace(worker: PoolWorker): void {
    worker.graceCall = null;
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

function removeItem<T>(array: T[], item: T): void {
  const index = array.indexOf(item);
  if (index >= 0) array.splice(index, 1);
}
