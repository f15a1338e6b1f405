import { brand, checkOptionNames, describeValue } from "@asyncio-ts/loop/lowlevel";
import type { Store } from "./internal/store.js";
import { Queue, type QueueOptions, setStore } from "./queue.js";

/** Options of `new PriorityQueue()`. */
export interface PriorityQueueOptions<T> extends QueueOptions {
  /**
   * Orders items: negative when `a` comes out first. Default: `pythonCompare`
   * (numbers, bigints, booleans, strings, and arrays of them element-wise,
   * like Python's tuples).
   */
  compare?: (a: T, b: T) => number;
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/**
 * Python's ordering for the values a PriorityQueue typically holds: numbers,
 * bigints and booleans by value, strings by code point, arrays element-wise like
 * tuples (a prefix sorts first). Two values Python could not order (a string
 * and a number, two distinct plain objects) throw `TypeError`, as `<` does in
 * Python; equal leading elements are never compared further than needed, so
 * `[priority, payload]` only compares payloads when priorities tie.
 */
export function pythonCompare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  const ta = typeof a;
  const tb = typeof b;
  const numericA = ta === "number" || ta === "bigint" || ta === "boolean";
  const numericB = tb === "number" || tb === "bigint" || tb === "boolean";
  if (numericA && numericB) {
    const x = ta === "boolean" ? Number(a) : (a as number);
    const y = tb === "boolean" ? Number(b) : (b as number);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (ta === "string" && tb === "string") return compareStrings(a as string, b as string);
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const c = pythonCompare(a[i], b[i]);
      if (c !== 0) return c;
      // Python's tuple comparison decides at the first element that is not ==: a NaN
      // against a number is neither < nor > (0 above) yet not equal, so it decides
      // there ("not less"), without looking at the payloads. (NaN against NaN counts
      // as equal, as the same float object does in Python.)
      if (Number.isNaN(a[i]) !== Number.isNaN(b[i])) return 0;
    }
    return a.length - b.length;
  }
  throw new TypeError(`'<' not supported between ${typeName(a)} ${describeValue(a)} and ${typeName(b)} ${describeValue(b)}; pass a compare option to PriorityQueue`);
}

/**
 * Python orders str by code point; JS's `<` by UTF-16 code unit, which differs
 * when the first difference pairs a surrogate (half of a code point from
 * U+10000 up) with a unit from U+E000 to U+FFFF: "\u{10000}" < "\uffff" in JS,
 * not in Python. Fix up such a pair (ICU's trick: surrogates move above
 * U+FFFF's unit). Lone surrogates, which Python orders by their own value, are
 * treated as halves of pairs.
 */
function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n) return a.length - b.length;
  let x = a.charCodeAt(i);
  let y = b.charCodeAt(i);
  if (x >= 0xd800 && y >= 0xd800) {
    x += x >= 0xe000 ? -0x800 : 0x2000;
    y += y >= 0xe000 ? -0x800 : 0x2000;
  }
  return x < y ? -1 : 1;
}

/** A binary min-heap, the same algorithm as Python's heapq (so ties come out in the same order). */
class HeapStore<T> implements Store<T> {
  readonly #heap: T[] = [];
  readonly #less: (a: T, b: T) => boolean;
  constructor(compare: (a: T, b: T) => number) {
    this.#less = (a, b) => compare(a, b) < 0;
  }
  get length(): number {
    return this.#heap.length;
  }
  add(item: T): void {
    const heap = this.#heap;
    heap.push(item);
    this.#siftDown(0, heap.length - 1);
  }
  take(): T {
    const heap = this.#heap;
    const last = heap.pop() as T;
    if (heap.length === 0) return last;
    const top = heap[0];
    heap[0] = last;
    this.#siftUp(0);
    return top;
  }
  clear(): void {
    this.#heap.length = 0;
  }
  toArray(): T[] {
    return this.#heap.slice();
  }
  // Both sifts move a hole instead of swapping; `finally` fills it with the item
  // even when the comparison throws, so the heap stays a permutation of its items
  // exactly where heapq's (swapping) C code leaves it: a put whose item cannot be
  // ordered raises TypeError but leaves the item in the queue, as in CPython.
  #siftDown(start: number, pos: number): void {
    const heap = this.#heap;
    const item = heap[pos];
    try {
      while (pos > start) {
        const parentPos = (pos - 1) >> 1;
        const parent = heap[parentPos];
        if (!this.#less(item, parent)) break;
        heap[pos] = parent;
        pos = parentPos;
      }
    } finally {
      heap[pos] = item;
    }
  }
  #siftUp(pos: number): void {
    const heap = this.#heap;
    const end = heap.length;
    const start = pos;
    const item = heap[pos];
    let child = 2 * pos + 1;
    try {
      while (child < end) {
        const right = child + 1;
        if (right < end && !this.#less(heap[child], heap[right])) child = right;
        heap[pos] = heap[child];
        pos = child;
        child = 2 * pos + 1;
      }
    } finally {
      heap[pos] = item;
    }
    this.#siftDown(start, pos);
  }
}

/**
 * A `Queue` that returns the smallest item first (asyncio's `PriorityQueue`),
 * kept in a binary heap. Items are typically `[priority, data]` arrays, ordered
 * like Python tuples; pass `compare` for anything else.
 *
 * ```ts
 * const queue = new PriorityQueue<[number, string]>();
 * queue.putNowait([2, "later"]);
 * queue.putNowait([1, "first"]);
 * queue.getNowait(); // [1, "first"]
 * ```
 *
 * Errors: `put`/`putNowait` throw `TypeError` for items the comparison cannot order.
 */
export class PriorityQueue<T = unknown> extends Queue<T> {
  static {
    brand(this, "PriorityQueue");
  }
  constructor(options: PriorityQueueOptions<T> = {}) {
    if (new.target === PriorityQueue && typeof options === "object") checkOptionNames(options, ["maxsize", "compare"], "PriorityQueue");
    super(options);
    const compare = options.compare ?? (pythonCompare as (a: T, b: T) => number);
    if (typeof compare !== "function") throw new TypeError(`compare must be a function, got ${describeValue(compare)}`);
    setStore(this, new HeapStore<T>(compare));
  }
}
