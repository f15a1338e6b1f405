import { describe, expect, it } from "vitest";
import type { TimerEntry } from "../src/runnable.js";
import { TimerHeap } from "../src/timer-heap.js";

function entry(when: number, seq: number): TimerEntry {
  return { _when: when, _seq: seq, _scheduled: true, _cancelled: false, _drain: false, _pooled: false, _sourceTraceback: undefined, _run() {} };
}

/** A small deterministic generator (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const order = (a: TimerEntry, b: TimerEntry) => a._when - b._when || a._seq - b._seq;

describe("TimerHeap", () => {
  it("pops by deadline, equal deadlines in scheduling order, across growth, pops and filters", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const rnd = random(seed);
      const heap = new TimerHeap();
      let model: TimerEntry[] = [];
      let seq = 0;
      for (let step = 0; step < 2000; step++) {
        const r = rnd();
        if (r < 0.6) {
          // Few distinct deadlines, so ties are common.
          const t = entry(Math.floor(rnd() * 50) / 4, seq++);
          heap.push(t);
          model.push(t);
        } else if (r < 0.97) {
          model.sort(order);
          expect(heap.pop()).toBe(model.shift());
        } else {
          const drop = (t: TimerEntry) => t._seq % 3 !== 0;
          heap.filter(drop);
          model = model.filter(drop);
        }
        expect(heap.size).toBe(model.length);
      }
      model.sort(order);
      for (const t of model) expect(heap.pop()).toBe(t);
      expect(heap.pop()).toBeUndefined();
      expect(heap.peek()).toBeUndefined();
    }
  });

  it("clear() hands back every entry and leaves an empty heap that still works", () => {
    const heap = new TimerHeap();
    const all = Array.from({ length: 200 }, (_, i) => entry(200 - i, i));
    for (const t of all) heap.push(t);
    expect(heap.clear().sort(order)).toEqual([...all].sort(order));
    expect(heap.size).toBe(0);
    heap.push(entry(2, 1));
    heap.push(entry(1, 2));
    expect(heap.pop()!._when).toBe(1);
    expect(heap.pop()!._when).toBe(2);
  });
});
