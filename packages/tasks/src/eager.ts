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
export function createEagerTaskFactory(customTaskConstructor: TaskConstructor = Task as TaskConstructor): TaskFactory {
  return (loop: EventLoop, coro: Coroutine<unknown>, options?: TaskOptions) =>
    new customTaskConstructor(coro, { ...options, loop, eagerStart: true });
}

export const eagerTaskFactory: TaskFactory = createEagerTaskFactory();
