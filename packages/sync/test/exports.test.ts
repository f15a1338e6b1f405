import { describe, expect, it } from "vitest";
import * as sync from "../src/index.js";

describe("exports", () => {
  it("are CONTRACT §3's names, plus pythonCompare", () => {
    expect(Object.keys(sync).sort()).toEqual(
      [
        "Barrier",
        "BoundedSemaphore",
        "BrokenBarrierError",
        "Condition",
        "Event",
        "LifoQueue",
        "Lock",
        "PriorityQueue",
        "Queue",
        "QueueEmpty",
        "QueueFull",
        "QueueShutDown",
        "Semaphore",
        "pythonCompare",
      ].sort(),
    );
  });

  it("errors are branded and named", () => {
    for (const Cls of [sync.QueueEmpty, sync.QueueFull, sync.QueueShutDown, sync.BrokenBarrierError]) {
      const error = new Cls("m");
      expect(error.name).toBe(Cls.name);
      expect(error).toBeInstanceOf(Error);
      expect(error instanceof Cls).toBe(true);
      expect((error as unknown as Record<symbol, unknown>)[Symbol.for(`asyncio-ts.${Cls.name}`)]).toBe(true);
    }
  });
});
