/**
 * `@asyncio-ts/sync`: asyncio's synchronisation primitives and queues, for
 * both coroutine kinds. Every blocking method returns a `Future`.
 */
export { Lock } from "./lock.js";
export type { LockStatistics } from "./lock.js";
export { Event } from "./event.js";
export type { EventStatistics } from "./event.js";
export { Condition } from "./condition.js";
export type { ConditionStatistics } from "./condition.js";
export { Semaphore } from "./semaphore.js";
export type { SemaphoreStatistics } from "./semaphore.js";
export { BoundedSemaphore } from "./bounded-semaphore.js";
export { Barrier } from "./barrier.js";
export type { BarrierStatistics } from "./barrier.js";
export { Queue } from "./queue.js";
export type { QueueOptions, QueueStatistics } from "./queue.js";
export { PriorityQueue, pythonCompare } from "./priority-queue.js";
export type { PriorityQueueOptions } from "./priority-queue.js";
export { LifoQueue } from "./lifo-queue.js";
export { QueueEmpty, QueueFull, QueueShutDown, BrokenBarrierError } from "./errors.js";
export type { Acquisition } from "./acquisition.js";
