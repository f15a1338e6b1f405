/**
 * What `stdin`, `stdout` and `stderr` accept (CPython's `subprocess` module
 * constants, with the same values).
 *
 * - `PIPE`: a pipe to the child, seen as `process.stdin` (a `StreamWriter`)
 *   or `process.stdout` / `process.stderr` (`StreamReader`s).
 * - `DEVNULL`: the child's end is opened on `/dev/null`.
 * - `STDOUT` (for `stderr` only): the child's standard error goes wherever its
 *   standard output goes (the same pipe when `stdout: PIPE`).
 */
export const PIPE = -1;
export const STDOUT = -2;
export const DEVNULL = -3;

/**
 * One of the child's standard streams: `PIPE`, `DEVNULL`, `STDOUT` (stderr
 * only), `"inherit"` / `null` / `undefined` (the child shares the parent's), or
 * a file descriptor number open in this process.
 */
export type StdioOption = typeof PIPE | typeof STDOUT | typeof DEVNULL | "inherit" | number | null | undefined;
