import type { EventLoop, Coroutine, TaskOptions } from "@asyncio-ts/loop";
import { EventLoop as Loop, getRunningLoop } from "@asyncio-ts/loop";
import { describeValue } from "@asyncio-ts/loop/lowlevel";
import { PENDING } from "./future.js";
import { loopTasks } from "./registry.js";
import { S, type TaskRecord } from "./state.js";
import type { Task } from "./task.js";

/**
 * The task running the calling code, or `null` in a plain loop callback. Works
 * in plain async functions a task calls, through AsyncLocalStorage where the
 * runtime has it.
 *
 * Errors: `RuntimeError("no running event loop")` outside a running loop.
 */
export function currentTask(loop?: EventLoop): Task<unknown> | null {
  if (loop !== undefined && loop !== null && !(loop instanceof Loop)) {
    throw new TypeError(`currentTask() loop must be an EventLoop, got ${describeValue(loop)}`);
  }
  const target = loop ?? getRunningLoop();
  const task = pick(S.current) ?? pick(S.storage?.getStore()) ?? (S.storage === null ? pick(S.drainTask) : null);
  return task !== null && task._loop === target ? (task as unknown as Task<unknown>) : null;
}

function pick(task: TaskRecord | null | undefined): TaskRecord | null {
  return task != null && task._state === PENDING ? task : null;
}

/** The loop's tasks that are not done yet (a new set each call). */
export function allTasks(loop?: EventLoop): Set<Task<unknown>> {
  if (loop !== undefined && loop !== null && !(loop instanceof Loop)) {
    throw new TypeError(`allTasks() loop must be an EventLoop, got ${describeValue(loop)}`);
  }
  return new Set(loopTasks(loop ?? getRunningLoop()));
}

/**
 * Wraps a coroutine in a `Task` scheduled on the running loop (through its task
 * factory, if one is set) and returns it. Keep a reference to the task, or it
 * may be cancelled at shutdown before it finishes.
 *
 * Errors: `TypeError` for anything but a coroutine (a running promise: "pass
 * the async function itself, or use ensureFuture()"); `RuntimeError("no running
 * event loop")` outside a running loop.
 *
 * ```ts
 * const task = createTask(() => sayAfter(1, "hello"));
 * ```
 */
export function createTask<T>(coro: Coroutine<T>, options?: TaskOptions): Task<T> {
  return getRunningLoop().createTask(coro, options) as Task<T>;
}
