import type { TimerEntry } from "./runnable.js";

const INITIAL_CAPACITY = 64;

/**
 * A binary min-heap of timers ordered by (deadline, scheduling order), so equal
 * deadlines fire in the order they were scheduled.
 *
 * The keys live beside the entries in typed arrays: a sift compares
 * neighbouring numbers in one contiguous block instead of loading two timer
 * objects and their boxed deadlines from all over the heap (with 100,000
 * sleeping tasks that was a cache miss per comparison).
 * Invariant: for i < size, `#when[i]` / `#seq[i]` are `#items[i]._when` / `._seq`.
 */
export class TimerHeap {
  #items: TimerEntry[] = [];
  #when = new Float64Array(INITIAL_CAPACITY);
  #seq = new Float64Array(INITIAL_CAPACITY);

  get size(): number {
    return this.#items.length;
  }

  peek(): TimerEntry | undefined {
    return this.#items[0];
  }

  /** The earliest deadline, without touching the timer object (Infinity when empty). */
  peekWhen(): number {
    return this.#items.length > 0 ? this.#when[0] : Infinity;
  }

  push(timer: TimerEntry): void {
    const items = this.#items;
    let i = items.length;
    if (i === this.#when.length) this.#grow();
    const whens = this.#when;
    const seqs = this.#seq;
    const when = timer._when;
    const seq = timer._seq;
    items.push(timer);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pw = whens[parent];
      if (!(when < pw || (when === pw && seq < seqs[parent]))) break;
      items[i] = items[parent];
      whens[i] = pw;
      seqs[i] = seqs[parent];
      i = parent;
    }
    items[i] = timer;
    whens[i] = when;
    seqs[i] = seq;
  }

  pop(): TimerEntry | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    const n = items.length;
    if (n > 0 && last !== undefined) this.#siftDown(last, this.#when[n], this.#seq[n], 0);
    return top;
  }

  /** Drops every timer for which `keep` is false and restores heap order. */
  filter(keep: (timer: TimerEntry) => boolean): void {
    const items = this.#items.filter(keep);
    this.#items = items;
    const whens = this.#when;
    const seqs = this.#seq;
    for (let i = 0; i < items.length; i++) {
      whens[i] = items[i]._when;
      seqs[i] = items[i]._seq;
    }
    for (let i = (items.length >> 1) - 1; i >= 0; i--) this.#siftDown(items[i], whens[i], seqs[i], i);
  }

  clear(): TimerEntry[] {
    const items = this.#items;
    this.#items = [];
    this.#when = new Float64Array(INITIAL_CAPACITY);
    this.#seq = new Float64Array(INITIAL_CAPACITY);
    return items;
  }

  #grow(): void {
    const whens = new Float64Array(this.#when.length * 2);
    const seqs = new Float64Array(this.#seq.length * 2);
    whens.set(this.#when);
    seqs.set(this.#seq);
    this.#when = whens;
    this.#seq = seqs;
  }

  /** Places `timer` (keys `when`, `seq`) at or below slot `i`. */
  #siftDown(timer: TimerEntry, when: number, seq: number, i: number): void {
    const items = this.#items;
    const whens = this.#when;
    const seqs = this.#seq;
    const n = items.length;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      let cw = whens[child];
      let cs = seqs[child];
      const right = child + 1;
      if (right < n) {
        const rw = whens[right];
        const rs = seqs[right];
        if (rw < cw || (rw === cw && rs < cs)) {
          child = right;
          cw = rw;
          cs = rs;
        }
      }
      if (!(cw < when || (cw === when && cs < seq))) break;
      items[i] = items[child];
      whens[i] = cw;
      seqs[i] = cs;
      i = child;
    }
    items[i] = timer;
    whens[i] = when;
    seqs[i] = seq;
  }
}
