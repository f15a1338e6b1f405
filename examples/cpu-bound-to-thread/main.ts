// Seed: "Python Concurrency with asyncio", listings 2.20 and 7.x: two CPU-bound
// tasks in the loop take the sum of their times (debug mode names each slow
// step), then the same counting moved to threads with toThread.
// Twin of ./main.py. Here the two worker threads really run in parallel, so
// inThreads takes about half of inTheLoop. V8 counts ~70x faster than
// CPython, so the twin counts to 1,000,000,000 where main.py counts to 10,000,000.
import { createTask, run, toThread } from "asyncio-ts";
import { asyncTimed } from "../shared/async-timed.js";
import { pyStr } from "../shared/py.js";

const COUNT = 1_000_000_000;

// Sent to the worker as source: self-contained.
function count(n: number): number {
  let counter = 0;
  for (let i = 0; i < n; i++) {
    counter = counter + 1;
  }
  return counter;
}

const cpuBoundWork = asyncTimed(async function cpuBoundWork(): Promise<number> {
  return count(COUNT);
});

const inTheLoop = asyncTimed(async function inTheLoop(): Promise<void> {
  const taskOne = createTask(cpuBoundWork);
  const taskTwo = createTask(cpuBoundWork);
  const results = [await taskOne, await taskTwo];
  console.log(`in the loop: both counts done: ${pyStr(results.every((r) => r === COUNT))}`);
});

const inThreads = asyncTimed(async function inThreads(): Promise<void> {
  const results = await Promise.all([toThread(count, COUNT), toThread(count, COUNT)]);
  console.log(`in threads: both counts done: ${pyStr(results.every((r) => r === COUNT))}`);
});

async function main(): Promise<void> {
  await inTheLoop();
  await inThreads();
}

await run(main, { debug: true });
