import { constants } from "node:os";

/**
 * Errors shaped like Node's own system errors (`code`, `errno`, `syscall`), for
 * the conditions CPython reports as OSError subclasses but Node does not raise
 * by itself at that point.
 */
function systemError(code: "EPIPE" | "ESRCH", syscall: string, message: string): NodeJS.ErrnoException {
  const error = new Error(message) as NodeJS.ErrnoException;
  error.code = code;
  error.errno = -(constants.errno[code] ?? 0);
  error.syscall = syscall;
  return error;
}

/** Python's `BrokenPipeError`: data written to a child's stdin could not be delivered. */
export function brokenPipeError(): NodeJS.ErrnoException {
  return systemError("EPIPE", "write", "write EPIPE");
}

/** Python's `ProcessLookupError`: the process is gone (signal sent after `wait()` returned). */
export function processLookupError(pid: number | undefined): NodeJS.ErrnoException {
  const error = systemError("ESRCH", "kill", `kill ESRCH: process ${String(pid)} has exited and was reaped`);
  return error;
}

/** True for the errors `communicate()` ignores while feeding stdin (BrokenPipeError, ConnectionResetError). */
export function isBrokenPipe(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "EPIPE" || code === "ECONNRESET";
}

/** The signal number of a Node signal name (`"SIGTERM"` → 15), or undefined. */
export function signalNumber(name: string): number | undefined {
  return (constants.signals as Record<string, number | undefined>)[name];
}

/** True for a signal number Node can send (one of `os.constants.signals`). */
export function isSignalNumber(signal: number): boolean {
  return (Object.values(constants.signals) as number[]).includes(signal);
}
