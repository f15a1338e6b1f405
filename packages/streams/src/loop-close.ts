import type { EventLoop } from "@asyncio-ts/loop";
import { globalState, onLoopClose } from "@asyncio-ts/loop/lowlevel";

/** Something holding an OS resource that must go when its loop closes. */
export interface Closeable {
  _destroyOnLoopClose(): void;
}

interface Registry {
  byLoop: WeakMap<EventLoop, Set<Closeable>>;
}

const KEY = "streams.openResources";

/**
 * Sockets and servers still open when their loop closes (a program that ended
 * without closing a writer) are destroyed then, as the process's exit closes
 * CPython's file descriptors; otherwise Node would keep the process alive.
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
      registryRef.byLoop.delete(loop);
      for (const resource of open) resource._destroyOnLoopClose();
    });
  }
  return reg;
}

export function trackResource(loop: EventLoop, resource: Closeable): void {
  const reg = registry();
  let open = reg.byLoop.get(loop);
  if (open === undefined) reg.byLoop.set(loop, (open = new Set()));
  open.add(resource);
}

export function untrackResource(loop: EventLoop, resource: Closeable): void {
  registry().byLoop.get(loop)?.delete(resource);
}
