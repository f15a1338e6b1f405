/**
 * `@asyncio-ts/threads`: asyncio's thread bridge on Node's worker_threads —
 * `toThread`, `ThreadPoolExecutor`, the cross-thread `ConcurrentFuture`,
 * `wrapFuture`, `runCoroutineThreadsafe`, `callSoonThreadsafe`.
 *
 * Importing it makes a `ThreadPoolExecutor` the loop's default executor (made
 * on first use), so `toThread()` and `loop.runInExecutor(null, ...)` work.
 */
import { globalState } from "@asyncio-ts/loop/lowlevel";
import { ThreadPoolExecutor } from "./thread-pool-executor.js";

// The first loaded copy (ESM or CJS build) registers; both make the same pool.
globalState().defaultExecutorFactory ??= () => new ThreadPoolExecutor();

export { toThread } from "./to-thread.js";
export { ThreadPoolExecutor } from "./thread-pool-executor.js";
export type { ThreadPoolExecutorOptions } from "./thread-pool-executor.js";
export { ConcurrentFuture } from "./concurrent-future.js";
export { wrapFuture } from "./wrap-future.js";
export { runCoroutineThreadsafe } from "./run-coroutine-threadsafe.js";
export { callSoonThreadsafe } from "./call-soon-threadsafe.js";
export { moduleFunction } from "./module-function.js";
export type { ModuleFunction, ModuleCoroutine } from "./module-function.js";
export { transfer } from "./transfer.js";
export type { Transfer } from "./transfer.js";
export { threadSignal } from "./thread-signal.js";
export { TimeoutError } from "@asyncio-ts/combinators";
