// Seed: asyncio docs, the "Hello ... World!" program at the top of the asyncio page.
// Twin of ./main.py, written as a generator coroutine (`function*`, `yield*`).
import { run, sleep } from "asyncio-ts";

function* main(): Generator<unknown, void, unknown> {
  console.log("Hello ...");
  yield* sleep(1);
  console.log("... World!");
}

// Calling main() only creates the coroutine, as in Python; run() drives it.
await run(main());
