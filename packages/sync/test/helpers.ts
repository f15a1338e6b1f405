import { EventLoop, getRunningLoop, VirtualClock } from "@asyncio-ts/loop";
import { CancelledError, createTask, currentTask, run, sleep, type Coroutine, type Future, type Task } from "@asyncio-ts/tasks";

/** Runs `main` on a loop with a virtual clock: sleeps are instant and ordered. */
export function runVirtual<T>(main: Coroutine<T>): Promise<T> {
  return run(main, { loopFactory: () => new EventLoop({ clock: new VirtualClock() }) });
}

/** Collects trace lines. */
export function tracer(): { trace: string[]; log: (...parts: unknown[]) => void } {
  const trace: string[] = [];
  return { trace, log: (...parts) => void trace.push(parts.map(String).join(" ")) };
}

/** Gives up the loop `n` times (asyncio.sleep(0) n times). */
export async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await sleep(0);
}

export function* turnsGen(n: number): Generator<unknown, void, unknown> {
  for (let i = 0; i < n; i++) yield* sleep(0);
}

// ---- both coroutine kinds from one body (the CPython ports) ----------------------------
export { coroutine, KINDS, spawn, type Body, type Kind } from "@asyncio-ts/test-support/both-kinds";

/** gather(*tasks, return_exceptions=True) */
export async function settle(tasks: Task<unknown>[]): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const t of tasks) {
    try {
      out.push(await t);
    } catch (e) {
      out.push(e);
    }
  }
  return out;
}

/** The `[...]` part of a repr: `<Lock [locked]>` → `[locked]`. */
export const extras = (x: unknown): string => {
  const s = String(x);
  return s.slice(s.indexOf("["), -1);
};

/** The class name of a raised value (its `name`), or its text. */
export const errName = (e: unknown): string => (e as Error)?.name ?? String(e);

/**
 * In a task's body: `try: return await wait_for(op(), timeout) / except TimeoutError: onTimeout()`. The task
 * cancels itself after `timeout` seconds; when that cancellation interrupts `op()` it uncancels and calls
 * `onTimeout` (undefined is then the result).
 */
export function* waitFor<T>(op: () => unknown, timeout: number, onTimeout: () => void): Generator<unknown, T | undefined, any> {
  const me = currentTask()!;
  let fired = false;
  const handle = getRunningLoop().callLater(timeout, () => {
    fired = true;
    me.cancel();
  });
  try {
    return (yield op()) as T;
  } catch (e) {
    if (!(fired && e instanceof CancelledError)) throw e;
    me.uncancel();
    onTimeout();
    return undefined;
  } finally {
    handle.cancel();
  }
}
