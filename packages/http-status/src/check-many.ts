import { getRunningLoop } from "@asyncio-ts/loop";
import { gather } from "@asyncio-ts/combinators";
import { Lock, Queue, QueueShutDown, Semaphore } from "@asyncio-ts/sync";
import { CancelledError, createTask, currentTask, ensureFuture, type Task } from "@asyncio-ts/tasks";
import { runCheck } from "./check-status.js";
import { resolveOptions, type CheckOptions, type Settings } from "./options.js";
import type { StatusResult } from "./status-result.js";
import { parseTarget } from "./url.js";
import { CheckFailure } from "./errors.js";

/**
 * Checks many URLs concurrently and yields one `StatusResult` per input
 * item, as the checks complete (`order: "completion"`, the default) or in
 * input order (`order: "input"`).
 *
 * ```ts
 * for await (const result of checkMany(readLines("urls.txt"), { concurrency: 50, perHost: 4 })) {
 *   console.log(result.status ?? result.error?.code, result.url);
 * }
 * ```
 *
 * `urls` may be any iterable or async iterable of strings, read lazily: an
 * item is taken only when a check slot is free, so a file of ten million
 * lines is never held in memory. At most `concurrency` checks run at once,
 * at most `perHost` of them against one host name. Memory stays bounded
 * whatever the input size: results wait in a queue of `concurrency` items
 * (a slow consumer slows the checks down), and in input order at most
 * `max(16 × concurrency, 1024)` results are held back behind a slow one.
 *
 * Every item gets exactly one result (an item that is not a valid URL gets
 * an `INVALID_URL` result), unless the iteration is cut short.
 *
 * Cancellation: leaving the `for await` early (`break`, an exception), or
 * cancelling the task iterating, cancels the checks in flight and stops
 * reading `urls` (its `return()` is called). With `options.signal`, aborting
 * is a graceful stop instead: no new URL is started, the checks in flight are
 * cancelled (they give no result), the results already finished are still
 * yielded, and the iteration ends normally.
 *
 * Errors: `TypeError` / `RangeError` at the call for bad arguments;
 * `RuntimeError` when iterated without a running event loop; an error thrown
 * by `urls` itself comes out of the iteration after the checks in flight.
 */
export function checkMany(urls: Iterable<string> | AsyncIterable<string>, options?: CheckOptions): AsyncIterable<StatusResult> {
  const isIterable = urls !== null && urls !== undefined && typeof (urls as Iterable<string>)[Symbol.iterator] === "function";
  const isAsync = urls !== null && urls !== undefined && typeof (urls as AsyncIterable<string>)[Symbol.asyncIterator] === "function";
  if (typeof urls === "string") throw new TypeError("checkMany(): urls must be an iterable of URLs, not one string (wrap it: [url])");
  if (!isIterable && !isAsync) throw new TypeError("checkMany(): urls must be an iterable or async iterable of strings");
  const settings = resolveOptions(options, "checkMany()");
  return {
    [Symbol.asyncIterator]: () => new ManyChecks(urls, isAsync, settings).results(),
  };
}

interface Finished {
  index: number;
  result?: StatusResult;
  /** A bug (never a network fault): ends the iteration. */
  error?: unknown;
}

/**
 * One iteration of `checkMany`: a pool of up to `concurrency` worker tasks,
 * each taking the next URL from the input, checking it, and putting the result
 * in a bounded queue that the consumer (the async generator, in the iterating
 * task) reads. Workers start as the input has work for them: each one that
 * takes an item starts the next, so a huge `concurrency` (2 ** 53) costs
 * nothing beyond what the input needs, where starting them all at once ran
 * out of memory.
 *
 * Invariants: only one worker reads the input at a time (`#inputLock`, for
 * async iterables; a sync `next()` is atomic anyway); in input order, a
 * `#window` permit is held from before an item is taken until its result is
 * yielded, which bounds the results held back behind a slow one; the last
 * worker to end shuts the queue down, which ends the consumer's loop.
 */
class ManyChecks {
  readonly #urls: Iterable<string> | AsyncIterable<string>;
  readonly #isAsync: boolean;
  readonly #settings: Settings;
  readonly #window: Semaphore | null;
  readonly #inputLock = new Lock();
  readonly #queue: Queue<Finished>;
  readonly #hosts = new Map<string, { semaphore: Semaphore; users: number }>();
  readonly #workers = new Set<Task<void>>();
  /** Workers putting a finished result in the queue: a graceful stop lets them finish. */
  readonly #putting = new Set<Task<unknown>>();
  #source: Iterator<string> | AsyncIterator<string> | null = null;
  #exhausted = false;
  #nextIndex = 0;
  /** Workers started, and not yet ended. */
  #alive = 0;
  #started = 0;
  #inputError: { error: unknown } | null = null;
  #stopping = false;

  constructor(urls: Iterable<string> | AsyncIterable<string>, isAsync: boolean, settings: Settings) {
    this.#urls = urls;
    this.#isAsync = isAsync;
    this.#settings = settings;
    this.#window = settings.order === "input" ? new Semaphore(Math.max(16 * settings.concurrency, 1024)) : null;
    this.#queue = new Queue<Finished>({ maxsize: settings.concurrency });
  }

  async *results(): AsyncGenerator<StatusResult, void, undefined> {
    const loop = getRunningLoop();
    const signal = this.#settings.signal;
    const onAbort = (): void => void loop.callSoonThreadsafe(() => this.#stop());
    if (signal?.aborted) this.#stopping = true;
    else signal?.addEventListener("abort", onAbort, { once: true });
    this.#source = this.#isAsync ? (this.#urls as AsyncIterable<string>)[Symbol.asyncIterator]() : (this.#urls as Iterable<string>)[Symbol.iterator]();
    this.#startWorker();
    const held = new Map<number, StatusResult>();
    let next = 0;
    try {
      for (;;) {
        let finished: Finished;
        try {
          finished = await this.#queue.get();
        } catch (error) {
          if (error instanceof QueueShutDown) break;
          throw error;
        }
        if (finished.result === undefined) throw finished.error;
        if (this.#window === null) {
          yield finished.result;
          continue;
        }
        held.set(finished.index, finished.result);
        while (held.has(next)) {
          const result = held.get(next)!;
          held.delete(next);
          next++;
          this.#window.release();
          yield result;
        }
      }
      // After a graceful stop, the checks cancelled leave gaps: what finished still comes, in input order.
      for (const index of [...held.keys()].sort((a, b) => a - b)) yield held.get(index)!;
      if (this.#inputError !== null) throw this.#inputError.error;
    } finally {
      signal?.removeEventListener("abort", onAbort);
      await this.#cancelAll();
    }
  }

  /** Starts one more worker (generator coroutines: no promise per await in the workers' hot path). */
  #startWorker(): void {
    this.#alive++;
    const worker = createTask(this.#work(), { name: `checkMany-worker-${++this.#started}` });
    this.#workers.add(worker);
    worker.addDoneCallback(() => this.#workers.delete(worker));
  }

  /** A graceful stop (options.signal): take no more URLs and cancel the checks in flight. */
  #stop(): void {
    if (this.#stopping) return;
    this.#stopping = true;
    for (const worker of this.#workers) if (!this.#putting.has(worker)) worker.cancel();
  }

  async #cancelAll(): Promise<void> {
    this.#stopping = true;
    const workers = [...this.#workers];
    for (const worker of workers) worker.cancel();
    if (workers.length > 0) await gather(workers, { returnExceptions: true });
    this.#closeSource();
  }

  /**
   * Tells the input we are done with it (`return()`), without waiting: an async
   * iterator may still be busy with a `next()` that never settles, and would
   * queue the `return()` behind it.
   */
  #closeSource(): void {
    if (this.#exhausted || this.#source === null) return;
    this.#exhausted = true;
    try {
      const closing = this.#source.return?.();
      if (closing !== undefined && typeof (closing as PromiseLike<unknown>).then === "function") {
        (closing as Promise<unknown>).then(undefined, () => undefined);
      }
    } catch {
      // The input's own clean-up failed: nothing more is read from it anyway.
    }
  }

  /** The next input item and its index, or null when the input is done (or we are stopping). */
  *#take(): Generator<unknown, [number, unknown] | null, unknown> {
    if (this.#window !== null) yield* this.#window.acquire();
    let taken = false;
    try {
      if (this.#stopping || this.#exhausted) return null;
      let step: IteratorResult<string>;
      if (this.#isAsync) {
        yield* this.#inputLock.acquire();
        try {
          if (this.#stopping || this.#exhausted) return null;
          // Wrapped in a Future, so that a cancel (a stop) interrupts this wait even
          // when the input never produces (an interactive stdin); the input's own
          // promise is left to settle.
          step = yield* ensureFuture((this.#source as AsyncIterator<string>).next());
        } finally {
          this.#inputLock.release();
        }
      } else {
        step = (this.#source as Iterator<string>).next();
      }
      if (step.done) {
        this.#exhausted = true;
        return null;
      }
      taken = true;
      // This worker is busy now: the next item, if any, is for another one.
      if (this.#started < this.#settings.concurrency && !this.#stopping) this.#startWorker();
      return [this.#nextIndex++, step.value];
    } catch (error) {
      if (error instanceof CancelledError) throw error;
      // The input itself failed: it is done; the checks in flight finish, then the error comes out.
      this.#exhausted = true;
      this.#inputError ??= { error };
      return null;
    } finally {
      if (!taken) this.#window?.release();
    }
  }

  *#work(): Generator<unknown, void, unknown> {
    const task = currentTask()!;
    try {
      for (;;) {
        const item = yield* this.#take();
        if (item === null) return;
        const [index, value] = item;
        let finished: Finished;
        // Everything about this item inside the try: an exception here would
        // otherwise end the worker silently, and with it this item's result.
        try {
          const url = typeof value === "string" ? value : String(value);
          const target = parseTarget(url.trim());
          finished = { index, result: yield* this.#perHost(target, runCheck(url, this.#settings, target)) };
        } catch (error) {
          if (error instanceof CancelledError) throw error;
          finished = { index, error };
        }
        this.#putting.add(task);
        try {
          yield* this.#queue.put(finished);
        } finally {
          this.#putting.delete(task);
        }
      }
    } catch (error) {
      // A graceful stop: the check in flight gives no result, and this worker ends.
      if (error instanceof CancelledError && this.#stopping && task.uncancel() === 0) return;
      throw error;
    } finally {
      if (--this.#alive === 0) this.#queue.shutdown();
    }
  }

  *#perHost<T>(target: ReturnType<typeof parseTarget>, check: Generator<unknown, T, unknown>): Generator<unknown, T, unknown> {
    if (this.#settings.perHost === Infinity || target instanceof CheckFailure) return yield* check;
    const key = target.host;
    let entry = this.#hosts.get(key);
    if (entry === undefined) {
      entry = { semaphore: new Semaphore(this.#settings.perHost), users: 0 };
      this.#hosts.set(key, entry);
    }
    entry.users++;
    try {
      yield* entry.semaphore.acquire();
      try {
        return yield* check;
      } finally {
        entry.semaphore.release();
      }
    } finally {
      if (--entry.users === 0) this.#hosts.delete(key);
    }
  }
}
