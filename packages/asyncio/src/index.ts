/**
 * `asyncio-ts`: Python's asyncio in TypeScript. Re-exports the public API of
 * every @asyncio-ts package, name by name:
 *
 * ```ts
 * import * as asyncio from "asyncio-ts";
 * await asyncio.run(async () => { await asyncio.sleep(1); console.log("hello"); });
 * ```
 */
export {
  EventLoop,
  Handle,
  TimerHandle,
  getRunningLoop,
  getEventLoop,
  setEventLoop,
  newEventLoop,
  RuntimeError,
  MonotonicClock,
  VirtualClock,
} from "@asyncio-ts/loop";
export type {
  EventLoopOptions,
  Clock,
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
} from "@asyncio-ts/loop";
export {
  Future,
  Task,
  CancelledError,
  InvalidStateError,
  KeyboardInterrupt,
  createTask,
  ensureFuture,
  currentTask,
  allTasks,
  sleep,
  run,
  Runner,
  isFuture,
  iscoroutine,
  eagerTaskFactory,
  createEagerTaskFactory,
} from "@asyncio-ts/tasks";
export type { RunnerOptions, TaskConstructorOptions } from "@asyncio-ts/tasks";
export {
  Lock,
  Event,
  Condition,
  Semaphore,
  BoundedSemaphore,
  Barrier,
  Queue,
  PriorityQueue,
  LifoQueue,
  pythonCompare,
  QueueEmpty,
  QueueFull,
  QueueShutDown,
  BrokenBarrierError,
} from "@asyncio-ts/sync";
export type {
  Acquisition,
  LockStatistics,
  EventStatistics,
  ConditionStatistics,
  SemaphoreStatistics,
  BarrierStatistics,
  QueueOptions,
  QueueStatistics,
  PriorityQueueOptions,
} from "@asyncio-ts/sync";
