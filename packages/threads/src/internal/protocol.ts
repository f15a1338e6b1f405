import type { MessagePort } from "node:worker_threads";

/**
 * The messages between a pool and its worker threads, and the shared-memory
 * words they agree on. Internal: both ends are this package.
 */

/**
 * One Int32 word per worker, the claim on the call it was sent (one in flight
 * at a time). Invariant: only the main thread moves FREE -> SENT and
 * SENT -> SKIP and RUNNING -> ABORT; only the worker moves SENT -> RUNNING and
 * RUNNING/ABORT -> FREE (before it posts the outcome), so a call is either
 * started or skipped, never both.
 */
export const SLOT_FREE = 0;
export const SLOT_SENT = 1;
export const SLOT_RUNNING = 2;
/** Cancelled before the worker claimed it: the worker skips it. */
export const SLOT_SKIP = 3;
/** Cancelled while running: the call's signal reports aborted, even to a synchronous loop polling it. */
export const SLOT_ABORT = 4;

/** Word indexes in a worker's control array. */
export const CONTROL_SLOT = 0;
export const CONTROL_CALL_ID = 1;

/** How a function travels: its source text, or a module URL and export name. */
export type FunctionSpec =
  | { kind: "source"; source: string; name: string }
  | { kind: "module"; url: string; exportName: string };

export interface CallMessage {
  type: "call";
  id: number;
  fn: FunctionSpec;
  args: unknown[];
}

export interface AbortMessage {
  type: "abort";
  id: number;
}

export type ToWorker = CallMessage | AbortMessage;

export interface DoneMessage {
  type: "done";
  id: number;
  ok: boolean;
  value?: unknown;
  error?: SerializedError;
}

export interface SkippedMessage {
  type: "skipped";
  id: number;
}

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

export type FromWorker = DoneMessage | SkippedMessage | CoroutineMessage | CallbackMessage;

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
