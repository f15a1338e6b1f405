// Seed: asyncio docs, "Coroutines and Tasks" > Task Cancellation: cancel_me().
// Twin of ./main.py, written with generator coroutines: the CancelledError is
// thrown into the generator at its `yield*`, exactly as in Python.
import { CancelledError, createTask, run, sleep } from "asyncio-ts";

function* cancelMe(): Generator<unknown, void, unknown> {
  console.log("cancel_me(): before sleep");

  try {
    // Wait for 1 hour
    yield* sleep(3600);
  } catch (error) {
    if (error instanceof CancelledError) console.log("cancel_me(): cancel sleep");
    throw error;
  } finally {
    console.log("cancel_me(): after sleep");
  }
}

function* main(): Generator<unknown, void, unknown> {
  // Create a "cancel_me" Task
  const task = createTask(cancelMe());

  // Wait for 1 second
  yield* sleep(1);

  task.cancel();
  try {
    yield* task;
  } catch (error) {
    if (!(error instanceof CancelledError)) throw error;
    console.log("main(): cancel_me is cancelled now");
  }
}

await run(main());
