import { EventLoop, type EventLoopOptions } from "./event-loop.js";
import { globalState } from "./global-state.js";
import { RuntimeError } from "./runtime-error.js";
import { describeValue } from "./describe.js";

/** The running loop; throws `RuntimeError("no running event loop")` outside one. */
export function getRunningLoop(): EventLoop {
  const loop = globalState().runningLoop;
  if (loop === null) throw new RuntimeError("no running event loop");
  return loop;
}

/** The running loop, or `null` (asyncio's `_get_running_loop`). */
export function getRunningLoopOrNull(): EventLoop | null {
  return globalState().runningLoop;
}

/**
 * The running loop if there is one, else the current one set by
 * `setEventLoop()` (even once closed, as asyncio's), else a new loop that
 * becomes current (asyncio 3.12 makes one the first time; here also after
 * `setEventLoop(null)`).
 */
export function getEventLoop(): EventLoop {
  const state = globalState();
  if (state.runningLoop !== null) return state.runningLoop;
  return (state.currentLoop ??= new EventLoop());
}

/** Makes `loop` the one `getEventLoop()` returns when none is running. */
export function setEventLoop(loop: EventLoop | null): void {
  if (loop !== null && !(loop instanceof EventLoop)) {
    throw new TypeError(`setEventLoop() takes an EventLoop or null, got ${describeValue(loop)}`);
  }
  globalState().currentLoop = loop;
}

/** A new, not yet running loop. */
export function newEventLoop(options?: EventLoopOptions): EventLoop {
  return new EventLoop(options);
}
