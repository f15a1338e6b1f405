// Seed: asyncio docs, "Coroutines and Tasks" > Timeouts: an async with asyncio.timeout() block.
import { run, sleep, timeout, TimeoutError } from "asyncio-ts";

async function longRunningTask(): Promise<void> {
  await sleep(10);
}

async function main(): Promise<void> {
  try {
    await timeout(1, async () => {
      await longRunningTask();
    });
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    console.log("The long operation timed out, but we've handled it.");
  }

  console.log("This statement will run regardless.");
}

await run(main);
