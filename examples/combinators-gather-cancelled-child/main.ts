// Seed: asyncio docs, gather(): a cancelled child is a CancelledError result, the others go on.
import { createTask, gather, run, sleep } from "asyncio-ts";

async function worker(n: number): Promise<number> {
  await sleep(n);
  console.log(`worker ${n} done`);
  return n;
}

async function main(): Promise<void> {
  const t = createTask(() => worker(2));
  const g = gather([() => worker(1), t, () => worker(3)], { returnExceptions: true });
  await sleep(1.5);
  t.cancel();
  const results = await g;
  console.log(`[${results.map((r) => (typeof r === "number" ? r : `'${r.name}'`)).join(", ")}]`);
}

await run(main);
