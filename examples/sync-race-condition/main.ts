// Seed: asyncio docs, "Developing with asyncio" / the guide's common error 5: a race between coroutines sharing state across an await.
// Twin of ./main.py.
import { createTask, Lock, run, sleep } from "asyncio-ts";

let counter = 0;

async function incrementUnsafely(): Promise<void> {
  const value = counter; // read ...
  await sleep(0.1); // ... other tasks run here ...
  counter = value + 1; // ... and this write loses their updates
}

async function incrementSafely(lock: Lock): Promise<void> {
  // One task at a time in here; released even if the body throws or is cancelled.
  await lock.use(async () => {
    const value = counter;
    await sleep(0.1);
    counter = value + 1;
  });
}

async function main(): Promise<void> {
  let tasks = Array.from({ length: 10 }, () => createTask(incrementUnsafely));
  for (const task of tasks) await task;
  console.log(`without a lock: counter = ${counter} (expected 10)`);

  counter = 0;
  const lock = new Lock();
  tasks = Array.from({ length: 10 }, () => createTask(() => incrementSafely(lock)));
  await sleep(0.25);
  console.log(`while running:  locked = ${lock.locked() ? "True" : "False"}, counter = ${counter}`);
  for (const task of tasks) await task;
  console.log(`with a lock:    counter = ${counter} (expected 10)`);
}

await run(main);
