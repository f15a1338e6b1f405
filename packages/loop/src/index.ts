/**
 * `@asyncio-ts/loop`: the event loop at the bottom of asyncio-ts. It imports no
 * other package of ours; futures and tasks plug in through `FutureFactory`.
 */
export { EventLoop } from "./event-loop.js";
export type { EventLoopOptions } from "./event-loop.js";
export { Handle, TimerHandle } from "./handle.js";
export { getRunningLoop, getEventLoop, setEventLoop, newEventLoop } from "./events.js";
export { RuntimeError } from "./runtime-error.js";
export { MonotonicClock, VirtualClock } from "./clocks.js";
export type { Clock } from "./clocks.js";
export type {
  FutureLike,
  Executor,
  Awaitable,
  Coroutine,
  AsyncCoroutine,
  GeneratorCoroutine,
  TaskOptions,
  TaskFactory,
  ExceptionContext,
  ExceptionHandler,
} from "./interfaces.js";
