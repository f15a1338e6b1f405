import type { MessagePort, Worker } from "node:worker_threads";
import type { EventLoop } from "@asyncio-ts/loop";
import type { Call } from "./pool-call.js";

/** A slot whose call the pool took back (SENT -> SKIP): free once the worker answers "skipped". */
export const TAKEN = "taken" as const;
export type Slot = Call | typeof TAKEN | null;

export interface PoolWorker {
  thread: Worker;
  port: MessagePort;
  control: Int32Array;
  /** What the pool sent it, by control slot. */
  slots: Slot[];
  /** Slots not null. The thread is ref'd exactly while this is above 0. */
  inFlight: number;
  /** Ids of the function specs it was sent (later calls name them by id). */
  known: Set<number>;
  /** The loop of the last call it finished (for calls back that outlive their call). */
  lastLoop: EventLoop | null;
  /** Set when the pool ends the thread on purpose (grace expiry, shutdown). */
  retiring: boolean;
  /** Set once a crash or exit was reported: it gets no more calls. */
  failed: boolean;
  /** Set once it answered a call: it started fine. */
  answered: boolean;
  exited: Promise<void>;
  graceTimer: ReturnType<typeof setTimeout> | null;
  /** The cancelled call the grace timer is for. */
  graceCall: Call | null;
  /** Set when its thread has exited. */
  gone: boolean;
}

/** The call `worker` runs first of those it holds (it runs them in the order they were sent). */
export function firstCall(worker: PoolWorker): Call | null {
  let first: Call | null = null;
  for (const entry of worker.slots) if (entry !== null && entry !== TAKEN && (first === null || entry.seq < first.seq)) first = entry;
  return first;
}
