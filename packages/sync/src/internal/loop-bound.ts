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

  /** @internal The loop for an operation that completes at once (no binding). */
  _anyLoop(): EventLoop {
    return this.#loop ?? getRunningLoop();
  }

  /**
   * @internal One shared, already completed `Future<true>`: returned by every
   * operation that succeeds at once, so the fast path allocates nothing. Done
   * futures are immutable (cancel() returns false), so sharing is safe.
   */
  _doneTrue(): Future<true> {
    let future = this.#doneTrue;
    if (future === null) {
      future = this.#doneTrue = new Future<true>({ loop: this._anyLoop() });
      future.setResult(true);
    }
    return future;
  }

  /** @internal As `_doneTrue()`, for `Future<void>`. */
  _doneVoid(): Future<void> {
    let future = this.#doneVoid;
    if (future === null) {
      future = this.#doneVoid = new Future<void>({ loop: this._anyLoop() });
      future.setResult(undefined);
    }
    return future;
  }
}
