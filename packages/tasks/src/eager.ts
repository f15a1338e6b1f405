import type { Coroutine, EventLoop, TaskFactory, TaskOptions } from "@asyncio-ts/loop";
import { Task, type TaskConstructorOptions } from "./task.js";

type TaskConstructor = new (coro: Coroutine<unknown>, options: TaskConstructorOptions) => Task<unknown>;

/**
 * A task factory whose tasks run their first step at once, inside
 * `createTask()`, when the loop is running (asyncio 3.12's eager tasks): a
 * coroutine that finishes without suspending never touches the loop.
 *
 * ```ts
 * getRunningLoop().setTaskFactory(eagerTaskFactory);
 * ```
 */
export function eagerTaskFactory(loop: EventLoop, coro: Coroutine<unknown>, options?: TaskOptions): Task<unknown> {
  return new Task(coro, { ...options, loop, eagerStart: true });
}

/** `eagerTaskFactory` making tasks of `customTaskConstructor` (a `Task` subclass) instead. */
export function createEagerTaskFactory(customTaskConstructor: TaskConstructor = Task as TaskConstructor): TaskFactory {
  return function factory(loop: EventLoop, coro: Coroutine<unknown>, options?: TaskOptions): Task<unknown> {
    return new customTaskConstructor(coro, { ...options, loop, eagerStart: true });
  };
}
