// Seed: "Python Concurrency with asyncio", listing 2.16: the async_timed
// decorator (../shared/async-timed.ts) timing two concurrent delays.
// Twin of ./main.py.
import { createTask, run, sleep } from "asyncio-ts";
import { asyncTimed } from "../shared/async-timed.js";

const delay = asyncTimed(async function delay(delaySeconds: number): Promise<number> {
  console.log(`sleeping for ${delaySeconds} second(s)`);
  await sleep(delaySeconds);
  console.log(`finished sleeping for ${delaySeconds} second(s)`);
  return delaySeconds;
});

const main = asyncTimed(async function main(): Promise<void> {
  const taskOne = createTask(() => delay(2));
  const taskTwo = createTask(() => delay(3));

  await taskOne;
  await taskTwo;
});

await run(main);
