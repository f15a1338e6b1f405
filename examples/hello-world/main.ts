// Seed: asyncio docs, the "Hello ... World!" program at the top of the asyncio page.
// Twin of ./main.py.
import { run, sleep } from "asyncio-ts";

async function main(): Promise<void> {
  console.log("Hello ...");
  await sleep(1);
  console.log("... World!");
}

await run(main);
