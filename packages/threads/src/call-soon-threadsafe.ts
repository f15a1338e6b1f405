import { RuntimeError } from "@asyncio-ts/loop";
import { describeValue } from "@asyncio-ts/loop/lowlevel";
import { workerContext } from "./internal/worker-context.js";
import { isModuleFunction, type ModuleFunction } from "./module-function.js";
import { unwrapTransfers } from "./transfer.js";

type AnyFunction = (...args: never[]) => unknown;
type UntypedFunction = (...args: unknown[]) => unknown;

/**
 * From a pool worker: schedules `callback(...args)` on the loop that submitted
 * the worker's call (asyncio's `loop.call_soon_threadsafe` seen from another
 * thread). The callback is named by module, `moduleFunction(url, name)`; the
 * loop's thread imports it, then runs it as a plain loop callback. Its errors
 * go to that loop's exception handler. On the loop's own thread use
 * `loop.callSoonThreadsafe(callback, ...args)`.
 *
 * Errors: `RuntimeError` outside a pool worker; `TypeError` for a callback that
 * is not a `moduleFunction()` or arguments that cannot be cloned.
 *
 * ```ts
 * const progress = moduleFunction<(n: number) => void>(new URL("./ui.js", import.meta.url), "progress");
 * callSoonThreadsafe(progress, 50);
 * ```
 */
export function callSoonThreadsafe<F extends AnyFunction = UntypedFunction>(callback: ModuleFunction<F>, ...args: Parameters<F>): void {
  const context = workerContext();
  if (context === null) {
    throw new RuntimeError("callSoonThreadsafe() from @asyncio-ts/threads is for worker threads; on the loop's thread call loop.callSoonThreadsafe(callback, ...args)");
  }
  if (!isModuleFunction(callback)) {
    throw new TypeError(`callSoonThreadsafe() in a worker thread needs a moduleFunction(url, name), got ${describeValue(callback)}: a function cannot take its closure to another thread`);
  }
  const unwrapped = unwrapTransfers(args);
  try {
    context.post(
      { type: "callback", callId: context.current?.id ?? context.lastCallId, url: callback.moduleUrl, exportName: callback.exportName, args: unwrapped.args },
      unwrapped.transferList,
    );
  } catch (error) {
    throw new TypeError(`callSoonThreadsafe(): the arguments cannot be sent to the loop's thread: ${(error as Error).message}`, { cause: error });
  }
}
