// Seed: asyncio docs, "Coroutines and Tasks" > Awaitables: nested() awaited
// directly as a coroutine, then scheduled as a task and awaited. Twin of ./main.py.
import { createTask, run } from "asyncio-ts";

async function nested(): Promise<number> {
  return 42;
}

async function main(): Promise<void> {
  // Python's bare `nested()` creates a coroutine object that never runs. An
  // async function is eager: calling it runs its body at once. The lazy
  // equivalent is a generator coroutine (see ./main.gen.ts).

  // Let's do it differently now and await it:
  console.log(await nested()); // will print "42".

  // Schedule nested() to run soon concurrently
  // with "main()": pass the function uncalled.
  const task = createTask(nested);

  // "task" can now be used to cancel "nested()", or
  // can simply be awaited to wait until it is complete:
  console.log(await task); // will print "42" too.
}

await run(main);
