// Seed: asyncio docs, wait_for(): shield() keeps the task running after the timeout.
import { createTask, run, shield, sleep, TimeoutError, waitFor } from "asyncio-ts";

async function slowOperation(): Promise<number> {
  await sleep(2);
  console.log("slow operation finished");
  return 42;
}

async function main(): Promise<void> {
  const task = createTask(slowOperation);
  try {
    await waitFor(shield(task), 1);
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    console.log(`timed out; the task is still running: ${!task.done() ? "True" : "False"}`);
  }
  console.log(`the task returned ${await task}`);
}

await run(main);
