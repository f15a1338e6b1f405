/**
 * `@asyncio-ts/combinators`: asyncio's ways to run and wait for many things at
 * once — `gather`, `wait`, `waitFor`, `shield`, `asCompleted`, timeout scopes
 * and `TaskGroup` — with CPython 3.12's semantics, for both coroutine kinds.
 */
export { gather } from "./gather.js";
export type { AwaitableResult, GatherOptions, GatherResults } from "./gather.js";
export { wait, FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED } from "./wait.js";
export type { ReturnWhen, WaitOptions } from "./wait.js";
export { waitFor } from "./wait-for.js";
export { shield } from "./shield.js";
export { asCompleted } from "./as-completed.js";
export type { AsCompleted, AsCompletedOptions } from "./as-completed.js";
export { timeout, timeoutAt, Timeout } from "./timeouts.js";
export type { ScopeBody } from "./timeouts.js";
export { TaskGroup, taskGroup } from "./task-group.js";
export { ExceptionGroup } from "./exception-group.js";
export type { ExceptionCondition } from "./exception-group.js";
export { TimeoutError } from "./timeout-error.js";
