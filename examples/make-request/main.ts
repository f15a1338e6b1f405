// Seed: "Python Concurrency with asyncio", listing 2.13 "Awaiting a future":
// make_request() returns a future whose result a task sets after 1 second.
// Twin of ./main.py.
import { Future, createTask, run, sleep } from "asyncio-ts";
import { pyStr } from "../shared/py.js";

function makeRequest(): Future<number> {
  const future = new Future<number>();
  createTask(() => setFutureValue(future));
  return future;
}

async function setFutureValue(future: Future<number>): Promise<void> {
  await sleep(1);
  future.setResult(42);
}

async function main(): Promise<void> {
  const future = makeRequest();
  console.log(`Is the future done? ${pyStr(future.done())}`);
  const value = await future;
  console.log(`Is the future done? ${pyStr(future.done())}`);
  console.log(value);
}

await run(main);
