// Seed: asyncio docs, "Coroutines and Tasks" > Sleeping: display_date() prints
// the current date every second for 5 seconds. Twin of ./main.py.
import { getRunningLoop, run, sleep } from "asyncio-ts";
import { datetimeNow } from "../shared/py.js";

async function displayDate(): Promise<void> {
  const loop = getRunningLoop();
  const endTime = loop.time() + 5.0;
  for (;;) {
    console.log(datetimeNow());
    if (loop.time() + 1.0 >= endTime) break;
    await sleep(1);
  }
}

await run(displayDate);
