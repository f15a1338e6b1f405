import type { Coroutine, FutureLike, GeneratorCoroutine } from "@asyncio-ts/loop";
import { describeValue, isAsyncGeneratorFunction, isThenable } from "@asyncio-ts/loop/lowlevel";

/** True for a generator object (a generator coroutine) or an async function (an async coroutine). */
export function iscoroutine(value: unknown): value is Coroutine<unknown> {
  if (typeof value === "function") return value.constructor?.name === "AsyncFunction";
  return isGeneratorObject(value);
}

export function isGeneratorObject(value: unknown): value is GeneratorCoroutine<unknown> {
  return (
    value !== null &&
    typeof value === "object" &&
    typeof (value as { next?: unknown }).next === "function" &&
    typeof (value as { throw?: unknown }).throw === "function" &&
    typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === "function"
  );
}

/**
 * True for what `ensureFuture()` accepts: a future (ours or any `FutureLike`),
 * a coroutine of either kind, a coroutine function, or a promise (any thenable).
 * Python's `inspect.isawaitable`, widened to the shapes this library awaits.
 */
export function isAwaitable(value: unknown): boolean {
  // An async generator function is iterated, never awaited.
  if (typeof value === "function") return !isAsyncGeneratorFunction(value);
  if (value === null || typeof value !== "object") return false;
  return isGeneratorObject(value) || isThenable(value) || isFutureLike(value);
}

/** A future of ours or of another copy of this library: it has the methods awaiting one uses. */
export function isFutureLike(value: unknown): value is FutureLike<unknown> {
  return (
    value !== null &&
    typeof value === "object" &&
    typeof (value as FutureLike<unknown>).addDoneCallback === "function" &&
    typeof (value as FutureLike<unknown>).getLoop === "function" &&
    typeof (value as FutureLike<unknown>).result === "function"
  );
}

/** Throws the TypeError CONTRACT §1 asks for when `value` is not a coroutine. */
export function checkCoroutine(value: unknown, where: string): void {
  if (typeof value === "function") {
    // Its result (an async generator) would have become the task's result, the body never run.
    if (isAsyncGeneratorFunction(value)) {
      throw new TypeError(
        `${where}() expects a coroutine, got async generator ${describeValue(value)}: an async generator is iterated with for await, ` +
          "not run as a coroutine; iterate it inside an async function and pass that",
      );
    }
    return;
  }
  if (isGeneratorObject(value)) return;
  if (isThenable(value)) {
    throw new TypeError(
      `${where}() expects a coroutine, got ${describeValue(value)} that is already running: ` +
        `pass the async function itself (${where}(() => work())), or use ensureFuture() to wrap the promise`,
    );
  }
  throw new TypeError(
    `${where}() expects a coroutine (an async function, uncalled, or a generator object), got ${describeValue(value)}`,
  );
}
