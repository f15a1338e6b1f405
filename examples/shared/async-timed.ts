// Seed: the `async_timed` decorator of "Python Concurrency with asyncio"
// (listing 2.15, util/async_timer.py), shared by several examples.
// Twin of ./async_timed.py. TypeScript has no function decorators, so
// `@async_timed()` over `async def f` becomes `const f = asyncTimed(async function f() {...})`.
import { pyStr, pyTuple } from "./py.js";

/**
 * Wraps an async function so that each call prints
 * `starting <function f> with args (...) {}` and, however it ends,
 * `finished <function f> in X.XXXX second(s)`. The wrapper keeps the wrapped
 * function's name (what `functools.wraps` does), so a task running it is
 * named after it. JavaScript has no keyword arguments, so the kwargs dict
 * Python prints is always `{}`.
 */
export function asyncTimed<A extends unknown[], R>(func: (...args: A) => PromiseLike<R>): (...args: A) => Promise<R> {
  const wrapped = async (...args: A): Promise<R> => {
    console.log(`starting ${pyStr(func)} with args ${pyTuple(args)} {}`);
    const start = performance.now();
    try {
      return await func(...args);
    } finally {
      const end = performance.now();
      const total = (end - start) / 1000;
      console.log(`finished ${pyStr(func)} in ${total.toFixed(4)} second(s)`);
    }
  };
  Object.defineProperty(wrapped, "name", { value: func.name, configurable: true });
  return wrapped;
}
