import { EventLoop, VirtualClock } from "@asyncio-ts/loop";
import { run, type Coroutine } from "@asyncio-ts/tasks";

/** Runs `main` on a loop with a virtual clock: sleeps are instant and ordered. */
export function runVirtual<T>(main: Coroutine<T>, options: { debug?: boolean } = {}): Promise<T> {
  return run(main, { ...options, loopFactory: () => new EventLoop({ clock: new VirtualClock() }) });
}

/** Collects trace lines. */
export function tracer(): { trace: string[]; log: (...parts: unknown[]) => void } {
  const trace: string[] = [];
  return { trace, log: (...parts) => void trace.push(parts.map(String).join(" ")) };
}
