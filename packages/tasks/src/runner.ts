import type { Coroutine, EventLoop } from "@asyncio-ts/loop";
import { EventLoop as Loop, RuntimeError, setEventLoop } from "@asyncio-ts/loop";
import { checkOptionNames, describeValue, getRunningLoopOrNull } from "@asyncio-ts/loop/lowlevel";
import { checkCoroutine } from "./coroutines.js";
import { CancelledError, KeyboardInterrupt } from "./errors.js";
import { Future, FAILED, PENDING } from "./future.js";
import { loopTasks } from "./registry.js";
import type { Task } from "./task.js";

export interface RunnerOptions {
  /** Debug mode for the loop (CONTRACT §5). */
  debug?: boolean;
  /** Makes the loop; `() => new EventLoop({ clock: new VirtualClock() })` for tests. */
  loopFactory?: () => EventLoop;
}

interface SignalProcess {
  on(event: "SIGINT", listener: () => void): unknown;
  off(event: "SIGINT", listener: () => void): unknown;
  listenerCount(event: string): number;
  kill(pid: number, signal: string): unknown;
  pid: number;
}

/**
 * Runs coroutines on one loop it owns, and closes it cleanly (asyncio's
 * `Runner`): `close()` cancels the tasks still pending and waits for them,
 * shuts down the default executor and closes the loop.
 *
 * ```ts
 * await using runner = new Runner();
 * await runner.run(main);
 * ```
 */
export class Runner {
  #state: "initialized" | "running" | "closed" | "new" = "new";
  #loop: EventLoop | null = null;
  readonly #debug: boolean | undefined;
  readonly #loopFactory: (() => EventLoop) | undefined;
  #interrupts = 0;
  /** The runner made its own loop and made it the current one (getEventLoop()). */
  #setEventLoop = false;

  constructor(options: RunnerOptions = {}) {
    if (options === null || typeof options !== "object") throw new TypeError(`Runner options must be an object, got ${describeValue(options)}`);
    checkOptionNames(options, ["debug", "loopFactory"], "Runner");
    if (options.loopFactory !== undefined && typeof options.loopFactory !== "function") {
      throw new TypeError(`loopFactory must be a function returning an EventLoop, got ${describeValue(options.loopFactory)}`);
    }
    this.#debug = options.debug;
    this.#loopFactory = options.loopFactory;
  }

  /** The runner's loop (made on first use). */
  getLoop(): EventLoop {
    this.#lazyInit();
    return this.#loop!;
  }

  /**
   * Runs `coro` to completion in a new task on the runner's loop and returns its
   * result. Ctrl-C (SIGINT) cancels that task, then rejects with
   * `KeyboardInterrupt`; a second Ctrl-C kills the process as usual.
   */
  run<T>(coro: Coroutine<T>): Promise<T> {
    checkCoroutine(coro, "Runner.run");
    if (getRunningLoopOrNull() !== null) {
      throw new RuntimeError("Runner.run() cannot be called from a running event loop: await the coroutine instead");
    }
    this.#lazyInit();
    const loop = this.#loop!;
    const task = loop.createTask(coro) as Task<T>;
    this.#interrupts = 0;
    const proc = (globalThis as { process?: SignalProcess }).process;
    // Like asyncio, take over Ctrl-C only when nobody else handles it.
    const onSigint =
      proc && typeof proc.on === "function" && proc.listenerCount("SIGINT") === 0
        ? (): void => {
            this.#interrupts++;
            if (this.#interrupts === 1 && !task.done()) {
              task.cancel();
              loop.callSoonThreadsafe(() => undefined);
              return;
            }
            proc.off("SIGINT", onSigint!);
            proc.kill(proc.pid, "SIGINT");
          }
        : null;
    if (onSigint !== null) proc!.on("SIGINT", onSigint);
    this.#state = "running";
    return loop.runUntilComplete(task).then(
      (value) => {
        this.#afterRun(onSigint, proc);
        return value;
      },
      (error: unknown) => {
        this.#afterRun(onSigint, proc);
        // As asyncio: Ctrl-C's cancel becomes KeyboardInterrupt only if it was the only cancel request.
        // A task factory may make a future-like without uncancel(): then it stays
        // CancelledError, as asyncio's getattr(task, "uncancel", None) (gh-95097).
        if (error instanceof CancelledError && this.#interrupts > 0) {
          const uncancel = (task as Partial<Task<T>>).uncancel;
          if (typeof uncancel === "function" && uncancel.call(task) === 0) throw new KeyboardInterrupt();
        }
        throw error;
      },
    );
  }

  #afterRun(onSigint: (() => void) | null, proc: SignalProcess | undefined): void {
    if (onSigint !== null) proc!.off("SIGINT", onSigint);
    if (this.#state === "running") this.#state = "initialized";
  }

  /** Cancels and awaits the remaining tasks, shuts down the default executor, closes the loop. */
  async close(): Promise<void> {
    if (this.#state !== "initialized") {
      // A runner never used stays usable (asyncio's close() returns unless initialized).
      if (this.#state === "running") throw new RuntimeError("Runner.close() while run() is in progress: await run() first");
      return;
    }
    const loop = this.#loop!;
    try {
      await cancelAllTasks(loop);
      await loop.runUntilComplete(() => loop.shutdownDefaultExecutor());
    } finally {
      if (this.#setEventLoop) setEventLoop(null);
      loop.close();
      this.#loop = null;
      this.#state = "closed";
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #lazyInit(): void {
    if (this.#state === "closed") throw new RuntimeError("Runner is closed");
    if (this.#loop !== null) return;
    const loop = this.#loopFactory ? this.#loopFactory() : new Loop();
    if (!(loop instanceof Loop)) throw new TypeError(`loopFactory() must return an EventLoop, got ${describeValue(loop)}`);
    if (this.#debug !== undefined) loop.setDebug(this.#debug);
    if (this.#loopFactory === undefined) {
      // As asyncio's Runner without a loop_factory: its loop is the current one
      // between runs too, so getEventLoop() and new Future() outside run() get
      // it (not a stray loop whose futures the next run could not await).
      setEventLoop(loop);
      this.#setEventLoop = true;
    }
    this.#loop = loop;
    this.#state = "initialized";
  }
}

/** asyncio's `_cancel_all_tasks`: cancel what is left, wait for it, report failures. */
async function cancelAllTasks(loop: EventLoop): Promise<void> {
  const tasks = loopTasks(loop);
  if (tasks.length === 0) return;
  for (const task of tasks) task.cancel();
  const all = new Future<void>({ loop });
  let remaining = tasks.length;
  const onDone = (): void => {
    if (--remaining === 0 && all._state === PENDING) all.setResult();
  };
  for (const task of tasks) task.addDoneCallback(onDone);
  await loop.runUntilComplete(all);
  for (const task of tasks) {
    if (task._state === FAILED) {
      loop.callExceptionHandler({
        message: "unhandled exception during run() shutdown",
        exception: task.exception(),
        task,
      });
    }
  }
}

/**
 * Runs `main` in a new loop and returns its result (asyncio's `run`): the
 * program's entry point. At the end, tasks still pending are cancelled and
 * awaited, the default executor is shut down and the loop is closed, so nothing
 * is left behind.
 *
 * Errors: `RuntimeError` when called while a loop is running (await the
 * coroutine instead); `TypeError` when `main` is not a coroutine.
 *
 * ```ts
 * await run(async () => { await sleep(1); console.log("hello"); });
 * ```
 */
export function run<T>(main: Coroutine<T>, options: RunnerOptions = {}): Promise<T> {
  if (getRunningLoopOrNull() !== null) {
    throw new RuntimeError("run() cannot be called from a running event loop: await the coroutine, or use createTask()");
  }
  checkCoroutine(main, "run");
  const runner = new Runner(options);
  return (async () => {
    try {
      return await runner.run(main);
    } finally {
      await runner.close();
    }
  })();
}
