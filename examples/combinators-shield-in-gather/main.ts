// Seed: asyncio docs, shield(): a shielded task inside a cancelled gather survives.
import { CancelledError, createTask, gather, run, shield, sleep } from "asyncio-ts";

async function worker(n: number): Promise<number> {
  try {
    await sleep(n);
    console.log(`worker ${n} done`);
    return n;
  } catch (e) {
    if (e instanceof CancelledError) console.log(`worker ${n} cancelled`);
    throw e;
  }
}

async function main(): Promise<void> {
  const task1 = createTask(() => worker(2));
  const g = gather(shield(task1), () => worker(3));
  await sleep(1);
  g.cancel();
  try {
    await g;
  } catch (e) {
    if (!(e instanceof CancelledError)) throw e;
    console.log("gather cancelled");
  }
  console.log(`task1 returned ${await task1}`);
}

await run(main);
