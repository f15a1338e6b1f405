/**
 * The worker thread's entry (built to dist/worker.js): runs the calls its
 * pool sends, one at a time and in order, and posts each outcome. The pool
 * keeps the next call here before the running one ends (see PIPELINE_DEPTH),
 * so this thread does not sit idle for a round trip between calls; a call
 * that was sent but not started is claimed in shared memory when it starts,
 * so the pool can still take it back (cancel it, or move it to an idle
 * worker) and it never runs. Functions sent as source are compiled once per
 * worker; module functions are imported once (and cached).
 */
import { workerData } from "node:worker_threads";
import { CancelledError } from "@asyncio-ts/tasks";
import {
  idWord,
  MSG_ABORT,
  MSG_DONE,
  MSG_SKIPPED,
  SLOT_ABORT,
  SLOT_FREE,
  SLOT_RUNNING,
  SLOT_SENT,
  serializeError,
  stateWord,
  type FunctionSpec,
  type ToWorker,
  type WorkerSetup,
} from "./internal/protocol.js";
import { setWorkerContext, type WorkerContext } from "./internal/worker-context.js";
import { importExport } from "./module-function.js";
import { isTransfer, transfer } from "./transfer.js";

type AnyFunction = (...args: unknown[]) => unknown;

const setup = (workerData as { asyncioTs: WorkerSetup }).asyncioTs;
const port = setup.port;
const control = new Int32Array(setup.control);
const posted = new Int32Array(setup.posted);

/** Functions by spec id: compiled, imported, or (while importing) the import. */
const functions = new Map<number, AnyFunction | Promise<AnyFunction>>();
/** Compiled source functions by source text (specs of equal source share one). */
const compiled = new Map<string, AnyFunction>();

function post(message: unknown, transferList?: readonly Transferable[]): void {
  if (transferList === undefined || transferList.length === 0) port.postMessage(message);
  else port.postMessage(message, transferList as never);
  Atomics.add(posted, 0, 1);
  Atomics.notify(posted, 0);
}

/** The running call, as library code in this worker sees it (threadSignal(), calls back into the loop). */
class Current {
  #signal: AbortSignal | null = null;
  #controller: AbortController | null = null;
  constructor(
    readonly id: number,
    readonly slot: number,
  ) {}

  /** Made on first use: most calls never look at their signal. */
  get signal(): AbortSignal {
    if (this.#signal === null) {
      this.#controller = new AbortController();
      this.#signal = pollingSignal(this.#controller, this.slot, this.id);
      if (Atomics.load(control, stateWord(this.slot)) === SLOT_ABORT && Atomics.load(control, idWord(this.slot)) === this.id) this.abort();
    }
    return this.#signal;
  }

  abort(): void {
    const controller = this.#controller;
    if (controller !== null && !controller.signal.aborted) controller.abort(new CancelledError());
  }
}

/** `this` inside a function sent as source: `this.signal`, `this.transfer`. */
class CallThis {
  constructor(readonly current: Current) {}
  get signal(): AbortSignal {
    return this.current.signal;
  }
  get transfer(): typeof transfer {
    return transfer;
  }
}

const context: WorkerContext & { current: Current | null } = {
  post,
  current: null,
  lastCallId: 0,
};
setWorkerContext(context);

/** Calls received and not yet started or skipped, flat: slot, id, fn, args, ... */
let queue: unknown[] = [];
let head = 0;
/** True while a call is running (an async one across its awaits). */
let busy = false;

port.on("message", (message: ToWorker) => {
  if (message[0] === MSG_ABORT) {
    const current = context.current;
    if (current !== null && current.id === message[1]) current.abort();
    return;
  }
  if (head === queue.length) {
    queue = message;
    head = 1;
  } else {
    for (let i = 1; i < message.length; i++) queue.push(message[i]);
  }
  if (!busy) drain();
});

// A stray error (a callback thrown from a timer the function left behind) ends
// this worker: report it as the running call's failure first, then exit so the
// pool replaces the thread with a clean one.
process.on("uncaughtException", (error) => {
  post({ type: "crashed", error: serializeError(error) });
  process.exit(1);
});
process.on("exit", (code) => {
  post({ type: "exiting", code });
});

/** Runs the received calls in order, synchronously while they are; returns when one is async (it resumes after). */
function drain(): void {
  while (head < queue.length) {
    const slot = queue[head] as number;
    const id = queue[head + 1] as number;
    const fnRef = queue[head + 2] as FunctionSpec | number;
    const args = queue[head + 3] as unknown[];
    queue[head + 3] = undefined; // not kept alive by the queue
    head += 4;
    // A spec sent with a call is learnt even if the call is skipped (later calls name it by id).
    if (typeof fnRef !== "number") specs.set(fnRef.id, fnRef);
    // Claim the call; the pool may have taken it back while it was on its way or waiting here.
    if (Atomics.load(control, idWord(slot)) !== id) {
      post([MSG_SKIPPED, slot, id]); // cannot happen: the pool reuses a slot only once it is answered
      continue;
    }
    if (Atomics.compareExchange(control, stateWord(slot), SLOT_SENT, SLOT_RUNNING) !== SLOT_SENT) {
      Atomics.store(control, stateWord(slot), SLOT_FREE);
      post([MSG_SKIPPED, slot, id]);
      continue;
    }
    const current = new Current(id, slot);
    context.current = current;
    context.lastCallId = id;
    // Compiled or imported only now that the call has started: a module whose top level
    // ends the thread fails this call, instead of ending thread after thread.
    let fn: AnyFunction | Promise<AnyFunction>;
    try {
      fn = functionFor(typeof fnRef === "number" ? fnRef : fnRef.id);
    } catch (error) {
      finish(slot, id, false, error, fnRef);
      continue;
    }
    if (typeof fn !== "function") {
      busy = true;
      fn.then(
        (f) => run(f, args, slot, id, fnRef, current),
        (e: unknown) => {
          finish(slot, id, false, e, fnRef);
          resume();
        },
      );
      return;
    }
    if (!run(fn, args, slot, id, fnRef, current)) return;
  }
  queue.length = 0;
  head = 0;
}

/** Runs one claimed call; false when it went async (drain resumes when it settles). */
function run(fn: AnyFunction, args: unknown[], slot: number, id: number, fnRef: FunctionSpec | number, current: Current): boolean {
  let value: unknown;
  try {
    value = fn.apply(new CallThis(current), args);
  } catch (error) {
    finish(slot, id, false, error, fnRef);
    if (busy) resume();
    return true;
  }
  if (value !== null && (typeof value === "object" || typeof value === "function") && typeof (value as PromiseLike<unknown>).then === "function") {
    busy = true;
    Promise.resolve(value as PromiseLike<unknown>).then(
      (v) => {
        finish(slot, id, true, v, fnRef);
        resume();
      },
      (e: unknown) => {
        finish(slot, id, false, e, fnRef);
        resume();
      },
    );
    return false;
  }
  finish(slot, id, true, value, fnRef);
  if (busy) resume();
  return true;
}

function resume(): void {
  busy = false;
  drain();
}

function finish(slot: number, id: number, ok: boolean, value: unknown, fnRef: FunctionSpec | number): void {
  context.current = null;
  // Free the slot before posting: the pool may send the next call as soon as it reads the outcome.
  Atomics.store(control, stateWord(slot), SLOT_FREE);
  if (ok) {
    try {
      if (isTransfer(value)) post([MSG_DONE, slot, id, 1, value.value], value.list);
      else post([MSG_DONE, slot, id, 1, value]);
      return;
    } catch (error) {
      value = new TypeError(`the result of ${describeSpec(fnRef)} cannot be sent back to the calling thread: ${(error as Error).message}`);
    }
  }
  const serialized = serializeError(value);
  if (value instanceof ReferenceError && specOf(fnRef)?.kind === "source") serialized.notSelfContained = true;
  post([MSG_DONE, slot, id, 0, serialized]);
}

/** The function spec `id` names (compiled or imported the first time). */
function functionFor(id: number): AnyFunction | Promise<AnyFunction> {
  const known = functions.get(id);
  if (known !== undefined) return known;
  const spec = specs.get(id);
  if (spec === undefined) throw new Error(`internal error: function ${id} was never sent to this worker`);
  let fn: AnyFunction | Promise<AnyFunction>;
  if (spec.kind === "source") fn = compile(spec);
  else {
    fn = importExport(spec.url, spec.exportName).then(
      (f) => {
        functions.set(id, f as AnyFunction);
        return f as AnyFunction;
      },
      (error: unknown) => {
        functions.delete(id); // the next call tries again (and reports the error again)
        throw error;
      },
    );
  }
  functions.set(id, fn);
  return fn;
}

/** Every spec this worker was sent, by id. */
const specs = new Map<number, FunctionSpec>();

function specOf(fnRef: FunctionSpec | number): FunctionSpec | undefined {
  return typeof fnRef === "number" ? specs.get(fnRef) : fnRef;
}

function compile(spec: Extract<FunctionSpec, { kind: "source" }>): AnyFunction {
  let fn = compiled.get(spec.source);
  if (fn === undefined) {
    // Compiled at global scope: the function sees this worker's globals only.
    // `__name` is the helper esbuild's keepNames (tsx, vitest, tsup) inserts
    // into function bodies; it is provided so such a function stays self-contained.
    fn = new Function("__name", `return ${spec.source}`)(keepName) as AnyFunction;
    compiled.set(spec.source, fn);
  }
  return fn;
}

function keepName<T>(target: T, value: string): T {
  try {
    Object.defineProperty(target, "name", { value, configurable: true });
  } catch {
    // a frozen or odd target keeps its name
  }
  return target;
}

const abortedGetter = Object.getOwnPropertyDescriptor(AbortSignal.prototype, "aborted")!.get!;
const throwIfAborted = AbortSignal.prototype.throwIfAborted;

/**
 * The call's signal. A synchronous loop never lets the abort message in, so
 * reading `aborted` (or `throwIfAborted()`) also checks the shared word the
 * pool sets on cancellation.
 */
function pollingSignal(controller: AbortController, slot: number, id: number): AbortSignal {
  const signal = controller.signal;
  const poll = (): void => {
    if (abortedGetter.call(signal) || Atomics.load(control, stateWord(slot)) !== SLOT_ABORT) return;
    if (Atomics.load(control, idWord(slot)) === id) controller.abort(new CancelledError());
  };
  Object.defineProperty(signal, "aborted", {
    get() {
      if (!abortedGetter.call(signal)) poll();
      return abortedGetter.call(signal) as boolean;
    },
    configurable: true,
  });
  Object.defineProperty(signal, "throwIfAborted", {
    value() {
      poll();
      throwIfAborted.call(signal);
    },
    configurable: true,
  });
  return signal;
}

function describeSpec(fnRef: FunctionSpec | number): string {
  const spec = specOf(fnRef);
  if (spec === undefined) return "the function";
  return spec.kind === "source" ? `function ${spec.name || "<anonymous>"}` : `${spec.exportName} from ${spec.url}`;
}
