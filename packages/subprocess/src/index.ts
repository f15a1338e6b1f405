/**
 * `@asyncio-ts/subprocess`: asyncio's subprocesses — start programs with
 * `createSubprocessExec` (no shell: arguments are never interpreted) or
 * `createSubprocessShell` (through `/bin/sh -c`), talk to them through
 * `StreamWriter` / `StreamReader` pipes, and wait for them, without blocking
 * the loop.
 */
export { createSubprocessExec, createSubprocessShell } from "./create-subprocess.js";
export { Process } from "./process.js";
export { PIPE, STDOUT, DEVNULL } from "./constants.js";
export type { StdioOption } from "./constants.js";
export type { SubprocessOptions } from "./options.js";
