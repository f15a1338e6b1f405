import type { Awaitable, EventLoop, FutureLike } from "@asyncio-ts/loop";
import { checkOptionNames } from "@asyncio-ts/loop/lowlevel";
import { CancelledError, Future, Task } from "@asyncio-ts/tasks";
import { futureOf } from "./future-of.js";
import { doneWaiter, whenDone } from "./when-done.js";

/** What awaiting `A` gives: the result type of a future, promise, or coroutine of either kind. */
export type AwaitableResult<A> =
  A extends FutureLike<infer T>
    ? T
    : A extends PromiseLike<infer T>
      ? T
      : A extends Generator<unknown, infer T, never>
        ? T
        : A extends () => PromiseLike<infer T>
          ? T
          : A extends () => Generator<unknown, infer T, never>
            ? T
            : never;

/** `gather()`'s results for a tuple of awaitables, position by position. */
export type GatherResults<A extends readonly unknown[]> = { -readonly [K in keyof A]: AwaitableResult<A[K]> };

export interface GatherOptions {
  /** Put errors (and `CancelledError` for cancelled children) in the results instead of throwing the first one. */
  returnExceptions?: boolean;
}

/**
 * The future `gather()` returns: cancelling it cancels the children, and it
 * ends with `CancelledError` once they are done, as a Task would.
 * Invariant: `#finished` counts the distinct children that are done.
 */
class GatheringFuture<R> extends Future<R[]> {
  readonly #children: FutureLike<unknown>[];
  readonly #returnExceptions: boolean;
  #count = 0;
  #finished = 0;
  #cancelRequested = false;

  constructor(children: FutureLike<unknown>[], returnExceptions: boolean, loop: EventLoop) {
    super({ loop });
    this.#children = children;
    this.#returnExceptions = returnExceptions;
  }

  /** The name asyncio's reprs show for gather()'s future. */
  override _kindName(): string {
    return "_GatheringFuture";
  }

  override cancel(msg?: string): boolean {
    if (this.done()) return false;
    let cancelled = false;
    for (const child of this.#children) if (child.cancel(msg)) cancelled = true;
    // A cancel that reached a child propagates, whatever returnExceptions says (bpo-32684).
    if (cancelled) this.#cancelRequested = true;
    return cancelled;
  }

  /** The number of distinct children, known once they are all made. */
  setCount(count: number): void {
    this.#count = count;
  }

  /** asyncio's `_done_callback`, one waiter shared by every child (no closure per child); it queues no microtasks. */
  readonly childDone = doneWaiter("gather.<locals>._done_callback", (fut: FutureLike<unknown>): void => {
    this.#finished++;
    if (this.done()) {
      // Mark the child's error retrieved: it has nowhere to go.
      if (!fut.cancelled()) fut.exception();
      return;
    }
    if (!this.#returnExceptions) {
      if (fut.cancelled()) {
        this.setException(cancelledErrorOf(fut));
        return;
      }
      const error = fut.exception();
      if (error !== undefined) {
        this.setException(error);
        return;
      }
    }
    if (this.#finished === this.#count) {
      const children = this.#children;
      const results = new Array<unknown>(children.length);
      for (let i = 0; i < children.length; i++) {
        const child = children[i];
        if (child.cancelled()) {
          results[i] = resultCancelledError(child);
        } else {
          const error = child.exception();
          results[i] = error !== undefined ? error : child.result();
        }
      }
      if (this.#cancelRequested) this.setException(cancelledErrorOf(fut));
      else this.setResult(results as R[]);
    }
  });
}

/** asyncio's `fut._make_cancelled_error()`: a task's own CancelledError (once), else a new one with the cancel message. */
function cancelledErrorOf(fut: FutureLike<unknown>): unknown {
  try {
    fut.result();
  } catch (error) {
    return error;
  }
  return new CancelledError();
}

/**
 * asyncio's `CancelledError(fut._cancel_message or '')` for the results list:
 * a finished task keeps no cancel message (its error stays for whoever awaits
 * it), a plain future's comes from a fresh error.
 */
function resultCancelledError(fut: FutureLike<unknown>): CancelledError {
  if (fut instanceof Task) return new CancelledError();
  const error = cancelledErrorOf(fut);
  return error instanceof CancelledError ? error : new CancelledError();
}

function isPlainObject(value: unknown): boolean {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  // A foreign future or thenable may well be a plain object.
  const o = value as { then?: unknown; addDoneCallback?: unknown; next?: unknown };
  return typeof o.then !== "function" && typeof o.addDoneCallback !== "function" && typeof o.next !== "function";
}

/**
 * Runs awaitables concurrently and collects their results, in argument order
 * (asyncio's `gather`). Coroutines are wrapped in tasks; the same object passed
 * twice is one awaitable whose result appears twice. Two forms:
 *
 * - `gather(a, b, c)` → `Future<[A, B, C]>` (a typed tuple);
 * - `gather([a, b, c], { returnExceptions })` → `Future<(A | B | C)[]>`.
 *
 * The first error (or cancelled child, as `CancelledError`) is thrown at once
 * and the other children keep running; with `returnExceptions` errors are put
 * in the results instead. `gather()` of nothing gives `[]`.
 *
 * Cancellation: cancelling the returned future (or a caller awaiting it)
 * cancels every child not done yet, and the gather then throws
 * `CancelledError` (whatever `returnExceptions` says). A child that is
 * cancelled on its own does not cancel the others: it is a `CancelledError`
 * in the results, or thrown. Once the gather has thrown, cancelling it does
 * nothing more.
 *
 * Errors: `TypeError` for an argument that is not awaitable; `RangeError` if
 * futures belong to different loops.
 *
 * ```ts
 * const [a, b] = await gather(sleep(1, 5), createTask(async () => "x")); // [number, string]
 * const all = await gather(urls.map((u) => () => fetchOne(u)), { returnExceptions: true });
 * ```
 */
export function gather(): Future<[]>;
export function gather<const A extends readonly Awaitable<unknown>[]>(aws: A, options: GatherOptions & { returnExceptions: true }): Future<(AwaitableResult<A[number]> | Error)[]>;
export function gather<const A extends readonly Awaitable<unknown>[]>(aws: A, options?: GatherOptions): Future<AwaitableResult<A[number]>[]>;
export function gather<const A extends readonly Awaitable<unknown>[]>(...aws: A): Future<GatherResults<A>>;
export function gather(...args: unknown[]): Future<unknown[]> {
  let aws: readonly unknown[];
  let returnExceptions = false;
  if (args.length >= 1 && Array.isArray(args[0])) {
    if (args.length > 2) throw new TypeError("gather(array, options) takes one array of awaitables and an optional options object");
    aws = args[0] as unknown[];
    const options = args[1] as GatherOptions | undefined;
    if (options !== undefined && (options === null || typeof options !== "object")) {
      throw new TypeError("gather()'s second argument must be an options object, e.g. { returnExceptions: true }");
    }
    checkOptionNames(options, ["returnExceptions"], "gather");
    // Truthiness, as asyncio's `if not return_exceptions:` (return_exceptions=1 works there).
    returnExceptions = Boolean(options?.returnExceptions);
  } else {
    aws = args;
    const last = args[args.length - 1];
    if (args.length > 1 && isPlainObject(last)) {
      // An options object after separate awaitables would be taken for one (and refused as not awaitable).
      throw new TypeError(
        `gather() got a plain object as argument ${args.length}, which is not awaitable: options go after an array of awaitables, gather([a, b], { returnExceptions: true })`,
      );
    }
  }
  if (aws.length === 0) {
    const outer = new Future<unknown[]>();
    outer.setResult([]);
    return outer;
  }
  const argToFut = new Map<unknown, FutureLike<unknown>>();
  const children: FutureLike<unknown>[] = new Array(aws.length);
  const doneFutures: FutureLike<unknown>[] = [];
  let outer: GatheringFuture<unknown> | undefined;
  let loop: EventLoop | undefined;
  for (let i = 0; i < aws.length; i++) {
    const arg = aws[i];
    let fut = argToFut.get(arg);
    if (fut === undefined) {
      fut = futureOf(arg, "gather()", loop === undefined ? undefined : { loop }, `argument ${i + 1}`);
      if (outer === undefined) {
        loop = fut.getLoop();
        // Made before any callback is added; callbacks run through callSoon, after the count is known (bpo-46672).
        outer = new GatheringFuture<unknown>(children, returnExceptions, loop);
      }
      argToFut.set(arg, fut);
      if (fut.done()) doneFutures.push(fut);
      else whenDone(fut, outer.childDone);
    }
    children[i] = fut;
  }
  outer!.setCount(argToFut.size);
  for (const fut of doneFutures) outer!.childDone._wakeup(fut);
  return outer!;
}
