// Seed: asyncio docs, Synchronization Primitives / Semaphore: limiting how many jobs run at once.
// Twin of ./main.py.
import { createTask, run, Semaphore, sleep } from "asyncio-ts";

let running = 0;
let peak = 0;

async function job(n: number, sem: Semaphore, duration: number): Promise<void> {
  // At most 2 jobs inside at once; the permit is returned however the body ends.
  await sem.use(async () => {
    running += 1;
    peak = Math.max(peak, running);
    console.log(`job ${n} starts (${running} running)`);
    await sleep(duration);
    running -= 1;
    console.log(`job ${n} ends`);
  });
}

async function main(): Promise<void> {
  const sem = new Semaphore(2);
  const durations = [0.4, 0.1, 0.4, 0.2, 0.3, 0.25];
  const tasks = durations.map((d, n) => createTask(() => job(n, sem, d)));
  for (const task of tasks) await task;
  console.log(`peak concurrency: ${peak}`);
}

await run(main);
