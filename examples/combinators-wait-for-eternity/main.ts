// Seed: asyncio docs, "Coroutines and Tasks" > Timeouts: eternity() under wait_for.
// Written with generator coroutines: waitFor(eternity(), 1) reads as in Python.
import { run, sleep, TimeoutError, waitFor } from "asyncio-ts";

function* eternity(): Generator<unknown, void, unknown> {
  // Sleep for one hour
  yield* sleep(3600);
  console.log("yay!");
}

function* main(): Generator<unknown, void, unknown> {
  // Wait for at most 1 second
  try {
    yield* waitFor(eternity(), 1.0);
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    console.log("timeout!");
  }
}

await run(main());
