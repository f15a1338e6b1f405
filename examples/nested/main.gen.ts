// Seed: asyncio docs, "Coroutines and Tasks" > Awaitables: nested() awaited
// directly as a coroutine, then scheduled as a task and awaited. Twin of
// ./main.py, written with generator coroutines, which are lazy like Python's.
import { createTask, run } from "asyncio-ts";

// A coroutine that never suspends, like Python's nested(): a generator with no yield.
function* nested(): Generator<unknown, number, unknown> {
  return 42;
}

function* main(): Generator<unknown, void, unknown> {
  // Nothing happens if we just call "nested()".
  // A coroutine object is created but not awaited,
  // so it *won't run at all*.
  nested();

  // Let's do it differently now and await it:
  console.log(yield* nested()); // will print "42".

  // Schedule nested() to run soon concurrently
  // with "main()".
  const task = createTask(nested());

  // "task" can now be used to cancel "nested()", or
  // can simply be awaited to wait until it is complete:
  console.log(yield* task); // will print "42" too.
}

await run(main());
