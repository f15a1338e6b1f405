import type { EventLoop } from "@asyncio-ts/loop";
import { globalState, onLoopClose } from "@asyncio-ts/loop/lowlevel";

/**
 * Something holding an OS resource (a socket, a server, a child process) that
 * must be released when its loop closes. `_destroyOnLoopClose()` runs as part
 * of `loop.close()`: it must release the resource without calling back into
 * the (closed) loop.
 */
export interface Closeable {
  _destroyOnLoopClose(): void;
}

interface Registry {
  byLoop: WeakMap<EventLoop, Set<Closeable>>;
}

/** One process-wide slot, so the ESM and CJS builds (and every package that tracks) share one registry and one close hook. */
const KEY = "streams.openResources";

/**
 * Resources still open when their loop closes (a program that ended without
 * closing a writer, or without waiting for a child) are destroyed then, as the
 * process's exit closes CPython's file descriptors; otherwise Node would keep
 * the process alive. Resources are destroyed in the order they were tracked.
 */
function registry(): Registry {
  const slots = globalState().slots;
  let reg = slots[KEY] as Registry | undefined;
  if (reg === undefined) {
    reg = { byLoop: new WeakMap() };
    slots[KEY] = reg;
    const registryRef = reg;
    onLoopClose(KEY, (loop: EventLoop) => {
      const open = registryRef.byLoop.get(loop);
      if (open === undefined) return;
      // Removed first: an `untrackResource` from inside `_destroyOnLoopClose` then finds nothing to change.
      registryRef.byLoop.delete(loop);
      for (const resource of open) resource._destroyOnLoopClose();
    });
  }
  return reg;
}

/**
 * Registers `resource` to be destroyed (`resource._destroyOnLoopClose()`) when
 * `loop` closes. Call `untrackResource` once the resource was closed normally.
 * Tracking the same resource twice is tracking it once.
 *
 * @example
 * class Pipe implements Closeable {
 *   constructor(readonly loop: EventLoop, readonly stream: Duplex) { trackResource(loop, this); }
 *   close(): void { untrackResource(this.loop, this); this.stream.destroy(); }
 *   _destroyOnLoopClose(): void { this.stream.destroy(); }
 * }
 */
export function trackResource(loop: EventLoop, resource: Closeable): void {
  const reg = registry();
  let open = reg.byLoop.get(loop);
  if (open === undefined) reg.byLoop.set(loop, (open = new Set()));
  open.add(resource);
}

/** Forgets `resource` (it was closed normally): the loop's closing no longer touches it. No-op if it is not tracked. */
export function untrackResource(loop: EventLoop, resource: Closeable): void {
  registry().byLoop.get(loop)?.delete(resource);
}
