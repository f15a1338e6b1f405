// Seed: "Python Concurrency with asyncio", listings 2.4 and 2.5: the reusable
// delay(seconds) helper (../shared/delay.ts) used by two coroutines.
// Twin of ./main.py.
import { run } from "asyncio-ts";
import { delay } from "../shared/delay.js";

async function addOne(number: number): Promise<number> {
  return number + 1;
}

async function helloWorldMessage(): Promise<string> {
  await delay(1);
  return "Hello World!";
}

async function main(): Promise<void> {
  const message = await helloWorldMessage();
  const onePlusOne = await addOne(1);
  console.log(onePlusOne);
  console.log(message);
}

await run(main);
