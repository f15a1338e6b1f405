import { getRunningLoop } from "@asyncio-ts/loop";
import { describeValue } from "@asyncio-ts/loop/lowlevel";
import type { Future } from "@asyncio-ts/tasks";
import type { ModuleFunction } from "./module-function.js";

/**
 * Runs `fn(...args)` in a worker thread of the loop's default executor and
 * returns a `Future` for its result (asyncio's `to_thread`), so a blocking or
 * CPU-bound call does not freeze the loop, and several run in parallel.
 *
 * `fn` is either a **self-contained function** (its source is sent and
 * compiled once per worker: it may use its parameters and globals, not the
 * variables around it; using one fails with a `ReferenceError` that says so),
 * or a **`moduleFunction(url, name)`**, which may import anything. Every
 * argument is passed to `fn`, copied by structured clone; wrap an
 * `ArrayBuffer` (or a view) in `transfer()` to move it instead. An error
 * thrown in the worker rejects the future with its class name, message and
 * the worker's stack.
 *
 * Cancellation: cancelling the caller (or the future) cancels the call at
 * once. A call still queued never runs; a running call sees `this.signal`
 * aborted, and if it has not returned after the executor's grace period
 * (1 s for the default executor) its worker is terminated and replaced.
 *
 * Errors (at the call): `RuntimeError` outside a running loop or after the
 * default executor was shut down; `TypeError` for a function that cannot be
 * sent or arguments that cannot be cloned.
 *
 * ```ts
 * const digest = await toThread((text: string) => {
 *   let h = 0;
 *   for (let i = 0; i < 1e7; i++) h = (h * 31 + text.charCodeAt(i % text.length)) | 0;
 *   return h;
 * }, "hello");
 * ```
 */
export function toThread<A extends unknown[], R>(fn: ModuleFunction<(...args: A) => R>, ...args: A): Future<Awaited<R>>;
export function toThread<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Future<Awaited<R>>;
export function toThread<A extends unknown[], R>(fn: ((...args: A) => R) | ModuleFunction<(...args: A) => R>, ...args: A): Future<Awaited<R>> {
  if (typeof fn !== "function") {
    throw new TypeError(`toThread() needs a self-contained function or a moduleFunction(url, name), got ${describeValue(fn)}`);
  }
  const loop = getRunningLoop();
  try {
    return loop.runInExecutor(null, fn as never, ...args) as Future<Awaited<R>>;
  } catch (error) {
    // The pool names the call that reached it; the user called toThread().
    if (error instanceof TypeError && error.message.startsWith("runInExecutor(): ")) {
      throw new TypeError(`toThread(): ${error.message.slice("runInExecutor(): ".length)}`, { cause: error });
    }
    throw error;
  }
}
