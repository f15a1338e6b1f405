import type { EventLoop } from "@asyncio-ts/loop";
import { RuntimeError } from "@asyncio-ts/loop";
import type { Task } from "@asyncio-ts/tasks";
import { CancelledError } from "@asyncio-ts/tasks";
import { importExport } from "../module-function.js";
import { TimeoutError } from "@asyncio-ts/combinators";
import { serializeError, type CallbackMessage, type CoroutineMessage } from "./protocol.js";

/** Shared-memory word of a cross-thread reply: the outcome was posted. */
export const REPLY_PENDING = 0;
export const REPLY_POSTED = 1;
/** The waiting side cancelled: the outcome will not be read. */
export const REPLY_CANCELLED = 2;

export interface ReplyMessage {
  ok: boolean;
  cancelled?: boolean;
  value?: unknown;
  error?: ReturnType<typeof serializeError>;
}

/**
 * Serves a worker's `runCoroutineThreadsafe()`: imports the coroutine's
 * module here, runs it as a task of `loop`, and posts the outcome back on the
 * request's own port (then flags the shared word, waking a blocked waiter).
 * A "cancel" message on that port cancels the task.
 */
export function serveCoroutine(loop: EventLoop | null, request: CoroutineMessage): void {
  const { port } = request;
  const state = new Int32Array(request.state);
  let task: Task<unknown> | null = null;
  let cancelled = false;
  let replied = false;
  const reply = (message: ReplyMessage): void => {
    if (replied) return;
    replied = true;
    try {
      port.postMessage(message);
    } catch (error) {
      port.postMessage({ ok: false, error: serializeError(new TypeError(`the coroutine's result cannot be sent to the worker thread: ${(error as Error).message}`)) });
    }
    Atomics.compareExchange(state, 0, REPLY_PENDING, REPLY_POSTED);
    Atomics.notify(state, 0);
    port.close();
  };
  port.on("message", (message: { type?: string }) => {
    if (message?.type !== "cancel") return;
    cancelled = true;
    if (task !== null) loop?.callSoonThreadsafe(() => task!.cancel());
    else reply({ ok: false, cancelled: true });
  });
  if (loop === null || loop.isClosed()) {
    reply({ ok: false, error: serializeError(new RuntimeError("runCoroutineThreadsafe(): the loop that submitted this call is gone (closed, or the call was not submitted from a loop)")) });
    return;
  }
  importExport(request.url, request.exportName).then(
    (fn) => {
      if (replied) return;
      try {
        loop.callSoonThreadsafe(() => {
          if (cancelled) return reply({ ok: false, cancelled: true });
          try {
            task = loop.createTask(() => (fn as (...a: unknown[]) => unknown)(...request.args) as PromiseLike<unknown>) as Task<unknown>;
          } catch (error) {
            return reply({ ok: false, error: serializeError(error) });
          }
          task.addDoneCallback((t) => {
            if (t.cancelled()) reply({ ok: false, cancelled: true });
            else {
              const error = t.exception();
              if (error !== undefined) reply({ ok: false, error: serializeError(error) });
              else reply({ ok: true, value: t.result() });
            }
          });
        });
      } catch (error) {
        reply({ ok: false, error: serializeError(error) });
      }
    },
    (error: unknown) => reply({ ok: false, error: serializeError(error) }),
  );
}

/** Serves a worker's `callSoonThreadsafe()`: imports the callback's module here, then schedules it on `loop`. */
export function serveCallback(loop: EventLoop | null, request: CallbackMessage): void {
  if (loop === null || loop.isClosed()) {
    console.error(`callSoonThreadsafe(): dropped ${request.exportName} from ${request.url}: the loop that submitted the call is gone`);
    return;
  }
  importExport(request.url, request.exportName).then(
    (fn) => {
      if (!loop.isClosed()) loop.callSoonThreadsafe(fn as (...a: unknown[]) => unknown, ...request.args);
    },
    (error: unknown) => {
      if (!loop.isClosed()) loop.callExceptionHandler({ message: "callSoonThreadsafe() from a worker thread failed", exception: error });
    },
  );
}

/** Our own classes, rebuilt by name when an error crosses threads. */
export function makeKnownError(name: string, message: string): Error | undefined {
  if (name === "CancelledError") return new CancelledError(message);
  if (name === "RuntimeError") return new RuntimeError(message);
  if (name === "TimeoutError") return new TimeoutError(message);
  return undefined;
}
