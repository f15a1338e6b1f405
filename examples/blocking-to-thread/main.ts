// Seed: asyncio docs, "Running in Threads" (asyncio.to_thread): a blocking call
// moved off the loop, while the loop keeps printing "still responsive".
// Twin of ./main.py. blockingIo runs in a worker thread, so it is sent as
// source: it must be self-contained (no helpers from this file), hence its
// own HH:MM:SS formatting. Atomics.wait is JavaScript's time.sleep().
import { gather, run, sleep, toThread } from "asyncio-ts";
import { strftimeX } from "../shared/py.js";

function blockingIo(): string {
  const hms = (): string => new Date().toTimeString().slice(0, 8);
  console.log(`start blocking_io at ${hms()}`);
  // Atomics.wait() stands for any blocking call, such as synchronous file I/O.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
  return `blocking_io complete at ${hms()}`;
}

async function stillResponsive(): Promise<void> {
  for (let i = 0; i < 2; i++) {
    await sleep(0.4);
    console.log("still responsive");
  }
}

async function main(): Promise<void> {
  // Start the pool's thread first, so that the timing below is the call's alone.
  await toThread(() => null);
  console.log(`started main at ${strftimeX()}`);
  const [done] = await gather(toThread(blockingIo), stillResponsive);
  console.log(done);
  console.log(`finished main at ${strftimeX()}`);
}

await run(main);
