// Seed: "wait for all background tasks": all_tasks() minus current_task(), then wait().
import { allTasks, createTask, currentTask, run, sleep, type Task, wait } from "asyncio-ts";

const background = new Set<Task<void>>();

async function job(n: number): Promise<void> {
  await sleep(n / 2);
  console.log(`job ${n} done`);
}

async function main(): Promise<void> {
  for (const n of [3, 1, 2]) background.add(createTask(() => job(n)));
  const others = allTasks();
  others.delete(currentTask()!);
  console.log(`waiting for ${others.size} background tasks`);
  const [done, pending] = await wait(others);
  console.log(`all done: ${done.size} done, ${pending.size} pending`);
}

await run(main);
