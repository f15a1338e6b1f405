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
  isAwaitable,
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
export {
  gather,
  wait,
  waitFor,
  shield,
  asCompleted,
  timeout,
  timeoutAt,
  Timeout,
  TaskGroup,
  taskGroup,
  ExceptionGroup,
  TimeoutError,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  ALL_COMPLETED,
} from "@asyncio-ts/combinators";
export type {
  AwaitableResult,
  GatherOptions,
  GatherResults,
  ReturnWhen,
  WaitOptions,
  AsCompleted,
  AsCompletedOptions,
  ScopeBody,
  ExceptionCondition,
} from "@asyncio-ts/combinators";
export {
  openConnection,
  startServer,
  openUnixConnection,
  startUnixServer,
  StreamReader,
  StreamWriter,
  Server,
  IncompleteReadError,
  LimitOverrunError,
  ConnectionResetError,
} from "@asyncio-ts/streams";
export type {
  OpenConnectionOptions,
  StartServerOptions,
  OpenUnixConnectionOptions,
  StreamReaderOptions,
  ServerSocket,
  ClientConnectedCallback,
  StartTlsOptions,
  ClientTlsOption,
} from "@asyncio-ts/streams";
export {
  toThread,
  ThreadPoolExecutor,
  ConcurrentFuture,
  wrapFuture,
  runCoroutineThreadsafe,
  callSoonThreadsafe,
  moduleFunction,
  transfer,
  threadSignal,
} from "@asyncio-ts/threads";
export type { ThreadPoolExecutorOptions, ModuleFunction, ModuleCoroutine, Transfer } from "@asyncio-ts/threads";
export { createSubprocessExec, createSubprocessShell, Process, PIPE, STDOUT, DEVNULL } from "@asyncio-ts/subprocess";
export type { SubprocessOptions, StdioOption } from "@asyncio-ts/subprocess";
export { getStatus, checkStatus, checkMany, HttpStatusError } from "@asyncio-ts/http-status";
export type { CheckOptions, StatusResult, ErrorCode } from "@asyncio-ts/http-status";
