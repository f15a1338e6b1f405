// Seed: as_completed() over ten delays: results come back in completion order.
import { asCompleted, run, sleep } from "asyncio-ts";

async function delayed(seconds: number): Promise<number> {
  await sleep(seconds);
  return seconds;
}

async function main(): Promise<void> {
  const delays = [0.5, 0.1, 0.9, 0.3, 0.7, 0.2, 1.0, 0.4, 0.8, 0.6];
  for (const nextDone of asCompleted(delays.map((d) => () => delayed(d)))) {
    console.log(`finished after ${(await nextDone).toFixed(1)} second(s)`);
  }
}

await run(main);
