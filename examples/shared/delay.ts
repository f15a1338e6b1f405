// Seed: the `delay(seconds)` helper of "Python Concurrency with asyncio"
// (listing 2.4, util/delay_functions.py), shared by several examples.
// Twin of ./delay.py, in both coroutine styles.
import { sleep } from "asyncio-ts";

/** Async coroutine: pass it uncalled, `createTask(() => delay(3))`, or `await delay(3)` inside a task. */
export async function delay(delaySeconds: number): Promise<number> {
  console.log(`sleeping for ${delaySeconds} second(s)`);
  await sleep(delaySeconds);
  console.log(`finished sleeping for ${delaySeconds} second(s)`);
  return delaySeconds;
}

/** Generator coroutine: lazy like a Python coroutine object, `createTask(delayGen(3))` or `yield* delayGen(3)`. */
export function* delayGen(delaySeconds: number): Generator<unknown, number, unknown> {
  console.log(`sleeping for ${delaySeconds} second(s)`);
  yield* sleep(delaySeconds);
  console.log(`finished sleeping for ${delaySeconds} second(s)`);
  return delaySeconds;
}
