import { describe, expect, it } from "vitest";
import { EventLoop, VirtualClock } from "@asyncio-ts/loop";
import { run, type Coroutine } from "@asyncio-ts/tasks";
import { Condition, LifoQueue, Lock, PriorityQueue, Queue, Semaphore } from "@asyncio-ts/sync";

// Bad input gets a clear error at the call, never a silently ignored value or
// a body that never runs.

function runVirtual<T>(main: Coroutine<T>): Promise<T> {
  return run(main, { loopFactory: () => new EventLoop({ clock: new VirtualClock() }) });
}

describe("use() given an async generator function", () => {
  const agen = async function* rows(): AsyncGenerator<number> {
    yield 1;
  };

  it("Lock, Semaphore and Condition refuse it at the call (its async generator was the result, the body never ran)", async () => {
    await runVirtual(async () => {
      expect(() => new Lock().use(agen as never)).toThrow(TypeError);
      expect(() => new Lock().use(agen as never)).toThrow(
        "Lock.use() needs an async function or a generator object, got async generator function rows, which is iterated with for await, not run",
      );
      expect(() => new Semaphore(1).use(agen as never)).toThrow(/^Semaphore\.use\(\) needs an async function/);
      expect(() => new Condition().use(agen as never)).toThrow(/^Condition\.use\(\) needs an async function/);
    });
  });
});

describe("queue options", () => {
  it("a misspelt option is a TypeError naming it (a misspelt maxsize made an unbounded queue)", () => {
    expect(() => new Queue({ maxSize: 1 } as never)).toThrow(TypeError);
    expect(() => new Queue({ maxSize: 1 } as never)).toThrow('Queue() got an unknown option "maxSize" (known: maxsize)');
    expect(() => new LifoQueue({ max: 1 } as never)).toThrow('LifoQueue() got an unknown option "max" (known: maxsize)');
    expect(() => new PriorityQueue({ cmp: () => 0 } as never)).toThrow('PriorityQueue() got an unknown option "cmp" (known: maxsize, compare)');
  });

  it("the known options still work, and a user's subclass may take options of its own", () => {
    expect(new Queue({ maxsize: 2 }).maxsize).toBe(2);
    const pq = new PriorityQueue<number>({ maxsize: 3, compare: (a, b) => b - a });
    pq.putNowait(1);
    pq.putNowait(5);
    expect(pq.getNowait()).toBe(5);
    class Tagged extends Queue<number> {
      readonly tag: string;
      constructor(options: { maxsize?: number; tag: string }) {
        super(options);
        this.tag = options.tag;
      }
    }
    expect(new Tagged({ maxsize: 1, tag: "jobs" }).tag).toBe("jobs");
  });

  it("a non-object is still refused first, with the class name", () => {
    expect(() => new PriorityQueue("x" as never)).toThrow('PriorityQueue() takes an options object ({ maxsize }), got "x"');
    expect(() => new LifoQueue(5 as never)).toThrow("LifoQueue() takes an options object ({ maxsize }), got 5");
  });
});
