import { RuntimeError } from "@asyncio-ts/loop";
import { describeCall, type Call } from "./pool-call.js";

/**
 * The pool's calls waiting for a worker, first in first out.
 *
 * Invariant: `call.queued` is true exactly for the calls that still wait here
 * and `waiting` counts them; a call withdrawn (cancelled) stays in the array
 * until `shift()` passes it, so withdrawing is O(1).
 */
export class CallQueue {
  #items: Call[] = [];
  #head = 0;
  #waiting = 0;

  /** Calls that still wait. */
  get waiting(): number {
    return this.#waiting;
  }

  push(call: Call): void {
    call.queued = true;
    this.#items.push(call);
    this.#waiting++;
  }

  /**
   * Puts calls taken back from a worker before they started at the head, in
   * their submission order; a call whose buffers were transferred to that
   * worker cannot be sent again and fails instead (`why` is the cause).
   */
  requeue(calls: Call[], why: unknown): void {
    calls.sort((a, b) => b.id - a.id);
    for (const call of calls) {
      if (call.future.done()) continue;
      if (call.transferList.length > 0) {
        call.settle(false, new RuntimeError(`${describeCall(call)} never started: the worker thread it was sent to ended, and its transferred arguments (transfer()) went with it`, { cause: why }));
        continue;
      }
      call.queued = true;
      if (this.#head > 0) this.#items[--this.#head] = call;
      else this.#items.unshift(call);
      this.#waiting++;
    }
  }

  /** The next call that still waits, taken out; null when none does. */
  shift(): Call | null {
    const items = this.#items;
    while (this.#head < items.length) {
      const call = items[this.#head];
      items[this.#head++] = undefined as unknown as Call;
      if (!call.queued) continue; // withdrawn while it waited
      call.queued = false;
      this.#waiting--;
      if (this.#head > 1024 && this.#head * 2 > items.length) {
        items.splice(0, this.#head);
        this.#head = 0;
      }
      return call;
    }
    this.#items = [];
    this.#head = 0;
    return null;
  }

  /** Takes `call` out if it still waits here (a cancel); false if it does not. */
  withdraw(call: Call): boolean {
    if (!call.queued) return false;
    call.queued = false;
    this.#waiting--;
    return true;
  }
}
