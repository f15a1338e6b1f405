import { brand, checkOptionNames, describeValue } from "@asyncio-ts/loop/lowlevel";
import { Future } from "@asyncio-ts/tasks";
import { QueueEmpty, QueueFull, QueueShutDown } from "./errors.js";
import { Event } from "./event.js";
import { Deque } from "./internal/deque.js";
import { type Body, Operation, rejected, resolved } from "./internal/inline.js";
import { LoopBound } from "./internal/loop-bound.js";
import type { Store } from "./internal/store.js";

/** Options of `new Queue()`. */
export interface QueueOptions {
  /** Capacity; 0 or less (the default) means unbounded. `put()` waits while the queue is full. */
  maxsize?: number;
}

/** What `Queue.statistics()` reports. */
export interface QueueStatistics {
  qsize: number;
  maxsize: number;
  /** Tasks blocked in `get()`. */
  getters: number;
  /** Tasks blocked in `put()`. */
  putters: number;
  /** Items put and not yet marked done with `taskDone()`. */
  unfinishedTasks: number;
  shutdown: boolean;
}

class FifoStore<T> extends Deque<T> implements Store<T> {
  add(item: T): void {
    this.push(item);
  }
  take(): T {
    return this.shift() as T;
  }
}

let installStore: <T>(queue: Queue<T>, store: Store<T>) => void;

/** @internal Used by PriorityQueue and LifoQueue to pick their item order. */
export function setStore<T>(queue: Queue<T>, store: Store<T>): void {
  installStore(queue, store);
}

/** An item as the queue's repr shows it; arrays (PriorityQueue's tuples) element by element. */
function formatItem(item: unknown): string {
  return Array.isArray(item) ? `[${item.map(formatItem).join(", ")}]` : describeValue(item);
}

function wakeupNext(waiters: Deque<Future<void>>): void {
  // Wake the first waiter that is not cancelled (popping the ones before it).
  for (;;) {
    const waiter = waiters.shift();
    if (waiter === undefined) return;
    if (!waiter.done()) {
      waiter.setResult(undefined);
      return;
    }
  }
}

/**
 * A FIFO queue for producer and consumer coroutines (asyncio's `Queue`).
 * `put()` waits while a bounded queue is full, `get()` while it is empty;
 * `taskDone()` and `join()` track processing; `shutdown()` (asyncio 3.13) ends
 * it. Both complete at once, with no loop turn, when they need not wait.
 *
 * Cancellation: a cancelled `put()` puts nothing and a cancelled `get()` takes
 * nothing; if the cancelled waiter had just been woken, the wake-up passes to
 * the next waiter.
 *
 * ```ts
 * const queue = new Queue<number>({ maxsize: 10 });
 * await queue.put(1);
 * const item = await queue.get();
 * queue.taskDone();
 * ```
 */
export class Queue<T = unknown> extends LoopBound {
  static {
    brand(this, "Queue");
    installStore = (queue, store) => {
      queue.#items = store as Store<never>;
    };
  }
  readonly #maxsize: number;
  #items: Store<T> = new FifoStore<T>();
  #getters = new Deque<Future<void>>();
  #putters = new Deque<Future<void>>();
  #unfinishedTasks = 0;
  #finished = new Event();
  #isShutdown = false;

  constructor(options: QueueOptions = {}) {
    super();
    if (options === null || typeof options !== "object") {
      throw new TypeError(`${new.target.name}() takes an options object ({ maxsize }), got ${describeValue(options)}`);
    }
    // A misspelt maxsize would make an unbounded queue. (A subclass of a user's may take options of its own.)
    if (new.target === Queue) checkOptionNames(options, ["maxsize"], "Queue");
    const maxsize = options.maxsize ?? 0;
    if (typeof maxsize !== "number") throw new TypeError(`maxsize must be a number, got ${describeValue(maxsize)}`);
    if (Number.isNaN(maxsize)) throw new RangeError("maxsize must be a number, got NaN");
    this.#maxsize = maxsize;
    this.#finished.set();
  }

  /** Number of items in the queue. */
  qsize(): number {
    return this.#items.length;
  }

  /** The capacity given at construction (0 or less: unbounded). */
  get maxsize(): number {
    return this.#maxsize;
  }

  /** True if the queue has no items. */
  empty(): boolean {
    return this.#items.length === 0;
  }

  /** True if the queue holds `maxsize` items; never for an unbounded queue. */
  full(): boolean {
    return this.#maxsize > 0 && this.#items.length >= this.#maxsize;
  }

  /**
   * Puts `item` in the queue, waiting for a free slot while it is full.
   *
   * Cancellation: the item is not put.
   *
   * Errors (through the future): `QueueShutDown` once the queue is shut down.
   */
  put(item: T): Future<void> {
    if (!this.full()) {
      const done = this._doneVoid(); // first: it throws outside a running loop
      try {
        this.putNowait(item);
      } catch (error) {
        return rejected(done.getLoop(), error);
      }
      return done;
    }
    return new Operation(this._getLoop(), this.#putBody(item));
  }

  *#putBody(item: T): Body<void> {
    while (this.full()) {
      if (this.#isShutdown) throw new QueueShutDown();
      const putter = new Future<void>({ loop: this._getLoop() });
      this.#putters.push(putter);
      try {
        yield putter;
      } catch (error) {
        putter.cancel(); // in case it is not done yet
        this.#putters.remove(putter); // it may be gone already (woken, or shut down)
        // Woken by a get, but cannot take the slot: wake the next putter.
        if (!this.full() && !putter.cancelled()) wakeupNext(this.#putters);
        throw error;
      }
    }
    this.putNowait(item);
  }

  /**
   * Puts `item` without waiting.
   *
   * Errors: `QueueFull` if the queue is full, `QueueShutDown` after `shutdown()`.
   */
  putNowait(item: T): void {
    if (this.#isShutdown) throw new QueueShutDown();
    if (this.full()) throw new QueueFull();
    this.#items.add(item);
    this.#unfinishedTasks++;
    this.#finished.clear();
    if (this.#getters.length > 0) wakeupNext(this.#getters);
  }

  /**
   * Removes and returns an item, waiting while the queue is empty.
   *
   * Cancellation: no item is taken.
   *
   * Errors (through the future): `QueueShutDown` if the queue is shut down and
   * empty, or was shut down with `immediate`.
   */
  get(): Future<T> {
    if (this.#items.length > 0) return resolved(this._anyLoop(), this.getNowait());
    return new Operation(this._getLoop(), this.#getBody());
  }

  *#getBody(): Body<T> {
    while (this.empty()) {
      if (this.#isShutdown) throw new QueueShutDown();
      const getter = new Future<void>({ loop: this._getLoop() });
      this.#getters.push(getter);
      try {
        yield getter;
      } catch (error) {
        getter.cancel();
        this.#getters.remove(getter);
        // Woken by a put, but cannot take the item: wake the next getter.
        if (!this.empty() && !getter.cancelled()) wakeupNext(this.#getters);
        throw error;
      }
    }
    return this.getNowait();
  }

  /**
   * Removes and returns an item without waiting.
   *
   * Errors: `QueueEmpty` if there is none, `QueueShutDown` if empty after `shutdown()`.
   */
  getNowait(): T {
    if (this.#items.length === 0) {
      if (this.#isShutdown) throw new QueueShutDown();
      throw new QueueEmpty();
    }
    const item = this.#items.take();
    if (this.#putters.length > 0) wakeupNext(this.#putters);
    return item;
  }

  /**
   * Marks one item returned by `get()` as processed; when every item put has
   * been marked, `join()` returns.
   *
   * Errors: `RangeError("taskDone() called too many times")` (Python's ValueError).
   */
  taskDone(): void {
    if (this.#unfinishedTasks <= 0) throw new RangeError("taskDone() called too many times");
    this.#unfinishedTasks--;
    if (this.#unfinishedTasks === 0) this.#finished.set();
  }

  /**
   * Waits until every item put has been marked done with `taskDone()`; at once
   * if there is none.
   *
   * Cancellation: only the waiting stops; the queue is unchanged.
   */
  join(): Future<void> {
    if (this.#unfinishedTasks <= 0) return this._doneVoid();
    // Not _getLoop(): as in CPython, only the internal Event binds (to the loop it waits in).
    return new Operation(this._anyLoop(), this.#joinBody());
  }

  *#joinBody(): Body<void> {
    yield this.#finished.wait();
  }

  /**
   * Shuts the queue down (asyncio 3.13): later `put()`s raise `QueueShutDown`,
   * and `get()`s too once the queue is empty. Blocked putters and getters are
   * woken to see it. With `immediate`, the remaining items are dropped (each
   * counted as done, which may release `join()`), and gets raise at once.
   */
  shutdown(immediate = false): void {
    this.#isShutdown = true;
    if (immediate) {
      while (this.#items.length > 0) {
        this.#items.take();
        if (this.#unfinishedTasks > 0) this.#unfinishedTasks--;
      }
      if (this.#unfinishedTasks === 0) this.#finished.set();
    }
    for (let getter = this.#getters.shift(); getter !== undefined; getter = this.#getters.shift()) {
      if (!getter.done()) getter.setResult(undefined);
    }
    for (let putter = this.#putters.shift(); putter !== undefined; putter = this.#putters.shift()) {
      if (!putter.done()) putter.setResult(undefined);
    }
  }

  /** Debug information; see `QueueStatistics`. */
  statistics(): QueueStatistics {
    return {
      qsize: this.#items.length,
      maxsize: this.#maxsize,
      getters: this.#getters.length,
      putters: this.#putters.length,
      unfinishedTasks: this.#unfinishedTasks,
      shutdown: this.#isShutdown,
    };
  }

  override toString(): string {
    let result = `maxsize=${this.#maxsize}`;
    if (this.#items.length > 0) result += ` _queue=${formatItem(this.#items.toArray())}`;
    if (this.#getters.length > 0) result += ` _getters[${this.#getters.length}]`;
    if (this.#putters.length > 0) result += ` _putters[${this.#putters.length}]`;
    if (this.#unfinishedTasks > 0) result += ` tasks=${this.#unfinishedTasks}`;
    if (this.#isShutdown) result += " shutdown";
    return `<${this.constructor.name} ${result}>`;
  }
}
