// Seed: asyncio docs, Queues: a producer/consumer pipeline with a bounded Queue, join() and task_done().
// Twin of ./main.py.
import { CancelledError, createTask, Queue, run, sleep } from "asyncio-ts";

async function producer(queue: Queue<number>): Promise<void> {
  for (let item = 0; item < 6; item++) {
    await queue.put(item); // waits while the queue is full
    console.log(`produced ${item} (qsize ${queue.qsize()})`);
    await sleep(0.3);
  }
}

async function consumer(name: string, queue: Queue<number>, delay: number): Promise<never> {
  for (;;) {
    const item = await queue.get();
    console.log(`${name} got ${item}`);
    await sleep(delay);
    console.log(`${name} done with ${item}`);
    queue.taskDone();
  }
}

async function main(): Promise<void> {
  const queue = new Queue<number>({ maxsize: 2 });
  const consumers = [createTask(() => consumer("fast", queue, 0.4)), createTask(() => consumer("slow", queue, 1.3))];
  await producer(queue);
  await queue.join(); // every item got and marked done
  console.log("all items processed");
  for (const task of consumers) task.cancel();
  for (const task of consumers) {
    try {
      await task;
    } catch (error) {
      if (!(error instanceof CancelledError)) throw error;
    }
  }
  console.log(`consumers cancelled: ${consumers.every((t) => t.cancelled()) ? "True" : "False"}`);
}

await run(main);
