import type { MessagePort } from "node:worker_threads";

/**
 * The messages between a pool and its worker threads, and the shared-memory
 * words they agree on. Internal: both ends are this package.
 */

/**
 * A worker's control array: PIPELINE_DEPTH slots of two Int32 words each, the
 * claim on a call sent to it (state) and that call's id. A pool keeps up to
 * PIPELINE_DEPTH calls on a worker, so the next one is already there when the
 * running one ends; the worker runs them one at a time, in order.
 *
 * Invariant: only the main thread moves FREE -> SENT (when it reuses a slot,
 * after the worker's outcome for its last call was handled), SENT -> SKIP and
 * RUNNING -> ABORT; only the worker moves SENT -> RUNNING (when it starts the
 * call) and RUNNING/ABORT/SKIP -> FREE (before it posts the outcome). So a
 * sent call is either started or skipped, never both, whoever wins the race.
 */
export const SLOT_FREE = 0;
export const SLOT_SENT = 1;
export const SLOT_RUNNING = 2;
/** Taken back before the worker started it (cancelled, or moved to another worker): the worker skips it. */
export const SLOT_SKIP = 3;
/** Cancelled while running: the call's signal reports aborted, even to a synchronous loop polling it. */
export const SLOT_ABORT = 4;

/** Calls a pool keeps on one worker at once: the running one and the next. */
export const PIPELINE_DEPTH = 2;

/** Word indexes in a worker's control array. */
export const stateWord = (slot: number): number => slot * 2;
export const idWord = (slot: number): number => slot * 2 + 1;
export const CONTROL_WORDS = PIPELINE_DEPTH * 2;

/** How a function travels: its source text, or a module URL and export name; `id` names it once a worker has it. */
export type FunctionSpec =
  | { kind: "source"; id: number; source: string; name: string }
  | { kind: "module"; id: number; url: string; exportName: string };

/**
 * Messages to a worker are arrays (cheaper to clone than objects):
 * `[CALLS, slot, id, fn, args, slot, id, fn, args, ...]` sends calls (`fn` is
 * the FunctionSpec the first time a worker gets it, then its id), and
 * `[ABORT, id]` aborts the running call's signal.
 */
export const MSG_CALLS = 0;
export const MSG_ABORT = 1;
export type ToWorker = unknown[];

/**
 * Outcomes from a worker: `[DONE, slot, id, ok, value]` (value: the result, or
 * a SerializedError when not ok) and `[SKIPPED, slot, id]`; everything else
 * (calls back into the loop, crash notices) is an object with a `type`.
 */
export const MSG_DONE = 0;
export const MSG_SKIPPED = 1;
export type OutcomeMessage = [typeof MSG_DONE, number, number, 0 | 1, unknown] | [typeof MSG_SKIPPED, number, number];

/** A worker asks the loop that submitted its call to run a coroutine (runCoroutineThreadsafe). */
export interface CoroutineMessage {
  type: "coroutine";
  callId: number;
  url: string;
  exportName: string;
  args: unknown[];
  port: MessagePort;
  state: SharedArrayBuffer;
}

/** A worker asks the loop that submitted its call to run a callback (callSoonThreadsafe). */
export interface CallbackMessage {
  type: "callback";
  callId: number;
  url: string;
  exportName: string;
  args: unknown[];
}

export type FromWorker = OutcomeMessage | CoroutineMessage | CallbackMessage;

/** What `workerData` holds for the worker entry. */
export interface WorkerSetup {
  port: MessagePort;
  control: SharedArrayBuffer;
  /** Pool-wide counter of messages posted to the pool: lets a blocked owner thread sleep until one arrives. */
  posted: SharedArrayBuffer;
}

/** An error made cloneable: class name, message, stack, own data properties and cause. */
export interface SerializedError {
  isError: boolean;
  /** Anything thrown that is not an Error, when it can be cloned. */
  value?: unknown;
  name?: string;
  className?: string;
  message?: string;
  stack?: string;
  props?: Record<string, unknown>;
  cause?: SerializedError;
  /** Set when a function sent as source hit a ReferenceError: it was not self-contained. */
  notSelfContained?: boolean;
}

const BUILTIN_ERRORS: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  ReferenceError,
  SyntaxError,
  EvalError,
  URIError,
};

export function serializeError(error: unknown, depth = 0): SerializedError {
  if (!(error instanceof Error)) {
    try {
      return { isError: false, value: structuredClone(error) };
    } catch {
      return { isError: true, name: "Error", className: "Error", message: `a non-cloneable value was thrown: ${String(error)}` };
    }
  }
  const props: Record<string, unknown> = {};
  for (const key of Object.keys(error)) {
    if (key === "cause" || key === "name" || key === "message" || key === "stack") continue;
    try {
      props[key] = structuredClone((error as unknown as Record<string, unknown>)[key]);
    } catch {
      // not cloneable: left behind
    }
  }
  const out: SerializedError = {
    isError: true,
    name: error.name,
    className: error.constructor?.name ?? error.name,
    message: error.message,
    stack: error.stack,
    props,
  };
  if (error.cause !== undefined && depth < 8) out.cause = serializeError(error.cause, depth + 1);
  return out;
}

/**
 * Rebuilds a worker's error in this thread: a built-in class when it was one,
 * otherwise an `Error` whose `name` is the worker's class name; the stack is
 * the worker's. `make` maps our own branded classes (CancelledError, ...).
 */
export function deserializeError(data: SerializedError, make?: (name: string, message: string) => Error | undefined): unknown {
  if (!data.isError) return data.value;
  const name = data.name ?? "Error";
  const message = data.message ?? "";
  const Builtin = BUILTIN_ERRORS[data.className ?? ""];
  let error: Error;
  const custom = make?.(name, message);
  if (custom !== undefined) error = custom;
  else if (Builtin !== undefined && Builtin.name === name) error = new Builtin(message);
  else {
    error = new Error(message);
    Object.defineProperty(error, "name", { value: name, writable: true, configurable: true, enumerable: false });
  }
  if (data.stack !== undefined) Object.defineProperty(error, "stack", { value: data.stack, writable: true, configurable: true, enumerable: false });
  if (data.props) Object.assign(error, data.props);
  if (data.cause !== undefined) {
    Object.defineProperty(error, "cause", { value: deserializeError(data.cause, make), writable: true, configurable: true, enumerable: false });
  }
  return error;
}
