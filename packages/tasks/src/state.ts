import { globalState } from "@asyncio-ts/loop/lowlevel";
import type { EventLoop } from "@asyncio-ts/loop";

/** The part of AsyncLocalStorage we use. */
export interface ContextStorage<T> {
  getStore(): T | undefined;
  run<R, A extends unknown[]>(store: T, fn: (...args: A) => R, ...args: A): R;
}

/** A task as the shared state sees it (any loaded copy's Task). */
export interface TaskRecord {
  _loop: EventLoop;
  _state: number;
}

/**
 * Task bookkeeping shared by every loaded copy of this package, kept in the
 * loop's `globalThis` slot so the ESM and CJS builds agree.
 */
export interface TasksState {
  /** The task whose step is running synchronously right now. */
  current: TaskRecord | null;
  /**
   * Without AsyncLocalStorage: the async task whose continuation is running in
   * the microtask drain after its wake-up (the best we can know there).
   */
  drainTask: TaskRecord | null;
  /** Follows async coroutines through their awaits; null where the runtime lacks it. */
  storage: ContextStorage<TaskRecord> | null;
  /** Numbers default task names: "Task-1", "Task-2", ... */
  taskCounter: number;
  /**
   * The future whose `yield*` is being entered or resumed: set by
   * `future[Symbol.iterator]()`, and by a task's step to the future it was
   * suspended on, so that one shared iterator serves every `yield* future`.
   */
  iterFuture: FutureRecord | null;
  /** The pending future a generator just suspended on (read with `suspend`). */
  yielded: FutureRecord | null;
  /** What the shared iterator returns for a pending future: a task then reads `yielded`. */
  readonly suspend: IteratorYieldResult<unknown>;
}

/** A future as the shared state sees it (any loaded copy's Future). */
export interface FutureRecord {
  done(): boolean;
  result(): unknown;
}

function makeStorage(): ContextStorage<TaskRecord> | null {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const hooks = proc?.getBuiltinModule?.("node:async_hooks") as
    | { AsyncLocalStorage?: new () => ContextStorage<TaskRecord> }
    | undefined;
  const Storage = hooks?.AsyncLocalStorage ?? (globalThis as { AsyncLocalStorage?: new () => ContextStorage<TaskRecord> }).AsyncLocalStorage;
  return Storage ? new Storage() : null;
}

export const S: TasksState = (() => {
  const slots = globalState().slots;
  let state = slots.tasks as TasksState | undefined;
  if (state === undefined) {
    state = {
      current: null,
      drainTask: null,
      storage: makeStorage(),
      taskCounter: 0,
      iterFuture: null,
      yielded: null,
      suspend: Object.freeze({ done: false, value: Object.freeze({ suspendedOn: "a pending future" }) }),
    };
    slots.tasks = state;
    const storage = state.storage;
    // The loop's host callbacks start outside any task's context, so plain
    // callbacks never inherit the context of whoever woke the loop.
    // run(undefined), not exit(): on Node 20 exit() switches the async hooks
    // off and on again, ~1 µs per loop iteration; run() of a store only sets it.
    if (storage !== null) slots.hostContext = <R>(fn: () => R): R => storage.run(undefined as unknown as TaskRecord, fn);
    else {
      const shared = state;
      // The drain after a callback is over: later callbacks are not on behalf of its task.
      slots.afterDrain = (): void => {
        shared.drainTask = null;
      };
    }
  }
  return state;
})();
