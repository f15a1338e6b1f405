import { EventLoop, VirtualClock } from "@asyncio-ts/loop";
import { createTask, run, sleep, type Coroutine, type Future, type Task } from "@asyncio-ts/tasks";

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
export type Kind = "async" | "generator";
export const KINDS: Kind[] = ["async", "generator"];
/** A coroutine body written once: `yield fut` stands for `await fut` / `yield* fut`. */
export type Body<T> = () => Generator<unknown, T, any>;

/** create_task(body()): as an async function (each `yield` is an `await`) or as a generator coroutine (`yield*`). */
export function spawn<T>(kind: Kind, body: Body<T>): Task<T> {
  if (kind === "async") {
    return createTask(async () => {
      const g = body();
      let r = g.next();
      while (!r.done) {
        let v: unknown;
        try {
          v = await (r.value as PromiseLike<unknown>);
        } catch (e) {
          r = g.throw(e);
          continue;
        }
        r = g.next(v);
      }
      return r.value;
    });
  }
  return createTask(
    (function* (): Generator<unknown, T, unknown> {
      const g = body();
      let r = g.next();
      while (!r.done) {
        let v: unknown;
        try {
          v = yield* r.value as Future<unknown>;
        } catch (e) {
          r = g.throw(e);
          continue;
        }
        r = g.next(v);
      }
      return r.value;
    })(),
  );
}
