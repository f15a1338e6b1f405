import { brand, checkOptionNames } from "@asyncio-ts/loop/lowlevel";
import type { Store } from "./internal/store.js";
import { Queue, type QueueOptions, setStore } from "./queue.js";

class LifoStore<T> implements Store<T> {
  #items: T[] = [];
  get length(): number {
    return this.#items.length;
  }
  add(item: T): void {
    this.#items.push(item);
  }
  take(): T {
    return this.#items.pop() as T;
  }
  clear(): void {
    this.#items.length = 0;
  }
  toArray(): T[] {
    return this.#items.slice();
  }
}

/**
 * A `Queue` that returns the most recently added item first (asyncio's
 * `LifoQueue`). Everything else is as `Queue`.
 */
export class LifoQueue<T = unknown> extends Queue<T> {
  static {
    brand(this, "LifoQueue");
  }
  constructor(options: QueueOptions = {}) {
    if (new.target === LifoQueue && typeof options === "object") checkOptionNames(options, ["maxsize"], "LifoQueue");
    super(options);
    setStore(this, new LifoStore<T>());
  }
}
