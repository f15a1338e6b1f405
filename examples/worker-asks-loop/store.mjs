// Seed: asyncio docs, "Scheduling From Other Threads": the coroutines the
// worker threads of ./main.ts ask the main loop to run. Twin of lookup() and
// slow_lookup() in ./main.py.
import { sleep } from "asyncio-ts";

export async function lookup(item) {
  await sleep(0.2);
  return { apples: 3, pears: 0 }[item];
}

export async function slowLookup(_item) {
  await sleep(10);
  return 0;
}
