// Seed: asyncio docs, "Coroutines and Tasks" > Task Groups: two tasks in a TaskGroup.
// Written with generator coroutines: the group's body is a generator too.
import { run, sleep, type Task, taskGroup } from "asyncio-ts";

function* sayAfter(delay: number, what: string): Generator<unknown, string, unknown> {
  yield* sleep(delay);
  console.log(what);
  return what;
}

function* main(): Generator<unknown, void, unknown> {
  let task1!: Task<string>;
  let task2!: Task<string>;
  yield* taskGroup(function* (tg) {
    task1 = tg.createTask(
      sayAfter(1, "hello"));

    task2 = tg.createTask(
      sayAfter(2, "world"));

    console.log("started");
  });

  // The await is implicit when the group's body returns.

  console.log(`finished: ${task1.result()} ${task2.result()}`);
}

await run(main());
