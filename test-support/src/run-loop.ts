import type { EventLoop } from "@asyncio-ts/loop";
import { getRunningLoop } from "@asyncio-ts/loop";
import { run, type Coroutine } from "@asyncio-ts/tasks";

/** What `runLoop`'s main gets: the loop, and every context that reached its exception handler. */
export interface LoopContext {
  loop: EventLoop;
  errors: Record<string, unknown>[];
}

/** Runs `main` on a fresh loop (asyncio.run), collecting what reaches the exception handler. */
export async function runLoop<T>(main: (ctx: LoopContext) => Promise<T> | Generator<unknown, T, unknown>): Promise<T> {
  return run((async () => {
    const loop = getRunningLoop();
    const errors: Record<string, unknown>[] = [];
    loop.setExceptionHandler((_loop, context) => void errors.push(context));
    const result = main({ loop, errors });
    if (result !== null && typeof result === "object" && typeof (result as Generator).next === "function" && typeof (result as Generator).throw === "function") {
      return (await loop.createTask(result as Coroutine<T>)) as T;
    }
    return await (result as Promise<T>);
  }) as Coroutine<T>);
}
