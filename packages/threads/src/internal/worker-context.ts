/**
 * What the worker entry shares with the library code that runs in the
 * worker (user modules import "@asyncio-ts/threads" themselves, maybe another
 * build of it), kept in one `globalThis` slot.
 */
export interface WorkerContext {
  /** Posts a message to the pool that owns this worker and wakes a thread blocked on it. */
  post(message: unknown, transferList?: readonly Transferable[]): void;
  /** The call running now, if any. */
  current: { id: number; signal: AbortSignal } | null;
  /** The last call this worker started: calls back into "the caller's loop" go to its loop. */
  lastCallId: number;
}

const KEY = Symbol.for("asyncio-ts.threads.worker");

export function workerContext(): WorkerContext | null {
  return ((globalThis as Record<symbol, unknown>)[KEY] as WorkerContext | undefined) ?? null;
}

export function setWorkerContext(context: WorkerContext): void {
  Object.defineProperty(globalThis, KEY, { value: context, configurable: true });
}
