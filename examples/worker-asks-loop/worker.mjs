// Seed: asyncio docs, "Scheduling From Other Threads": the functions the
// worker threads of ./main.ts run. Twin of restock() and impatient() in ./main.py.
import { moduleFunction, runCoroutineThreadsafe, TimeoutError } from "asyncio-ts";

const store = new URL("./store.mjs", import.meta.url);
const lookup = moduleFunction(store, "lookup");
const slowLookup = moduleFunction(store, "slowLookup");

export function restock(item) {
  // Runs in a worker thread: blocks it, not the loop.
  const future = runCoroutineThreadsafe(lookup.coroutine(item));
  const stock = future.result(2);
  return `worker: ${item} in stock: ${stock}, ordering ${10 - stock}`;
}

export function impatient(item) {
  const future = runCoroutineThreadsafe(slowLookup.coroutine(item));
  try {
    return `worker: got ${future.result(0.3)}`;
  } catch (error) {
    if (!(error instanceof TimeoutError)) throw error;
    return `worker: no answer for ${item} in 0.3 s, cancelled: ${future.cancel() ? "True" : "False"}`;
  }
}
