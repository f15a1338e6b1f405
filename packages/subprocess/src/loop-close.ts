import type { EventLoop } from "@asyncio-ts/loop";
import { globalState, onLoopClose } from "@asyncio-ts/loop/lowlevel";

/** A child process attached to a loop. */
export interface LoopBoundProcess {
  _destroyOnLoopClose(): void;
}

interface Registry {
  byLoop: WeakMap<EventLoop, Set<LoopBoundProcess>>;
}

const KEY = "subprocess.running";

/**
 * Children still attached when their loop closes (the program did not wait for
 * them) are killed with SIGKILL and their pipes closed. CPython only warns
 * (ResourceWarning "unclosed transport") and kills them when the transport is
 * garbage-collected, at the latest at interpreter exit; Node has no such
 * finaliser, and a running child would keep the Node process alive, so we kill
 * at loop close. Node still reaps them: no zombie is left.
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
      for (const process of open) process._destroyOnLoopClose();
    });
  }
  return reg;
}

export function trackProcess(loop: EventLoop, process: LoopBoundProcess): void {
  const reg = registry();
  let open = reg.byLoop.get(loop);
  if (open === undefined) reg.byLoop.set(loop, (open = new Set()));
  open.add(process);
}

export function untrackProcess(loop: EventLoop, process: LoopBoundProcess): void {
  registry().byLoop.get(loop)?.delete(process);
}
