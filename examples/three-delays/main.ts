// Seed: "Python Concurrency with asyncio", listing 2.7: three delay(3) tasks
// created, then awaited; they finish together after ~3 seconds, not 9.
// Twin of ./main.py.
import { createTask, run } from "asyncio-ts";
import { delay } from "../shared/delay.js";

async function main(): Promise<void> {
  const sleepForThree = createTask(() => delay(3));
  const sleepAgain = createTask(() => delay(3));
  const sleepOnceMore = createTask(() => delay(3));

  await sleepForThree;
  await sleepAgain;
  await sleepOnceMore;
}

await run(main);
