// Seed: asyncio docs, "Coroutines and Tasks" > Coroutines: say_after run as two
// concurrent tasks (takes about 2 seconds). Twin of ./main.py.
import { createTask, run, sleep } from "asyncio-ts";
import { strftimeX } from "../shared/py.js";

async function sayAfter(delay: number, what: string): Promise<void> {
  await sleep(delay);
  console.log(what);
}

async function main(): Promise<void> {
  // The task calls the function when it first runs, as a Python task starts
  // its coroutine object: pass it uncalled.
  const task1 = createTask(() => sayAfter(1, "hello"));

  const task2 = createTask(() => sayAfter(2, "world"));

  console.log(`started at ${strftimeX()}`);

  // Wait until both tasks are completed (should take
  // around 2 seconds.)
  await task1;
  await task2;

  console.log(`finished at ${strftimeX()}`);
}

await run(main);
