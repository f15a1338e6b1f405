import type { Coroutine } from "@asyncio-ts/loop";
import { describeValue, isAsyncGeneratorFunction } from "@asyncio-ts/loop/lowlevel";

/** `use(body)` takes what `createTask` takes: an async function (uncalled) or a generator object. */
export function checkBody(body: unknown, where: string): asserts body is Coroutine<unknown> {
  if (typeof body === "function") {
    // Its async generator would have been the result, the body never run.
    if (isAsyncGeneratorFunction(body)) {
      throw new TypeError(`${where} needs an async function or a generator object, got async generator ${describeValue(body)}, which is iterated with for await, not run`);
    }
    return;
  }
  if (body !== null && typeof body === "object" && typeof (body as Generator).next === "function" && typeof (body as Generator).throw === "function") return;
  if (body !== null && typeof body === "object" && typeof (body as PromiseLike<unknown>).then === "function") {
    throw new TypeError(`${where} needs the async function itself (uncalled) or a generator object, got a running promise: pass () => work(), not work()`);
  }
  throw new TypeError(`${where} needs an async function or a generator object, got ${describeValue(body)}`);
}
