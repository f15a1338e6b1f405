// Seed: "Python Concurrency with asyncio", listings 2.1 and 2.2: coroutines vs
// plain functions (add_one / coroutine_add_one), run with asyncio.run.
// Twin of ./main.py.
import { run } from "asyncio-ts";
import { pyType } from "../shared/py.js";

async function coroutineAddOne(number: number): Promise<number> {
  return number + 1;
}

function addOne(number: number): number {
  return number + 1;
}

const functionResult = addOne(1);
const coroutineResult = await run(() => coroutineAddOne(1));

console.log(`Function result is ${functionResult} and the type is ${pyType(functionResult)}`);
console.log(`Coroutine result is ${coroutineResult} and the type is ${pyType(coroutineResult)}`);
