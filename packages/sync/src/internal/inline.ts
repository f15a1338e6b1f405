import type { Coroutine, EventLoop } from "@asyncio-ts/loop";
import { CancelledError, ensureFuture, Future, Task } from "@asyncio-ts/tasks";

/**
 * A user coroutine that an operation runs inline in its consumer's task (the
 * body of `lock.use(body)`), instead of as a new Task.
 */
export class InlineBody {
  /** Runs a function in the async context (AsyncLocalStorage) of the code that created the body. */
  readonly inContext: <R>(fn: () => R) => R;
  constructor(readonly coroutine: Coroutine<unknown>) {
    this.inContext = snapshot();
  }
}

type Snapshot = <R>(fn: () => R) => R;
const direct: Snapshot = (fn) => fn();
const takeSnapshot: (() => Snapshot) | null = (() => {
  // A runtime check, not an import: sync must load where node:async_hooks is missing.
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const hooks = proc?.getBuiltinModule?.("node:async_hooks") as { AsyncLocalStorage?: { snapshot?: () => Snapshot } } | undefined;
  const Storage = hooks?.AsyncLocalStorage ?? (globalThis as { AsyncLocalStorage?: { snapshot?: () => Snapshot } }).AsyncLocalStorage;
  return typeof Storage?.snapshot === "function" ? Storage.snapshot.bind(Storage) : null;
})();

/**
 * The caller's async context, so that an inline body started later (from a
 * promise reaction, or from the `then()` a task calls on the future its async
 * function returned) still runs "inside" the caller's task: its awaits are
 * then linked to that task and `currentTask()` works in it.
 */
function snapshot(): Snapshot {
  return takeSnapshot === null ? direct : takeSnapshot();
}

/** What an operation's body yields: a future to wait for, or a user coroutine to run inline. */
export type Step = Future<unknown> | InlineBody;
/** A port of one of asyncio's `async def` methods: a generator yielding the futures it awaits. */
export type Body<T> = Generator<Step, T, unknown>;

const NEXT = 0;
const THROW = 1;

/**
 * The future returned by a primitive's blocking method (`acquire`, `wait`,
 * `put`, `get`, ...): CPython's coroutine, ported as a generator `Body`, run
 * *inline* in the task that awaits the future, so that it resumes on the same
 * iteration as CPython's coroutine would, and `CancelledError` reaches the body
 * exactly at the `await` where CPython would raise it (including a task that is
 * cancelled after its waiter was woken but before it ran: the body sees the
 * error and passes the wake-up on).
 *
 * Invariants:
 * - The body runs eagerly up to its first real suspension when the operation is
 *   created (CPython runs it when `await`ed, which in `await x.acquire()` is
 *   the same moment).
 * - `#inner` is the step the body is suspended on; null while running or done.
 * - The first consumer that awaits the operation directly (`await op`, or
 *   `yield* op` in a generator coroutine) becomes its *driver*: it awaits
 *   `#inner` itself, so its task's cancellation lands on `#inner`, and feeds
 *   the outcome to the body. Until a driver appears, a done callback on
 *   `#inner` (the fallback) steps the body, as if it ran in a task of its own
 *   (observers then see completion one iteration later, as with
 *   `create_task(lock.acquire())` in CPython). Like that task, the fallback
 *   resumes a whole chain at once: a nested operation tells its undriven parent
 *   synchronously (`#parent`), and an inline body runs in an eager task that
 *   resumes the operation from its last step.
 * - `cancel()` works as `Task.cancel()`: it cancels `#inner`, or, when that is
 *   already done, delivers `CancelledError` at the body's next step.
 */
export class Operation<T> extends Future<T> {
  #body: Body<T>;
  #inner: Step | null = null;
  #driven = false;
  #mustCancel = false;
  #cancelMessage: string | undefined = undefined;
  /** The CancelledError that ended the body, rethrown to the driver as is. */
  #error: CancelledError | null = null;
  #fallback: ((future: Future<unknown>) => void) | null = null;
  /**
   * An undriven operation whose body is suspended on this one (a nested
   * operation, e.g. Condition.wait() inside Barrier.wait()): told synchronously
   * when this body ends, as CPython resumes a whole chain of coroutines in one
   * step of its task. (A done callback would cost a loop iteration per level.)
   */
  #parent: Operation<unknown> | null = null;
  /** The generator driver's delegate for `#inner` (what `yield*` would delegate to). */
  #sub: Iterator<unknown, unknown, unknown> | null = null;
  /** True during the constructor's first run of the body. */
  #constructing = true;

  constructor(loop: EventLoop, body: Body<T>) {
    super({ loop });
    this.#body = body;
    this.#resume(NEXT, undefined);
    this.#constructing = false;
  }

  /** Shown as a plain future (not as our internal class). */
  override _kindName(): string {
    return "Future";
  }

  /** Requests cancellation, as `Task.cancel()`; false if the operation is done. */
  override cancel(msg?: string): boolean {
    if (this.done()) return super.cancel(msg);
    const inner = this.#inner;
    if (inner instanceof Future && inner.cancel(msg)) return true;
    this.#mustCancel = true;
    this.#cancelMessage = msg;
    return true;
  }

  override then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    if (this.#driven || this.done()) return super.then(onfulfilled, onrejected);
    this.#attach();
    return this.#driveAsync().then(onfulfilled, onrejected);
  }

  override [Symbol.iterator](): Iterator<unknown, T, unknown> {
    if (this.#driven || this.done()) return super[Symbol.iterator]();
    this.#attach();
    const next = (kind: number, value: unknown): IteratorResult<unknown, T> => this.#driveStep(kind, value);
    const iterator: Iterator<unknown, T, unknown> & { [Symbol.iterator](): Iterator<unknown, T, unknown> } = {
      next: (value?: unknown) => next(NEXT, value),
      throw: (error?: unknown) => next(THROW, error),
      return: (value?: unknown) => ({ done: true, value: value as T }),
      [Symbol.iterator]() {
        return iterator;
      },
    };
    return iterator;
  }

  // ---- stepping the body ----------------------------------------------------------

  /** Runs the body until it suspends on a pending step or finishes. */
  #resume(kind: number, value: unknown): void {
    const body = this.#body;
    for (;;) {
      if (this.#mustCancel) {
        this.#mustCancel = false;
        if (!(kind === THROW && value instanceof CancelledError)) {
          kind = THROW;
          value = new CancelledError(this.#cancelMessage ?? "");
        }
      }
      let step: IteratorResult<Step, T>;
      try {
        step = kind === NEXT ? body.next(value) : body.throw(value);
      } catch (error) {
        this.#inner = null;
        if (error instanceof CancelledError) {
          this.#error = error;
          super.cancel(error.message);
        } else {
          super.setException(error);
        }
        this.#notifyParent();
        return;
      }
      if (step.done) {
        this.#inner = null;
        super.setResult(step.value);
        this.#notifyParent();
        return;
      }
      const yielded = step.value;
      if (yielded instanceof InlineBody) {
        this.#inner = yielded;
        if (!this.#driven) {
          // Reached at the call: give a direct consumer (`await`, `yield*` right after
          // the call) the chance to run the body inline. Reached later, from a done
          // callback, nobody is going to: run it as a task now.
          if (this.#constructing) this.getLoop().callSoon(() => this.#startBodyAsTask(yielded));
          else this.#startBodyAsTask(yielded);
        }
        return;
      }
      if (yielded.done()) {
        // Awaiting a done future does not suspend.
        try {
          value = yielded.result();
          kind = NEXT;
        } catch (error) {
          value = error;
          kind = THROW;
        }
        continue;
      }
      this.#inner = yielded;
      if (!this.#driven) {
        if (yielded instanceof Operation && !yielded.#driven && yielded.#parent === null) yielded.#parent = this;
        else yielded.addDoneCallback((this.#fallback ??= (f) => this.#onFallback(f)));
      }
      if (this.#mustCancel && yielded.cancel(this.#cancelMessage)) this.#mustCancel = false;
      return;
    }
  }

  #notifyParent(): void {
    const parent = this.#parent;
    if (parent !== null) {
      this.#parent = null;
      parent.#onFallback(this);
    }
  }

  #onFallback(future: Future<unknown>): void {
    if (this.#driven || this.#inner !== future) return;
    this.#resumeWith(future);
  }

  #resumeWith(future: Future<unknown>): void {
    this.#inner = null;
    let value: unknown;
    try {
      value = future.result();
    } catch (error) {
      this.#resume(THROW, error);
      return;
    }
    this.#resume(NEXT, value);
  }

  /**
   * Runs an inline body nobody drives in a task of its own, as CPython runs
   * `async with lock: body` inside the task of `ensure_future(coro)`: the task
   * starts eagerly (the body runs in the step that acquired), and when the body
   * ends it resumes this operation synchronously, in the task's last step (a done
   * callback would cost a loop iteration).
   */
  #startBodyAsTask(inline: InlineBody): void {
    if (this.#driven || this.#inner !== inline) return;
    if (this.#mustCancel) {
      // Cancelled before the body started: it never runs (a task cancelled before its first step).
      this.#inner = null;
      this.#resume(NEXT, undefined);
      return;
    }
    const op = this;
    let task: Task<unknown> | null = null;
    // Whether the body's outcome was taken here; if not (a driver attached meanwhile), it is the task's.
    const ended = (kind: number, value: unknown): boolean => {
      if (op.#driven || (op.#inner !== inline && (task === null || op.#inner !== task))) return false;
      op.#inner = null;
      op.#resume(kind, value);
      return true;
    };
    const coroutine = inline.coroutine;
    const wrapper: Coroutine<unknown> = isGenerator(coroutine)
      ? (function* () {
          let value: unknown;
          try {
            value = yield* coroutine;
          } catch (error) {
            if (ended(THROW, error)) return undefined;
            throw error;
          }
          return ended(NEXT, value) ? undefined : value;
        })()
      : async () => {
          let value: unknown;
          try {
            value = await runInline(coroutine);
          } catch (error) {
            if (ended(THROW, error)) return undefined;
            throw error;
          }
          return ended(NEXT, value) ? undefined : value;
        };
    task = inline.inContext(() => new Task(wrapper, { loop: this.getLoop(), eagerStart: true }));
    if (this.#inner === inline && !task.done()) this.#inner = task;
  }

  #attach(): void {
    this.#driven = true;
    const inner = this.#inner;
    if (inner instanceof Operation && inner.#parent === this) inner.#parent = null;
    else if (inner instanceof Future && this.#fallback !== null) inner.removeDoneCallback(this.#fallback);
  }

  /** The outcome for the driver: the body's own CancelledError when it was cancelled. */
  #outcome(): T {
    if (this.#error !== null && this.cancelled()) {
      super.cancel(); // marks retrieval; a no-op on a done future
      throw this.#error;
    }
    return this.result();
  }

  // ---- the drivers ------------------------------------------------------------------

  /**
   * `await op`: awaits each step in the awaiting code's context. `then()` is
   * called on each step synchronously (not through `await`), so the task that
   * awaits the operation is the one recorded as waiting on the step, and its
   * cancellation reaches the step.
   */
  #driveAsync(): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const proceed = (kind: number, value: unknown): void => {
        if (!this.done()) {
          this.#inner = null;
          this.#resume(kind, value);
        }
        awaitNext();
      };
      const onValue = (value: unknown): void => proceed(NEXT, value);
      const onError = (error: unknown): void => proceed(THROW, error);
      const awaitNext = (): void => {
        if (this.done()) {
          try {
            resolve(this.#outcome());
          } catch (error) {
            reject(error);
          }
          return;
        }
        const inner = this.#inner!;
        let awaited: PromiseLike<unknown>;
        try {
          awaited = inner instanceof InlineBody ? inner.inContext(() => runInline(inner.coroutine)) : inner;
        } catch (error) {
          onError(error);
          return;
        }
        awaited.then(onValue, onError);
      };
      awaitNext();
    });
  }

  /** `yield* op`: delegates to each step's iterator, as `yield*` would in CPython's coroutine. */
  #driveStep(kind: number, value: unknown): IteratorResult<unknown, T> {
    for (;;) {
      if (this.done()) return { done: true, value: this.#outcome() };
      let sub = this.#sub;
      if (sub === null) {
        const inner = this.#inner!;
        sub = this.#sub = inner instanceof InlineBody ? inner.inContext(() => inlineIterator(inner.coroutine)) : inner[Symbol.iterator]();
        kind = NEXT;
        value = undefined;
      }
      let step: IteratorResult<unknown, unknown>;
      try {
        if (kind === NEXT) step = sub.next(value);
        else if (sub.throw !== undefined) step = sub.throw(value);
        else throw value;
      } catch (error) {
        this.#sub = null;
        this.#inner = null;
        this.#resume(THROW, error);
        kind = NEXT;
        value = undefined;
        continue;
      }
      if (!step.done) return { done: false, value: step.value };
      this.#sub = null;
      this.#inner = null;
      this.#resume(NEXT, step.value);
      kind = NEXT;
      value = undefined;
    }
  }
}

function isGenerator(value: unknown): value is Generator<unknown, unknown, unknown> {
  return (
    value !== null &&
    typeof value === "object" &&
    typeof (value as Generator).next === "function" &&
    typeof (value as Generator).throw === "function" &&
    typeof (value as Generator)[Symbol.iterator] === "function"
  );
}

/** Runs a user coroutine inside the awaiting async code (a generator one becomes a task). */
function runInline(coroutine: Coroutine<unknown>): PromiseLike<unknown> {
  if (typeof coroutine !== "function") return ensureFuture(coroutine as never);
  const returned = (coroutine as () => unknown)();
  if (isGenerator(returned)) return ensureFuture(returned as never);
  return Promise.resolve(returned);
}

/** The iterator a generator driver delegates to for a user coroutine. */
function inlineIterator(coroutine: Coroutine<unknown>): Iterator<unknown, unknown, unknown> {
  if (typeof coroutine !== "function") return coroutine as Iterator<unknown, unknown, unknown>;
  const returned = (coroutine as () => unknown)();
  if (isGenerator(returned)) return returned;
  return ensureFuture(Promise.resolve(returned))[Symbol.iterator]();
}

/** A future already holding `value` (no loop turn to await it). */
export function resolved<T>(loop: EventLoop, value: T): Future<T> {
  const future = new Future<T>({ loop });
  future.setResult(value);
  return future;
}

/** A future already failed with `error`, marked retrieved when nobody looks. */
export function rejected<T>(loop: EventLoop, error: unknown): Future<T> {
  const future = new Future<T>({ loop });
  future.setException(error);
  return future;
}
