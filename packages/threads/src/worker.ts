/**
 * The worker thread's entry (built to dist/worker.js): takes one call at a
 * time from its pool, runs it, posts the outcome. Functions sent as source are
 * compiled once per worker; module functions are imported (and cached by the
 * module system).
 */
import { workerData } from "node:worker_threads";
import { CancelledError } from "@asyncio-ts/tasks";
import {
  CONTROL_CALL_ID,
  CONTROL_SLOT,
  SLOT_ABORT,
  SLOT_FREE,
  SLOT_RUNNING,
  SLOT_SENT,
  SLOT_SKIP,
  serializeError,
  type CallMessage,
  type FunctionSpec,
  type ToWorker,
  type WorkerSetup,
} from "./internal/protocol.js";
import { setWorkerContext, type WorkerContext } from "./internal/worker-context.js";
import { importExport } from "./module-function.js";
import { isTransfer, transfer } from "./transfer.js";

type AnyFunction = (...args: never[]) => unknown;

const setup = (workerData as { asyncioTs: WorkerSetup }).asyncioTs;
const port = setup.port;
const control = new Int32Array(setup.control);
const posted = new Int32Array(setup.posted);
const compiled = new Map<string, AnyFunction>();

const context: WorkerContext = {
  post(message, transferList) {
    port.postMessage(message, (transferList ?? []) as never);
    Atomics.add(posted, 0, 1);
    Atomics.notify(posted, 0);
  },
  current: null,
  lastCallId: 0,
};
setWorkerContext(context);

let abortCurrent: (() => void) | null = null;

port.on("message", (message: ToWorker) => {
  if (message.type === "call") void runCall(message);
  else if (message.type === "abort" && context.current?.id === message.id) abortCurrent?.();
});

// A stray error (a callback thrown from a timer the function left behind) ends
// this worker: report it as the running call's failure first, then exit so the
// pool replaces the thread with a clean one.
process.on("uncaughtException", (error) => {
  context.post({ type: "crashed", error: serializeError(error) });
  process.exit(1);
});
process.on("exit", (code) => {
  context.post({ type: "exiting", code });
});

async function runCall(message: CallMessage): Promise<void> {
  const { id, fn: spec } = message;
  // Claim the call; the pool may have cancelled it while it was on its way.
  if (Atomics.load(control, CONTROL_CALL_ID) !== id || Atomics.compareExchange(control, CONTROL_SLOT, SLOT_SENT, SLOT_RUNNING) !== SLOT_SENT) {
    Atomics.compareExchange(control, CONTROL_SLOT, SLOT_SKIP, SLOT_FREE);
    context.post({ type: "skipped", id });
    return;
  }
  const controller = new AbortController();
  const signal = pollingSignal(controller);
  abortCurrent = () => {
    if (!controller.signal.aborted) controller.abort(new CancelledError());
  };
  context.current = { id, signal };
  context.lastCallId = id;
  let ok = true;
  let value: unknown;
  try {
    const fn = spec.kind === "source" ? compile(spec) : await importExport(spec.url, spec.exportName);
    value = (fn as (...a: unknown[]) => unknown).apply({ signal, transfer }, message.args);
    if (value !== null && (typeof value === "object" || typeof value === "function") && typeof (value as PromiseLike<unknown>).then === "function") {
      value = await value;
    }
  } catch (error) {
    ok = false;
    value = error;
  }
  context.current = null;
  abortCurrent = null;
  // Free the slot before posting: the pool may send the next call as soon as it reads the outcome.
  Atomics.store(control, CONTROL_SLOT, SLOT_FREE);
  if (ok) {
    const transferList = isTransfer(value) ? (value.list as Transferable[]) : undefined;
    const result = isTransfer(value) ? value.value : value;
    try {
      context.post({ type: "done", id, ok: true, value: result }, transferList);
      return;
    } catch (error) {
      value = new TypeError(`the result of ${describeSpec(spec)} cannot be sent back to the calling thread: ${(error as Error).message}`);
    }
  }
  const serialized = serializeError(value);
  if (spec.kind === "source" && value instanceof ReferenceError) serialized.notSelfContained = true;
  context.post({ type: "done", id, ok: false, error: serialized });
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

/**
 * The call's signal. A synchronous loop never lets the abort message in, so
 * reading `aborted` (or `throwIfAborted()`) also checks the shared word the
 * pool sets on cancellation.
 */
function pollingSignal(controller: AbortController): AbortSignal {
  const signal = controller.signal;
  const abortedGetter = Object.getOwnPropertyDescriptor(AbortSignal.prototype, "aborted")!.get!;
  const poll = (): void => {
    if (!abortedGetter.call(signal) && Atomics.load(control, CONTROL_SLOT) === SLOT_ABORT) controller.abort(new CancelledError());
  };
  Object.defineProperty(signal, "aborted", {
    get() {
      if (!abortedGetter.call(signal)) poll();
      return abortedGetter.call(signal) as boolean;
    },
    configurable: true,
  });
  const throwIfAborted = AbortSignal.prototype.throwIfAborted;
  Object.defineProperty(signal, "throwIfAborted", {
    value() {
      poll();
      throwIfAborted.call(signal);
    },
    configurable: true,
  });
  return signal;
}

function describeSpec(spec: FunctionSpec): string {
  return spec.kind === "source" ? `function ${spec.name || "<anonymous>"}` : `${spec.exportName} from ${spec.url}`;
}
