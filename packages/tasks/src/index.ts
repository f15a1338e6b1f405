/**
 * `@asyncio-ts/tasks`: futures and tasks with CPython's cancellation semantics,
 * for both coroutine kinds (async functions and generators), plus `sleep`,
 * `run` and `Runner`.
 */
import { registerWithLoop } from "./register.js";

registerWithLoop();

export { Future, isFuture } from "./future.js";
export { Task } from "./task.js";
export type { TaskConstructorOptions } from "./task.js";
export { CancelledError, InvalidStateError, KeyboardInterrupt } from "./errors.js";
export { createTask, currentTask, allTasks } from "./current-task.js";
export { ensureFuture } from "./ensure-future.js";
export { sleep } from "./sleep.js";
export { run, Runner } from "./runner.js";
export type { RunnerOptions } from "./runner.js";
export { iscoroutine, isAwaitable } from "./coroutines.js";
export { eagerTaskFactory, createEagerTaskFactory } from "./eager.js";
export type { Awaitable, Coroutine, AsyncCoroutine, GeneratorCoroutine, FutureLike, TaskOptions } from "@asyncio-ts/loop";
