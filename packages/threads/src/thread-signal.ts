import { RuntimeError } from "@asyncio-ts/loop";
import { workerContext } from "./internal/worker-context.js";

/**
 * In a worker thread, the `AbortSignal` of the call running there (the same
 * as `this.signal` inside the function): aborted, with a `CancelledError` as
 * its reason, when the caller cancels. A synchronous loop can poll
 * `signal.aborted` or `signal.throwIfAborted()`: both read the cancellation
 * from shared memory, without needing the worker's event loop.
 *
 * Errors: `RuntimeError` outside a call running in a pool worker.
 *
 * ```ts
 * export function crunch(items: number[]): number {
 *   const signal = threadSignal();
 *   let sum = 0;
 *   for (const item of items) { signal.throwIfAborted(); sum += item; }
 *   return sum;
 * }
 * ```
 */
export function threadSignal(): AbortSignal {
  const current = workerContext()?.current;
  if (current === null || current === undefined) {
    throw new RuntimeError("threadSignal() is for code running in a ThreadPoolExecutor worker, inside a call");
  }
  return current.signal;
}
