// Seed: "Python Concurrency with asyncio", listing 2.7: three delay(3) tasks
// created, then awaited; they finish together after ~3 seconds, not 9.
// Twin of ./main.py, written with generator coroutines (../shared/delay.ts's delayGen).
import { createTask, run } from "asyncio-ts";
import { delayGen as delay } from "../shared/delay.js";

function* main(): Generator<unknown, void, unknown> {
  const sleepForThree = createTask(delay(3));
  const sleepAgain = createTask(delay(3));
  const sleepOnceMore = createTask(delay(3));

  yield* sleepForThree;
  yield* sleepAgain;
  yield* sleepOnceMore;
}

await run(main());
