/**
 * The host primitives the loop is built on, chosen by feature detection so the
 * `loop` package imports no `node:` module (CONTRACT §0).
 */

type Callback = () => void;

interface HostGlobals {
  setImmediate?: (cb: Callback) => unknown;
  clearImmediate?: (id: unknown) => void;
  process?: { nextTick?: (cb: Callback) => void };
  MessageChannel?: new () => { port1: { onmessage: (() => void) | null; close(): void }; port2: { postMessage(v: unknown): void; close(): void } };
}
const host = globalThis as unknown as HostGlobals;

export interface MacrotaskHandle {
  cancel(): void;
}

const macrotask: (cb: Callback) => MacrotaskHandle = makeMacrotaskScheduler();

/** Runs `cb` on a later turn of the host loop, after pending I/O is polled. */
export function scheduleMacrotask(cb: Callback): MacrotaskHandle {
  return macrotask(cb);
}

function makeMacrotaskScheduler(): (cb: Callback) => MacrotaskHandle {
  if (typeof host.setImmediate === "function" && typeof host.clearImmediate === "function") {
    const set = host.setImmediate;
    const clear = host.clearImmediate;
    return (cb) => {
      const id = set(cb);
      return { cancel: () => clear(id) };
    };
  }
  if (typeof host.MessageChannel === "function") {
    // Browsers: a message is a macrotask without setTimeout's 4 ms clamp.
    return (cb) => {
      let live = true;
      const channel = new host.MessageChannel!();
      channel.port1.onmessage = () => {
        channel.port1.close();
        if (live) cb();
      };
      channel.port2.postMessage(null);
      return { cancel: () => void (live = false) };
    };
  }
  return (cb) => {
    const id = setTimeout(cb, 0);
    return { cancel: () => clearTimeout(id) };
  };
}

/**
 * Runs `cb` as soon as the microtask queue is empty, without a host loop turn
 * where the host allows it. On Node a `nextTick` queued from inside a microtask
 * runs only after the microtask queue has drained (Node alternates "all ticks,
 * all microtasks" until both are empty), so this costs two cheap queue
 * operations instead of a trip through libuv. Elsewhere it falls back to a
 * macrotask, which also runs after the microtasks.
 */
export const afterMicrotasks: (cb: Callback) => void = (cb) => afterMicrotasksOf(cb)();

/**
 * `afterMicrotasks` bound to one callback, for a caller that schedules the same
 * callback again and again (the loop's drain): no closure per call.
 */
export function afterMicrotasksOf(cb: Callback): () => void {
  return makeAfterMicrotasks(cb);
}

const settled = Promise.resolve();

function makeAfterMicrotasks(cb: Callback): () => void {
  const nextTick = host.process?.nextTick;
  if (typeof nextTick === "function") {
    // A reaction on a settled promise, not queueMicrotask: Node's queueMicrotask
    // allocates an AsyncResource and a bound function per call.
    const queueTick = (): void => nextTick(cb);
    return () => void settled.then(queueTick);
  }
  return () => void scheduleMacrotask(cb);
}

/** The longest delay a host timer accepts (2^31 - 1 ms); longer waits re-arm. */
export const MAX_HOST_DELAY_MS = 2_147_483_647;
