// Shared imports for the tests: only the public entry points.
import { getRunningLoop } from "@asyncio-ts/loop";
import { Future } from "@asyncio-ts/tasks";
export { CancelledError, createTask, Future, sleep, Task, currentTask, allTasks, ensureFuture, run } from "@asyncio-ts/tasks";
export { getRunningLoop, EventLoop, VirtualClock, RuntimeError } from "@asyncio-ts/loop";

/** `loop.create_future()`. */
export function getRunningLoopFuture<T = unknown>(): Future<T> {
  return getRunningLoop().createFuture<T>() as Future<T>;
}
