// Seed: asyncio docs, "Coroutines and Tasks" > Coroutines: say_after awaited
// sequentially (takes about 3 seconds). Twin of ./main.py.
import { run, sleep } from "asyncio-ts";
import { strftimeX } from "../shared/py.js";

async function sayAfter(delay: number, what: string): Promise<void> {
  await sleep(delay);
  console.log(what);
}

async function main(): Promise<void> {
  console.log(`started at ${strftimeX()}`);

  await sayAfter(1, "hello");
  await sayAfter(2, "world");

  console.log(`finished at ${strftimeX()}`);
}

await run(main);
