import { MessageChannel, receiveMessageOnPort } from "node:worker_threads";
import type { Coroutine, EventLoop } from "@asyncio-ts/loop";
import { EventLoop as Loop, RuntimeError } from "@asyncio-ts/loop";
import { describeValue, isAsyncGeneratorFunction } from "@asyncio-ts/loop/lowlevel";
import { ensureFuture, iscoroutine } from "@asyncio-ts/tasks";
import { attachHooks, ConcurrentFuture } from "./concurrent-future.js";
import { makeKnownError, REPLY_CANCELLED, REPLY_PENDING, serveCoroutine, type ReplyMessage } from "./internal/loop-requests.js";
import { deserializeError } from "./internal/protocol.js";
import { workerContext } from "./internal/worker-context.js";
import { isModuleCoroutine, type ModuleCoroutine } from "./module-function.js";
import { unwrapTransfers } from "./transfer.js";

/**
 * Submits a coroutine to a loop running on another thread and returns a
 * `ConcurrentFuture` for its result (asyncio's `run_coroutine_threadsafe`).
 *
 * - **In a pool worker** (code run by `toThread()` or a `ThreadPoolExecutor`):
 *   name the coroutine as a module export,
 *   `runCoroutineThreadsafe(moduleFunction(url, "name").coroutine(...args))`;
 *   it runs as a task of the loop that submitted the worker's call. The
 *   worker may block on `future.result(timeout)`, or, running its own loop,
 *   `await wrapFuture(future)`.
 * - **With a loop of this thread** (`runCoroutineThreadsafe(coro, loop)`), from
 *   code outside that loop (a foreign callback): any coroutine. Blocking on
 *   the result here would be a deadlock, so `result()` throws `RuntimeError`;
 *   await the future instead.
 *
 * Cancellation: `future.cancel()` cancels the task in its loop.
 *
 * Errors (at the call): `TypeError` for something that is not a coroutine (in
 * a worker: not a module coroutine), `RuntimeError` when no target loop can
 * be found.
 *
 * ```ts
 * // worker-side module
 * const getConfig = moduleFunction<(key: string) => Promise<string>>(new URL("./main.js", import.meta.url), "getConfig");
 * export function job(): string {
 *   return runCoroutineThreadsafe(getConfig.coroutine("db")).result(5);
 * }
 * ```
 */
export function runCoroutineThreadsafe<T>(coro: Coroutine<T> | ModuleCoroutine<T>, loop?: EventLoop): ConcurrentFuture<T> {
  if (loop !== undefined && loop !== null) {
    if (!(loop instanceof Loop)) throw new TypeError(`runCoroutineThreadsafe() loop must be an EventLoop of this thread, got ${describeValue(loop)}`);
    return submitToLocalLoop(coro, loop);
  }
  const context = workerContext();
  if (context === null) {
    throw new RuntimeError(
      "runCoroutineThreadsafe() without a loop works in a ThreadPoolExecutor worker (it targets the loop that submitted the call); here pass the loop: runCoroutineThreadsafe(coro, loop)",
    );
  }
  if (!isModuleCoroutine(coro)) {
    throw new TypeError(
      `runCoroutineThreadsafe() in a worker thread needs a coroutine named by module, moduleFunction(url, "name").coroutine(...args), got ${describeValue(coro)}: ` +
        "a function cannot take its closure to another thread",
    );
  }
  const { port1, port2 } = new MessageChannel();
  const stateBuffer = new SharedArrayBuffer(4);
  const state = new Int32Array(stateBuffer);
  const { args, transferList } = unwrapTransfers([...coro.args]);
  const message = { type: "coroutine", callId: context.current?.id ?? context.lastCallId, url: coro.moduleUrl, exportName: coro.exportName, args, port: port2, state: stateBuffer };
  try {
    context.post(message, [port2, ...transferList]);
  } catch (error) {
    port1.close();
    throw new TypeError(`runCoroutineThreadsafe(): the arguments cannot be sent to the loop's thread: ${(error as Error).message}`, { cause: error });
  }
  const future = new ConcurrentFuture<T>();
  const apply = (reply: ReplyMessage): void => {
    port1.close();
    if (reply.cancelled) future.cancel();
    else if (reply.ok) future._settle(true, reply.value);
    else future._settle(false, deserializeError(reply.error!, makeKnownError));
  };
  port1.on("message", apply);
  attachHooks(future as ConcurrentFuture<unknown>, {
    blocker: {
      wait(deadline) {
        const remaining = deadline - performance.now();
        if (Atomics.load(state, 0) === REPLY_PENDING && remaining > 0) Atomics.wait(state, 0, REPLY_PENDING, remaining === Infinity ? undefined : remaining);
        if (Atomics.load(state, 0) !== REPLY_PENDING) {
          const received = receiveMessageOnPort(port1);
          if (received !== undefined) apply(received.message as ReplyMessage);
        }
      },
    },
    onCancel() {
      if (Atomics.compareExchange(state, 0, REPLY_PENDING, REPLY_CANCELLED) !== REPLY_PENDING) return !future.done();
      port1.postMessage({ type: "cancel" });
      port1.close();
      return true;
    },
  });
  return future;
}

function submitToLocalLoop<T>(coro: Coroutine<T> | ModuleCoroutine<T>, loop: EventLoop): ConcurrentFuture<T> {
  const future = new ConcurrentFuture<T>();
  const cannotBlock =
    "result() would deadlock: the future is completed by a loop of this very thread, which cannot run while this thread is blocked. Await it (or wrapFuture(future)) instead";
  if (isModuleCoroutine(coro)) {
    // The same path as a worker's request, with a local channel.
    const { port1, port2 } = new MessageChannel();
    const stateBuffer = new SharedArrayBuffer(4);
    port1.on("message", (reply: ReplyMessage) => {
      port1.close();
      if (reply.cancelled) future.cancel();
      else if (reply.ok) future._settle(true, reply.value);
      else future._settle(false, deserializeError(reply.error!, makeKnownError));
    });
    attachHooks(future as ConcurrentFuture<unknown>, {
      blocker: null,
      cannotBlock,
      onCancel() {
        port1.postMessage({ type: "cancel" });
        return true;
      },
    });
    serveCoroutine(loop, { type: "coroutine", callId: 0, url: coro.moduleUrl, exportName: coro.exportName, args: [...coro.args], port: port2, state: stateBuffer });
    return future;
  }
  if (!iscoroutine(coro) && typeof coro !== "function") {
    throw new TypeError(`runCoroutineThreadsafe() needs a coroutine (an async function, uncalled, or a generator object), got ${describeValue(coro)}`);
  }
  if (isAsyncGeneratorFunction(coro)) {
    // Its async generator would have been the result (the body never run); say so here, not through the future.
    throw new TypeError(
      `runCoroutineThreadsafe() needs a coroutine (an async function, uncalled, or a generator object), got async generator ${describeValue(coro)}, which is iterated with for await, not run`,
    );
  }
  if (loop.isClosed()) throw new RuntimeError("runCoroutineThreadsafe(): the loop is closed");
  let task: ReturnType<typeof ensureFuture<T>> | null = null;
  attachHooks(future as ConcurrentFuture<unknown>, {
    blocker: null,
    cannotBlock,
    onCancel() {
      if (!loop.isClosed()) loop.callSoonThreadsafe(() => task?.cancel());
      return true;
    },
  });
  loop.callSoonThreadsafe(() => {
    if (future.cancelled()) return;
    try {
      task = ensureFuture(coro as Coroutine<T>, { loop });
    } catch (error) {
      future._settle(false, error);
      return;
    }
    task.addDoneCallback((t) => {
      if (t.cancelled()) future.cancel();
      else {
        const error = t.exception();
        if (error !== undefined) future._settle(false, error);
        else future._settle(true, t.result());
      }
    });
  });
  return future;
}
