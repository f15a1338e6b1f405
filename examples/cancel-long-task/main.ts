// Seed: "Python Concurrency with asyncio", listing 2.9 "Canceling a task":
// a delay(10) task polled every second and cancelled after 5 seconds.
// Twin of ./main.py.
import { CancelledError, createTask, run, sleep } from "asyncio-ts";
import { delay } from "../shared/delay.js";

async function main(): Promise<void> {
  const longTask = createTask(() => delay(10));

  let secondsElapsed = 0;

  while (!longTask.done()) {
    console.log("Task not finished, checking again in a second.");
    await sleep(1);
    secondsElapsed = secondsElapsed + 1;
    if (secondsElapsed === 5) {
      longTask.cancel();
    }
  }

  try {
    await longTask;
  } catch (error) {
    if (!(error instanceof CancelledError)) throw error;
    console.log("Our task was cancelled");
  }
}

await run(main);
