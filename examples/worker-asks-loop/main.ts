// Seed: asyncio docs, "Scheduling From Other Threads"
// (asyncio.run_coroutine_threadsafe): a worker thread asks the main loop for
// data and blocks on future.result(timeout); a lookup too slow for the
// timeout is cancelled from the worker.
// Twin of ./main.py. The worker functions live in ./worker.mjs and the
// coroutines they send to the loop in ./store.mjs: code crosses threads by
// module URL, never as a closure. The loop a worker reaches is the one that
// submitted its call, so no loop is passed.
import { moduleFunction, run, toThread } from "asyncio-ts";

const worker = new URL("./worker.mjs", import.meta.url);
const restock = moduleFunction<(item: string) => string>(worker, "restock");
const impatient = moduleFunction<(item: string) => string>(worker, "impatient");

async function main(): Promise<void> {
  for (const item of ["apples", "pears"]) {
    console.log(`main: asking a worker to restock ${item}`);
    console.log(await toThread(restock, item));
  }
  console.log(await toThread(impatient, "plums"));
}

await run(main);
