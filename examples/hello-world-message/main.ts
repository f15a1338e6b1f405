// Seed: "Python Concurrency with asyncio", listing 2.3: a coroutine that sleeps
// then returns a message (hello_world_message), awaited in main. Twin of ./main.py.
import { run, sleep } from "asyncio-ts";

async function helloWorldMessage(): Promise<string> {
  await sleep(1);
  return "Hello World!";
}

async function main(): Promise<void> {
  const message = await helloWorldMessage();
  console.log(message);
}

await run(main);
