// Seed: "Python Concurrency with asyncio", listing 2.8: hello_every_second()
// runs other code while two delay(3) tasks sleep. Twin of ./main.py.
import { createTask, run, sleep } from "asyncio-ts";
import { delay } from "../shared/delay.js";

async function helloEverySecond(): Promise<void> {
  for (let i = 0; i < 2; i++) {
    await sleep(1);
    console.log("I'm running other code while I'm waiting!");
  }
}

async function main(): Promise<void> {
  const firstDelay = createTask(() => delay(3));
  const secondDelay = createTask(() => delay(3));
  await helloEverySecond();
  await firstDelay;
  await secondDelay;
}

await run(main);
