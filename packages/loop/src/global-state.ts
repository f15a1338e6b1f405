import type { EventLoop } from "./event-loop.js";
import type { Executor, FutureFactory } from "./interfaces.js";

/**
 * Process-wide (per-thread) state shared by every loaded copy of asyncio-ts.
 * It lives in one `globalThis` slot keyed by `Symbol.for`, so the ESM and CJS
 * builds agree on which loop is running and on task numbering.
 */
export interface GlobalState {
  readonly version: 1;
  /** The loop whose runForever() is in progress on this thread, if any. */
  runningLoop: EventLoop | null;
  /** The loop set by setEventLoop(), returned by getEventLoop() when none runs. */
  currentLoop: EventLoop | null;
  /** Futures and tasks are provided by @asyncio-ts/tasks when it is loaded. */
  futures: FutureFactory | null;
  /** Makes the default executor the first time one is needed (@asyncio-ts/threads). */
  defaultExecutorFactory: (() => Executor) | null;
  /** Per-package extension slots (tasks keeps its current-task state here). */
  slots: Record<string, unknown>;
}

const KEY = Symbol.for("asyncio-ts.state");

export function globalState(): GlobalState {
  const g = globalThis as unknown as Record<symbol, GlobalState | undefined>;
  let state = g[KEY];
  if (state === undefined) {
    state = {
      version: 1,
      runningLoop: null,
      currentLoop: null,
      futures: null,
      defaultExecutorFactory: null,
      slots: Object.create(null) as Record<string, unknown>,
    };
    Object.defineProperty(globalThis, KEY, { value: state, enumerable: false, configurable: false });
  }
  return state;
}
