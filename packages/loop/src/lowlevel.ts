/**
 * `@asyncio-ts/loop/lowlevel`: for extenders (futures, tasks, executors, custom
 * loops). Not needed by applications.
 */
export { brand, hasBrand } from "./brand.js";
export { globalState } from "./global-state.js";
export type { GlobalState } from "./global-state.js";
export { getRunningLoopOrNull } from "./events.js";
export { formatCallbackSource, formatHandle } from "./handle.js";
export { describeValue, isAsyncGeneratorFunction, isThenable, reprValue } from "./describe.js";
export { afterMicrotasks, scheduleMacrotask } from "./host.js";
export type { FutureFactory } from "./interfaces.js";
export type { Runnable, TimerEntry } from "./runnable.js";
export { onLoopClose } from "./close-hooks.js";
export { checkOptionNames } from "./options.js";
