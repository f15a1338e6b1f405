import type { EventLoop } from "./event-loop.js";
import { globalState } from "./global-state.js";

type CloseHook = (loop: EventLoop) => void;

/**
 * Registers `hook` to run when any loop closes (tasks reports the tasks it
 * destroys; streams destroys sockets left open, which would otherwise keep the
 * process alive). Keyed, so each loaded copy of a package registers once; hooks
 * run in registration order, and one hook's error does not stop the others.
 */
export function onLoopClose(key: string, hook: CloseHook): void {
  const hooks = closeHooks();
  if (!hooks.has(key)) hooks.set(key, hook);
}

/** @internal Called by `EventLoop.close()`. */
export function runCloseHooks(loop: EventLoop): void {
  for (const hook of closeHooks().values()) {
    try {
      hook(loop);
    } catch (error) {
      loop.callExceptionHandler({ message: "Error in a loop close hook", exception: error });
    }
  }
}

function closeHooks(): Map<string, CloseHook> {
  const slots = globalState().slots;
  return ((slots.closeHooks as Map<string, CloseHook> | undefined) ??= new Map());
}
