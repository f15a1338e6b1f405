// Issue 4, queue pipeline: one producer puts N items (0..N-1) into a queue
// bounded at 100; 4 consumers take them and add them up. Times from creating
// the queue to the last consumer finishing; the sum must be N(N-1)/2.
// The asyncio-ts and CPython (python/queue_pipeline.py) versions are the
// textbook asyncio program: put/get/taskDone, join(), then one -1 sentinel
// per consumer. The baselines do the same job with their own idioms.
// Libraries are imported lazily so a baseline never loads asyncio-ts.
import { check, runWorkload } from "../lib/child.mjs";

const CONSUMERS = 4;
const MAXSIZE = 100;

function result(start, n, sum) {
  const seconds = (performance.now() - start) / 1000;
  check("sum of consumed items", sum, (n * (n - 1)) / 2);
  return { seconds };
}

await runWorkload({
  /** asyncio-ts, async style: Queue({ maxsize: 100 }), `await queue.put(i)` / `await queue.get()`. */
  async async(n) {
    const { run, createTask, Queue } = await import("asyncio-ts");
    return run(async () => {
      const start = performance.now();
      const queue = new Queue({ maxsize: MAXSIZE });
      let sum = 0;
      const consumer = async () => {
        for (;;) {
          const item = await queue.get();
          if (item < 0) return;
          sum += item;
          queue.taskDone();
        }
      };
      const consumers = Array.from({ length: CONSUMERS }, () => createTask(consumer));
      for (let i = 0; i < n; i++) await queue.put(i);
      await queue.join();
      for (let i = 0; i < CONSUMERS; i++) await queue.put(-1);
      for (const c of consumers) await c;
      return result(start, n, sum);
    });
  },

  /** asyncio-ts, generator style: the same with `yield*`. */
  async gen(n) {
    const { run, createTask, Queue } = await import("asyncio-ts");
    return run(
      (function* () {
        const start = performance.now();
        const queue = new Queue({ maxsize: MAXSIZE });
        let sum = 0;
        function* consumer() {
          for (;;) {
            const item = yield* queue.get();
            if (item < 0) return;
            sum += item;
            queue.taskDone();
          }
        }
        const consumers = Array.from({ length: CONSUMERS }, () => createTask(consumer()));
        for (let i = 0; i < n; i++) yield* queue.put(i);
        yield* queue.join();
        for (let i = 0; i < CONSUMERS; i++) yield* queue.put(-1);
        for (const c of consumers) yield* c;
        return result(start, n, sum);
      })(),
    );
  },

  /**
   * effection 4's createQueue() (unbounded, synchronous add) shared by 4
   * spawned consumers; the bound of 100 is a counter plus a second queue that
   * wakes the producer when a consumer makes room.
   */
  async effection(n) {
    const { run, spawn, createQueue } = await import("effection");
    return run(function* () {
      const start = performance.now();
      const queue = createQueue();
      const room = createQueue();
      let inQueue = 0;
      let producerWaiting = false;
      let sum = 0;
      function* put(item) {
        while (inQueue >= MAXSIZE) {
          producerWaiting = true;
          yield* room.next();
        }
        inQueue++;
        queue.add(item);
      }
      function* consumer() {
        for (;;) {
          const { value: item } = yield* queue.next();
          inQueue--;
          if (producerWaiting) {
            producerWaiting = false;
            room.add(undefined);
          }
          if (item < 0) return;
          sum += item;
        }
      }
      const consumers = [];
      for (let i = 0; i < CONSUMERS; i++) consumers.push(yield* spawn(consumer));
      for (let i = 0; i < n; i++) yield* put(i);
      for (let i = 0; i < CONSUMERS; i++) yield* put(-1);
      for (const c of consumers) yield* c;
      return result(start, n, sum);
    });
  },

  /**
   * p-queue 9 (the newest for Node 20) as a work queue: concurrency 4 (the consumers), and the
   * producer waits with onSizeLessThan(100) whenever 100 items are queued.
   */
  async "p-queue"(n) {
    const { default: PQueue } = await import("p-queue");
    const start = performance.now();
    const queue = new PQueue({ concurrency: CONSUMERS });
    let sum = 0;
    for (let i = 0; i < n; i++) {
      if (queue.size >= MAXSIZE) await queue.onSizeLessThan(MAXSIZE);
      queue.add(() => {
        sum += i;
      });
    }
    await queue.onIdle();
    return result(start, n, sum);
  },

  /**
   * Node object-mode streams: a Readable with highWaterMark 100 fed by a
   * generator, drained by readable.forEach(fn, { concurrency: 4 }).
   */
  async stream(n) {
    const { Readable } = await import("node:stream");
    const start = performance.now();
    function* items() {
      for (let i = 0; i < n; i++) yield i;
    }
    let sum = 0;
    await Readable.from(items(), { objectMode: true, highWaterMark: MAXSIZE }).forEach(
      (item) => {
        sum += item;
      },
      { concurrency: CONSUMERS },
    );
    return result(start, n, sum);
  },
});
