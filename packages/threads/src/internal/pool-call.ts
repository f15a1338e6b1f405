import type { EventLoop } from "@asyncio-ts/loop";
import { CancelledError, Future } from "@asyncio-ts/tasks";
import { ConcurrentFuture, type Blocker, type FutureHooks } from "../concurrent-future.js";
import { deserializeError, idWord, SLOT_ABORT, SLOT_RUNNING, stateWord, type FunctionSpec, type SerializedError } from "./protocol.js";
import { makeKnownError } from "./loop-requests.js";
import type { PoolWorker } from "./pool-worker.js";

/** What a pool's calls need from it (the pool's private methods, reachable from a Call). */
export interface PoolAccess {
  readonly blocker: Blocker;
  cancel(call: Call): boolean;
}

/**
 * A submitted call; also its future's hooks. Invariant: `worker` is set
 * exactly while the call is in one of that worker's slots (sent, running, or
 * cancelled while running and not yet answered), and `queued` exactly while it
 * waits in the pool's queue.
 */
export class Call implements FutureHooks {
  worker: PoolWorker | null = null;
  slot = -1;
  /** Order of sending (a worker runs its calls in this order). */
  seq = 0;
  queued = false;
  constructor(
    readonly pool: PoolAccess,
    readonly id: number,
    readonly spec: FunctionSpec,
    readonly args: unknown[],
    readonly transferList: Transferable[],
    /** A ConcurrentFuture, or (for toThread()) the asyncio Future itself. */
    readonly future: ConcurrentFuture<unknown> | Future<unknown>,
    /** The loop running when it was submitted: where the worker's calls back go. */
    readonly loop: EventLoop | null,
  ) {}

  /** Settles the future with the call's outcome (ignored if it is done already: a cancel won the race). */
  settle(ok: boolean, value: unknown): void {
    const future = this.future;
    if (future instanceof ConcurrentFuture) {
      future._settle(ok, value);
      return;
    }
    // An asyncio Future, settled as wrapping the ConcurrentFuture would settle it.
    if (future.done() || future.getLoop().isClosed()) return;
    if (ok) future.setResult(value);
    else if (value instanceof CancelledError) future.cancel(value.message || undefined);
    else future.setException(value);
  }

  get blocker(): Blocker {
    return this.pool.blocker;
  }

  onCancel(): boolean {
    return this.pool.cancel(this);
  }

  /** Started on its worker (a call sent ahead is not, until the worker claims it). */
  isRunning(): boolean {
    const worker = this.worker;
    if (worker === null) return false;
    const state = Atomics.load(worker.control, stateWord(this.slot));
    return (state === SLOT_RUNNING || state === SLOT_ABORT) && Atomics.load(worker.control, idWord(this.slot)) === this.id;
  }
}

/**
 * The asyncio Future toThread() gets: cancelling it cancels the call at once
 * (a call that has not started never does), without a done callback and a
 * loop turn in between.
 */
export class PoolFuture<T> extends Future<T> {
  call: Call | null = null;

  /** Shown as the plain future asyncio's run_in_executor() returns. */
  override _kindName(): string {
    return "Future";
  }

  override cancel(msg?: string): boolean {
    if (!super.cancel(msg)) return false;
    const call = this.call;
    if (call !== null) {
      this.call = null;
      call.pool.cancel(call);
    }
    return true;
  }
}

export function rebuildError(data: SerializedError, spec: FunctionSpec): unknown {
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

export function cloneError(error: unknown): unknown {
  if (error instanceof Error && (error.name === "DataCloneError" || /could not be cloned|transfer/i.test(error.message))) {
    return new TypeError(`the arguments cannot be sent to a worker thread (they travel by structured clone): ${error.message}`, { cause: error });
  }
  return error;
}

/** A queued call's arguments are checked now, so a bad one fails at submit(), not later. */
export function checkCloneable(call: Call): void {
  let plain = true;
  for (const arg of call.args) {
    if (arg !== null && (typeof arg === "object" || typeof arg === "function")) {
      plain = false;
      break;
    }
  }
  if (plain) return; // numbers, strings, booleans... always clone
  try {
    structuredClone(call.args);
  } catch (error) {
    throw cloneError(error);
  }
}

export function describeCall(call: Call | null): string {
  if (call === null) return "nothing";
  return call.spec.kind === "source" ? `function ${call.spec.name || "<anonymous>"}` : `${call.spec.exportName} from ${call.spec.url}`;
}
