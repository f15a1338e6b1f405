// Seed: asyncio docs, gather(): cancelling the gather cancels the children still running.
import { CancelledError, gather, run, sleep } from "asyncio-ts";

async function worker(n: number): Promise<void> {
  try {
    await sleep(n);
    console.log(`worker ${n} done`);
  } catch (e) {
    if (e instanceof CancelledError) console.log(`worker ${n} cancelled`);
    throw e;
  }
}

async function main(): Promise<void> {
  const g = gather(() => worker(1), () => worker(2), () => worker(3));
  await sleep(1.5);
  g.cancel();
  try {
    await g;
  } catch (e) {
    if (!(e instanceof CancelledError)) throw e;
    console.log("gather cancelled");
  }
}

await run(main);
