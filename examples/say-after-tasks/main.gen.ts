// Seed: asyncio docs, "Coroutines and Tasks" > Coroutines: say_after run as two
// concurrent tasks (takes about 2 seconds). Twin of ./main.py, written with
// generator coroutines: createTask(sayAfter(1, "hello")) reads as in Python.
import { createTask, run, sleep } from "asyncio-ts";
import { strftimeX } from "../shared/py.js";

function* sayAfter(delay: number, what: string): Generator<unknown, void, unknown> {
  yield* sleep(delay);
  console.log(what);
}

function* main(): Generator<unknown, void, unknown> {
  const task1 = createTask(
    sayAfter(1, "hello"));

  const task2 = createTask(
    sayAfter(2, "world"));

  console.log(`started at ${strftimeX()}`);

  // Wait until both tasks are completed (should take
  // around 2 seconds.)
  yield* task1;
  yield* task2;

  console.log(`finished at ${strftimeX()}`);
}

await run(main());
