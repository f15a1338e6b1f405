/**
 * A growable ring buffer: O(1) push/shift/pop/unshift, O(n) remove. Used for the
 * waiter queues and the FIFO queue's items (a JS array's shift() is O(n)).
 */
export class Deque<T> {
  #items: (T | undefined)[];
  #head = 0;
  #size = 0;
  #mask: number;

  constructor(capacity = 8) {
    let c = 8;
    while (c < capacity) c <<= 1;
    this.#items = new Array(c);
    this.#mask = c - 1;
  }

  get length(): number {
    return this.#size;
  }

  push(item: T): void {
    if (this.#size === this.#items.length) this.#grow();
    this.#items[(this.#head + this.#size) & this.#mask] = item;
    this.#size++;
  }

  unshift(item: T): void {
    if (this.#size === this.#items.length) this.#grow();
    this.#head = (this.#head - 1) & this.#mask;
    this.#items[this.#head] = item;
    this.#size++;
  }

  /** Removes and returns the first item; undefined when empty. */
  shift(): T | undefined {
    if (this.#size === 0) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head] = undefined;
    this.#head = (this.#head + 1) & this.#mask;
    this.#size--;
    return item;
  }

  /** Removes and returns the last item; undefined when empty. */
  pop(): T | undefined {
    if (this.#size === 0) return undefined;
    this.#size--;
    const index = (this.#head + this.#size) & this.#mask;
    const item = this.#items[index];
    this.#items[index] = undefined;
    return item;
  }

  peekFirst(): T | undefined {
    return this.#size === 0 ? undefined : this.#items[this.#head];
  }

  at(index: number): T | undefined {
    return index < 0 || index >= this.#size ? undefined : this.#items[(this.#head + index) & this.#mask];
  }

  /** Removes the first occurrence of `item`; false if it was not there (Python's ValueError). */
  remove(item: T): boolean {
    const n = this.#size;
    for (let i = 0; i < n; i++) {
      if (this.#items[(this.#head + i) & this.#mask] === item) {
        for (let j = i; j < n - 1; j++) {
          this.#items[(this.#head + j) & this.#mask] = this.#items[(this.#head + j + 1) & this.#mask];
        }
        this.#items[(this.#head + n - 1) & this.#mask] = undefined;
        this.#size--;
        return true;
      }
    }
    return false;
  }

  clear(): void {
    this.#items.fill(undefined);
    this.#head = 0;
    this.#size = 0;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.#size; i++) yield this.#items[(this.#head + i) & this.#mask] as T;
  }

  toArray(): T[] {
    return [...this];
  }

  #grow(): void {
    const old = this.#items;
    const bigger = new Array<T | undefined>(old.length * 2);
    for (let i = 0; i < this.#size; i++) bigger[i] = old[(this.#head + i) & this.#mask];
    this.#items = bigger;
    this.#head = 0;
    this.#mask = bigger.length - 1;
  }
}
