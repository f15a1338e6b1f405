import type { EventLoop } from "./event-loop.js";

/**
 * What the loop and the higher packages need of a future. `@asyncio-ts/tasks`'s
 * `Future` implements it; so can a library's own future type.
 */
export interface FutureLike<T = unknown> {
  done(): boolean;
  cancelled(): boolean;
  /** The result; throws the exception, or `CancelledError`, or `InvalidStateError` if pending. */
  result(): T;
  exception(): unknown;
  cancel(msg?: string): boolean;
  addDoneCallback(callback: (future: this) => void): void;
  removeDoneCallback(callback: (future: this) => void): number;
  getLoop(): EventLoop;
}

/** A coroutine of either kind (CONTRACT §1): an uncalled async function or a generator object. */
export type GeneratorCoroutine<T> = Generator<unknown, T, unknown>;
export type AsyncCoroutine<T> = () => PromiseLike<T> | GeneratorCoroutine<T>;
export type Coroutine<T> = AsyncCoroutine<T> | GeneratorCoroutine<T>;

/** Anything that can be awaited: a future, a promise, or a coroutine of either kind. */
export type Awaitable<T> = FutureLike<T> | PromiseLike<T> | Coroutine<T>;

export interface TaskOptions {
  name?: string;
}

/** `loop.setTaskFactory()`'s argument, as asyncio's `task_factory(loop, coro, **kwargs)`. */
export type TaskFactory = (loop: EventLoop, coro: Coroutine<unknown>, options?: TaskOptions) => FutureLike<unknown>;

/**
 * Where `loop.createFuture()`, `loop.createTask()` and `runUntilComplete()` get
 * their futures. Registered by `@asyncio-ts/tasks` when it is loaded, so that
 * `loop` itself imports no other package of ours.
 */
export interface FutureFactory {
  createFuture<T>(loop: EventLoop): FutureLike<T>;
  createTask<T>(loop: EventLoop, coro: Coroutine<T>, options?: TaskOptions): FutureLike<T>;
  ensureFuture<T>(awaitable: Awaitable<T>, loop: EventLoop): FutureLike<T>;
}

/** A pool that runs functions off the loop (asyncio's `concurrent.futures.Executor`). */
export interface Executor {
  /** Starts `fn(...args)`; the returned future or promise settles with its outcome. */
  submit<T>(fn: (...args: never[]) => T | PromiseLike<T>, ...args: unknown[]): FutureLike<T> | PromiseLike<T>;
  /**
   * Optional: starts `fn(...args)` and returns a future of `loop` that the
   * executor settles itself and that cancels the work when cancelled.
   * `loop.runInExecutor()` prefers it to `submit()`, which would need wrapping
   * in a loop future (a promise chain and an extra turn per call).
   */
  submitOnLoop?<T>(loop: EventLoop, fn: (...args: never[]) => T | PromiseLike<T>, ...args: unknown[]): FutureLike<T>;
  /** Stops accepting work; with `wait`, settles once running work has finished. */
  shutdown(options?: { wait?: boolean; cancelFutures?: boolean }): void | PromiseLike<void>;
}

/** The context passed to exception handlers, with asyncio's keys. */
export interface ExceptionContext {
  message: string;
  exception?: unknown;
  [key: string]: unknown;
}

export type ExceptionHandler = (loop: EventLoop, context: ExceptionContext) => void;
