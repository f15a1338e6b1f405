// Seed: asyncio docs, "Coroutines and Tasks" > Coroutines: say_after awaited
// sequentially (takes about 3 seconds). Twin of ./main.py, written with
// generator coroutines: `yield* sayAfter(...)` is Python's `await say_after(...)`.
import { run, sleep } from "asyncio-ts";
import { strftimeX } from "../shared/py.js";

function* sayAfter(delay: number, what: string): Generator<unknown, void, unknown> {
  yield* sleep(delay);
  console.log(what);
}

function* main(): Generator<unknown, void, unknown> {
  console.log(`started at ${strftimeX()}`);

  yield* sayAfter(1, "hello");
  yield* sayAfter(2, "world");

  console.log(`finished at ${strftimeX()}`);
}

await run(main());
