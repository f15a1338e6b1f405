import { EventLoop, VirtualClock } from "@asyncio-ts/loop";
import { run, sleep, type Coroutine } from "@asyncio-ts/tasks";

/** Runs `main` on a loop with a virtual clock: sleeps are instant and ordered. */
export function runVirtual<T>(main: Coroutine<T>): Promise<T> {
  return run(main, { loopFactory: () => new EventLoop({ clock: new VirtualClock() }) });
}

/** Collects trace lines. */
export function tracer(): { trace: string[]; log: (...parts: unknown[]) => void } {
  const trace: string[] = [];
  return { trace, log: (...parts) => void trace.push(parts.map(String).join(" ")) };
}

/** Gives up the loop `n` times (asyncio.sleep(0) n times). */
export async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await sleep(0);
}

export function* turnsGen(n: number): Generator<unknown, void, unknown> {
  for (let i = 0; i < n; i++) yield* sleep(0);
}
