// Seed: gather with and without return_exceptions: one division fails.
import { gather, run, sleep } from "asyncio-ts";

class ZeroDivisionError extends Error {
  override name = "ZeroDivisionError";
}

async function divide(a: number, b: number): Promise<number> {
  await sleep(0.1);
  if (b === 0) throw new ZeroDivisionError("integer division or modulo by zero");
  return Math.floor(a / b);
}

async function main(): Promise<void> {
  const results = await gather([() => divide(6, 3), () => divide(1, 0), () => divide(9, 3)], { returnExceptions: true });
  console.log(`[${results.map((r) => (typeof r === "number" ? r : `'${r.name}: ${r.message}'`)).join(", ")}]`);
  try {
    await gather(() => divide(6, 3), () => divide(1, 0), () => divide(9, 3));
  } catch (e) {
    if (!(e instanceof ZeroDivisionError)) throw e;
    console.log(`gather raised ${e.name}: ${e.message}`);
  }
}

await run(main);
