import type { Coroutine, EventLoop, TaskOptions } from "@asyncio-ts/loop";
import { getRunningLoop, RuntimeError } from "@asyncio-ts/loop";
import { CancelledError, currentTask, Future, KeyboardInterrupt, type Task } from "@asyncio-ts/tasks";
import { ExceptionGroup } from "./exception-group.js";
import { doneWaiter, whenDone } from "./when-done.js";
import { awaitFuture, OperationFuture, type OperationContext } from "./operation.js";
import { checkBody, runBody, type ScopeBody } from "./timeouts.js";

let enterGroup: (tg: TaskGroup, task: Task<unknown>) => void;
let exitGroup: (tg: TaskGroup, ctx: OperationContext, failed: boolean, error: unknown) => Generator<unknown, void, unknown>;

/** Errors that are not collected but re-raised as they are (Python's SystemExit and KeyboardInterrupt). */
function isBaseError(error: unknown): boolean {
  return error instanceof KeyboardInterrupt;
}

/**
 * A group of tasks that live and die together (asyncio's `TaskGroup`), handed
 * to the body of `taskGroup()`. Not meant to be constructed or subclassed by users.
 *
 * Invariants: `#tasks` holds the children not done yet; once `#aborting`, every
 * child has been asked to cancel and no new child may start; the parent task is
 * cancelled by the group at most once (`#parentCancelRequested`), and that
 * request is withdrawn with `uncancel()` when the body exits.
 */
export class TaskGroup {
  #entered = false;
  #exiting = false;
  #aborting = false;
  #loop: EventLoop | null = null;
  #parentTask: Task<unknown> | null = null;
  #parentCancelRequested = false;
  readonly #tasks = new Set<Task<unknown>>();
  #errors: unknown[] | null = [];
  #baseError: unknown = null;
  #hasBaseError = false;
  #onCompletedFut: Future<boolean> | null = null;

  static {
    enterGroup = (tg, task) => tg.#enter(task);
    exitGroup = (tg, ctx, failed, error) => tg.#exit(ctx, failed, error);
  }

  /**
   * Starts `coro` in a new task of the group and returns the task. If it
   * fails, the group cancels the other children and the body.
   *
   * Errors: `RuntimeError` if the group has not started, has finished, or is
   * shutting down after a failure; `TypeError` if `coro` is not a coroutine.
   */
  createTask<T>(coro: Coroutine<T>, options?: TaskOptions): Task<T> {
    if (!this.#entered) throw new RuntimeError(`TaskGroup ${String(this)} has not been entered`);
    if (this.#exiting && this.#tasks.size === 0) throw new RuntimeError(`TaskGroup ${String(this)} is finished`);
    if (this.#aborting) throw new RuntimeError(`TaskGroup ${String(this)} is shutting down`);
    const task = this.#loop!.createTask(coro, options) as Task<T>;
    if (task.done()) {
      this.#onTaskDone._wakeup(task);
    } else {
      this.#tasks.add(task);
      whenDone(task, this.#onTaskDone);
    }
    return task;
  }

  toString(): string {
    let info = "";
    if (this.#tasks.size > 0) info += ` tasks=${this.#tasks.size}`;
    if (this.#errors !== null && this.#errors.length > 0) info += ` errors=${this.#errors.length}`;
    if (this.#aborting) info += " cancelling";
    else if (this.#entered) info += " entered";
    return `<TaskGroup${info}>`;
  }

  #enter(task: Task<unknown>): void {
    if (this.#entered) throw new RuntimeError(`TaskGroup ${String(this)} has already been entered`);
    this.#loop ??= task.getLoop();
    this.#parentTask = task;
    this.#entered = true;
  }

  /** asyncio's `__aexit__`. Throws what the group raises; returns when the body's own outcome stands. */
  *#exit(ctx: OperationContext, failed: boolean, error: unknown): Generator<unknown, void, unknown> {
    this.#exiting = true;
    if (failed && isBaseError(error) && !this.#hasBaseError) {
      this.#baseError = error;
      this.#hasBaseError = true;
    }
    const isCancel = failed && error instanceof CancelledError;
    let propagateCancellation: unknown = isCancel ? error : null;
    if (this.#parentCancelRequested) {
      // The group's own cancel request has done its job: withdraw it.
      if (this.#parentTask!.uncancel() === 0) propagateCancellation = null;
    }
    if (failed && !this.#aborting) this.#abort();

    while (this.#tasks.size > 0) {
      this.#onCompletedFut ??= new Future<boolean>({ loop: this.#loop! });
      try {
        yield* awaitFuture(ctx, this.#onCompletedFut);
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        if (!this.#aborting) {
          propagateCancellation = e;
          this.#abort();
        }
      }
      this.#onCompletedFut = null;
    }

    if (this.#hasBaseError) throw this.#baseError;
    const errors = this.#errors!;
    if (propagateCancellation !== null && errors.length === 0) throw propagateCancellation;
    if (failed && !isCancel) errors.push(error);
    if (errors.length > 0) {
      this.#errors = null;
      throw new ExceptionGroup("unhandled errors in a TaskGroup", errors);
    }
  }

  #abort(): void {
    this.#aborting = true;
    for (const t of this.#tasks) if (!t.done()) t.cancel();
  }

  /** asyncio's `_on_task_done`; it queues no microtasks. */
  readonly #onTaskDone = doneWaiter("TaskGroup._on_task_done", (future): void => {
    const task = future as Task<unknown>;
    this.#tasks.delete(task);
    const fut = this.#onCompletedFut;
    if (fut !== null && this.#tasks.size === 0 && !fut.done()) fut.setResult(true);
    if (task.cancelled()) return;
    const error = task.exception();
    if (error === undefined) return;
    this.#errors?.push(error);
    if (isBaseError(error) && !this.#hasBaseError) {
      this.#baseError = error;
      this.#hasBaseError = true;
    }
    const parent = this.#parentTask!;
    if (parent.done()) {
      this.#loop!.callExceptionHandler({
        message: `Task ${String(task)} has errored out but its parent task ${String(parent)} is already completed`,
        exception: error,
        task,
      });
      return;
    }
    if (!this.#aborting && !this.#parentCancelRequested) {
      // The body may be waiting on something unrelated: cancel the parent so it
      // reaches the group's exit, which waits for the children and raises.
      this.#abort();
      this.#parentCancelRequested = true;
      parent.cancel();
    }
  });
}

/**
 * Runs `body` with a new `TaskGroup` (asyncio's `async with TaskGroup() as tg:`)
 * and returns the body's result once every child task the body started has
 * finished. The body runs in the *current* task (the group's parent): use
 * `await taskGroup(async (tg) => ...)` in an async function and
 * `yield* taskGroup(function* (tg) { ... })` in a generator coroutine.
 *
 * The first child that fails cancels the other children and the body; the
 * group then waits for all of them and throws an `ExceptionGroup` with every
 * error (the body's own error included). `CancelledError`s of children are not
 * errors. A `KeyboardInterrupt` is thrown as is.
 *
 * Cancellation: cancelling the parent task cancels the body and every child;
 * the group waits for them and then throws `CancelledError` (or the
 * `ExceptionGroup`, if children failed). A cancellation the group itself
 * caused (because a child failed) is withdrawn with `uncancel()`, so it does
 * not leak out of the group.
 *
 * Errors: `RuntimeError` when called outside a task; `TypeError` if `body` is
 * not a function.
 *
 * ```ts
 * await taskGroup(async (tg) => {
 *   tg.createTask(() => work(1));
 *   tg.createTask(() => work(2));
 * });
 * console.log("both tasks have completed now");
 * ```
 */
export function taskGroup<T>(body: ScopeBody<TaskGroup, T>): Future<T> {
  checkBody(body, "taskGroup");
  const loop = getRunningLoop();
  if (currentTask(loop) === null) throw new RuntimeError("taskGroup() cannot determine the parent task: call it inside a task");
  return new OperationFuture<T>(function* (ctx) {
    const tg = new TaskGroup();
    enterGroup(tg, ctx.task);
    let value: T;
    try {
      value = yield* runBody(ctx, body, tg);
    } catch (error) {
      yield* exitGroup(tg, ctx, true, error);
      throw error;
    }
    yield* exitGroup(tg, ctx, false, undefined);
    return value;
  }, loop);
}
