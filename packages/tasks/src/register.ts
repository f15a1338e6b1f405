import type { Awaitable, Coroutine, EventLoop, TaskOptions } from "@asyncio-ts/loop";
import { globalState, onLoopClose } from "@asyncio-ts/loop/lowlevel";
import { checkCoroutine } from "./coroutines.js";
import { ensureFuture } from "./ensure-future.js";
import { Future } from "./future.js";
import { dropLoopTasks } from "./registry.js";
import { Task } from "./task.js";

/**
 * Plugs futures and tasks into the loop (which imports none of our packages).
 * The first loaded copy wins, so all copies make the same kind of future.
 */
export function registerWithLoop(): void {
  const state = globalState();
  state.futures ??= {
    createFuture: <T>(loop: EventLoop) => new Future<T>({ loop }),
    createTask: <T>(loop: EventLoop, coro: Coroutine<T>, options?: TaskOptions) => {
      // The error names the call the user made (createTask), not the Task it makes.
      checkCoroutine(coro, "createTask");
      return new Task<T>(coro, { loop, name: options?.name });
    },
    ensureFuture: <T>(awaitable: Awaitable<T>, loop: EventLoop) => ensureFuture(awaitable, { loop }),
  };
  // A closing loop destroys its pending tasks: say so, as asyncio does when they are collected.
  onLoopClose("tasks.pendingTasks", (loop: EventLoop) => {
    for (const task of dropLoopTasks(loop)) {
      // As asyncio's Task.__del__: source_traceback only when the creation stack was kept (debug mode).
      const sourceTraceback = task._creationStack();
      loop.callExceptionHandler(
        sourceTraceback
          ? { message: "Task was destroyed but it is pending!", task, source_traceback: sourceTraceback }
          : { message: "Task was destroyed but it is pending!", task },
      );
    }
  });
}
