import type { EventLoop } from "@asyncio-ts/loop";
import { getRunningLoop, RuntimeError } from "@asyncio-ts/loop";
import { Future } from "@asyncio-ts/tasks";

/**
 * asyncio's `_LoopBoundMixin`: a primitive belongs to the loop that was running
 * when it first had to wait, and using it from another loop is a RuntimeError.
 * Operations that complete at once do not bind it (as in CPython).
 */
export class LoopBound {
  #loop: EventLoop | null = null;
  #doneTrue: Future<true> | null = null;
  #doneVoid: Future<void> | null = null;

  /** @internal The running loop, binding the primitive to it on first use. */
  _getLoop(): EventLoop {
    const loop = getRunningLoop();
    if (this.#loop === null) this.#loop = loop;
    else if (loop !== this.#loop) throw new RuntimeError(`${String(this)} is bound to a different event loop`);
    return loop;
  }

  /**
   * @internal The loop for an operation that does not bind the primitive: the
   * running one, even when the primitive is bound to another (CPython checks
   * the binding only where it creates a future; a free Lock taken by
   * `async with` in a second `asyncio.run()` works there).
   */
  _anyLoop(): EventLoop {
    return getRunningLoop();
  }

  /**
   * @internal A shared, already completed `Future<true>` of the running loop:
   * returned by every operation that succeeds at once, so the fast path
   * allocates nothing. Done futures are immutable (cancel() returns false), so
   * sharing is safe; one of another loop is not (its done callbacks would be
   * scheduled on that loop, maybe closed), hence the check.
   */
  _doneTrue(): Future<true> {
    const loop = getRunningLoop();
    let future = this.#doneTrue;
    if (future === null || future.getLoop() !== loop) {
      future = this.#doneTrue = new Future<true>({ loop });
      future.setResult(true);
    }
    return future;
  }

  /** @internal As `_doneTrue()`, for `Future<void>`. */
  _doneVoid(): Future<void> {
    const loop = getRunningLoop();
    let future = this.#doneVoid;
    if (future === null || future.getLoop() !== loop) {
      future = this.#doneVoid = new Future<void>({ loop });
      future.setResult(undefined);
    }
    return future;
  }
}
