import type { Awaitable, EventLoop, FutureLike } from "@asyncio-ts/loop";
import { describeValue } from "@asyncio-ts/loop/lowlevel";
import { ensureFuture } from "@asyncio-ts/tasks";

/**
 * `ensureFuture()` for a combinator's argument: what is not awaitable is a
 * `TypeError` that names the combinator (and, for a list, which item),
 * not `ensureFuture()`, which the user never called.
 */
export function futureOf<T>(aw: unknown, where: string, options?: { loop?: EventLoop }, item?: string): FutureLike<T> {
  try {
    return ensureFuture(aw as Awaitable<T>, options) as FutureLike<T>;
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    const shown = describeValue(aw);
    throw new TypeError(
      item === undefined
        ? `${where} takes an awaitable (a future, a coroutine or a promise), got ${shown}`
        : `${where} takes awaitables (futures, coroutines, promises); ${item} is ${shown}`,
      { cause: error },
    );
  }
}
