import { EventLoop, getRunningLoop, VirtualClock } from "@asyncio-ts/loop";
import { createTask, run, type Coroutine, type Future, type Task } from "@asyncio-ts/tasks";

/** The two kinds of coroutine the cpython-* scenarios run with. */
export const KINDS = ["async", "generator"] as const;
export type Kind = (typeof KINDS)[number];

/** Runs `main` on a loop with a virtual clock: sleeps are instant and ordered. */
export function runVirtual<T>(main: Coroutine<T>, options: { debug?: boolean } = {}): Promise<T> {
  return run(main, { ...options, loopFactory: () => new EventLoop({ clock: new VirtualClock() }) });
}

/** Collects trace lines. */
export function tracer(): { trace: string[]; log: (...parts: unknown[]) => void } {
  const trace: string[] = [];
  return { trace, log: (...parts) => void trace.push(parts.map(String).join(" ")) };
}

/** Starts counting loop iterations (a callback that re-queues itself, up to 20); returns a reader. */
export function counter(): () => number {
  const loop = getRunningLoop();
  let n = 0;
  const tick = (): void => {
    n++;
    if (n < 20) loop.callSoon(tick);
  };
  loop.callSoon(tick);
  return () => n;
}

/** Python's repr of an exception: CancelledError('msg') / CancelledError(). */
export function en(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  return e.message === "" ? `${e.name}()` : `${e.name}('${e.message}')`;
}

/**
 * A task running a coroutine of `kind` that awaits `what()` (called in the task's first
 * step) and returns `then(value)`; an error from the await goes to `onError` and on up.
 * In Python: `try: v = await what() except BaseException as e: on_error(e); raise` / `return then(v)`.
 */
export function awaitingTask<T, R = void>(
  kind: Kind,
  what: () => Future<T>,
  { onError = () => {}, then = () => undefined as R }: { onError?: (e: unknown) => void; then?: (value: T) => R } = {},
): Task<R> {
  if (kind === "async") {
    return createTask(async () => {
      let value: T;
      try {
        value = await what();
      } catch (e) {
        onError(e);
        throw e;
      }
      return then(value);
    });
  }
  return createTask(
    (function* () {
      let value: T;
      try {
        value = yield* what();
      } catch (e) {
        onError(e);
        throw e;
      }
      return then(value);
    })(),
  );
}
