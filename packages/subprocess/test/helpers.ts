import { execFileSync } from "node:child_process";
export { runLoop } from "@asyncio-ts/test-support/run-loop";

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
export { KINDS, spawn, type Body, type Kind } from "@asyncio-ts/test-support/both-kinds";
