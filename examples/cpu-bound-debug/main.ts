// Seed: "Python Concurrency with asyncio", listing 2.20: a CPU-bound task run
// in debug mode, which makes the loop warn (on stderr, through its exception
// handler) "Executing <Task ... coro=<cpuBoundWork()> ...> took N seconds".
// Twin of ./main.py. V8 compiles this loop to machine code and counts about
// 70 times faster than CPython, so the twin counts to 1,000,000,000 (about
// 0.5 s) where main.py counts to 10,000,000: both cross the loop's 0.1 s
// slowCallbackDuration.
import { createTask, run } from "asyncio-ts";
import { asyncTimed } from "../shared/async-timed.js";

const cpuBoundWork = asyncTimed(async function cpuBoundWork(): Promise<number> {
  let counter = 0;
  for (let i = 0; i < 1_000_000_000; i++) {
    counter = counter + 1;
  }
  return counter;
});

async function main(): Promise<void> {
  const taskOne = createTask(cpuBoundWork);
  await taskOne;
}

await run(main, { debug: true });
