import { execFileSync } from "node:child_process";
import type { EventLoop } from "@asyncio-ts/loop";
import { getRunningLoop } from "@asyncio-ts/loop";
import { createTask, run, type Coroutine, type Future, type Task } from "@asyncio-ts/tasks";

/** Runs `main` on a fresh loop (asyncio.run), collecting what reaches the exception handler. */
export async function runLoop<T>(main: (ctx: { loop: EventLoop; errors: Record<string, unknown>[] }) => Promise<T> | Generator<unknown, T, unknown>): Promise<T> {
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

/** True when `pid` no longer exists at all — not even as a zombie (kill(pid, 0) succeeds on zombies). */
export function isReaped(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/** True while `pid` runs (exists and is not a zombie). */
export function isRunning(pid: number): boolean {
  if (isReaped(pid)) return false;
  try {
    return !/^\S+ \(.*\) Z/.test(execFileSync("cat", [`/proc/${pid}/stat`], { encoding: "utf8" }));
  } catch {
    return true;
  }
}

/** Polls (real time) until `predicate` holds, at most `seconds`. */
export async function eventually(predicate: () => boolean, seconds = 3): Promise<boolean> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (predicate()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return predicate();
}

/** The command lines of this machine's processes, with their state (ps). */
export function processTable(): string {
  return execFileSync("ps", ["-eo", "pid,stat,args"], { encoding: "utf8" });
}

/** The README's shell-quoting rule: one single-quoted word, `'` written as `'\''`. */
export function quote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
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
