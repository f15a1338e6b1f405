// Seed: asyncio docs, "Coroutines and Tasks" > Running Tasks Concurrently: factorial A, B, C under gather.
import { gather, run, sleep } from "asyncio-ts";

async function factorial(name: string, number: number): Promise<number> {
  let f = 1;
  for (let i = 2; i <= number; i++) {
    console.log(`Task ${name}: Compute factorial(${number}), currently i=${i}...`);
    await sleep(1);
    f *= i;
  }
  console.log(`Task ${name}: factorial(${number}) = ${f}`);
  return f;
}

async function main(): Promise<void> {
  // Schedule three calls *concurrently* (pass them uncalled: gather makes the tasks):
  const L = await gather(
    () => factorial("A", 2),
    () => factorial("B", 3),
    () => factorial("C", 4),
  );
  console.log(`[${L.join(", ")}]`);
}

await run(main);
