import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { EventLoop, VirtualClock, getRunningLoop, type ExceptionContext } from "@asyncio-ts/loop";
import { allTasks, run, type Coroutine, type Future } from "@asyncio-ts/tasks";

/** The two kinds of coroutine every cpython-* scenario runs with. */
export const KINDS = ["async", "generator"] as const;
export type Kind = (typeof KINDS)[number];

/**
 * Runs `main` on a fresh loop with a virtual clock (`clock`, when the test needs to
 * advance it itself); fails on any report through the loop's exception handler.
 */
export async function runVirtual<T>(main: Coroutine<T>, options: { allowReports?: ExceptionContext[]; clock?: VirtualClock } = {}): Promise<T> {
  let loop: EventLoop | null = null;
  const reports: ExceptionContext[] = options.allowReports ?? [];
  const result = await run(main, {
    loopFactory: () => {
      loop = new EventLoop({ clock: options.clock ?? new VirtualClock() });
      loop.setExceptionHandler((_l, context) => {
        reports.push(context);
      });
      return loop;
    },
  });
  if (options.allowReports === undefined && reports.length > 0) {
    throw new Error(`unexpected loop reports: ${reports.map((r) => `${r.message} ${String(r.exception)}`).join("; ")}`);
  }
  return result;
}

/** The loop's time, rounded (virtual time makes it exact, but floats add up). */
export function now(): number {
  return Math.round(getRunningLoop().time() * 1000) / 1000;
}

/** Seconds since `t0`, rounded to 0.01 as the Python traces print them. */
export function since(t0: number): number {
  return Math.round((getRunningLoop().time() - t0) * 100) / 100;
}

/** Tasks other than the current one still pending. */
export function otherTasks(): number {
  return allTasks().size - 1;
}

/** Waits `n` loop iterations (sleep(0) each). */
export { sleep } from "@asyncio-ts/tasks";

/** Python's `except Class: handler()`: runs `handler` if `e` is a `Class`, re-raises it otherwise. */
export function except<E>(e: unknown, Class: abstract new (...args: never[]) => E, handler: (e: E) => void): void {
  if (e instanceof Class) handler(e);
  else throw e;
}

/** The name of an error, for traces. */
export function errName(e: unknown): string {
  return e instanceof Error ? `${e.name}(${e.message === "" ? "" : JSON.stringify(e.message)})` : String(e);
}

/** A trace in Python's print() format, to compare with CPython's output line by line. */
export class Trace {
  readonly lines: string[] = [];
  t0 = 0;
  /** Starts a scenario: times are printed relative to now. */
  start(name: string): void {
    this.t0 = getRunningLoop().time();
    this.P("==", name);
  }
  /** Seconds since the scenario started, as Python's `round(x, 1)` prints them. */
  T(): number {
    return Math.round((getRunningLoop().time() - this.t0) * 10) / 10;
  }
  P(...parts: unknown[]): void {
    this.lines.push(parts.map((p) => (typeof p === "string" ? p : py(p))).join(" "));
  }
  toString(): string {
    return this.lines.join("\n");
  }
}

/**
 * A lighter trace for the cpython-* files: `P(...)` joins its parts with String()
 * (so `true`, not `True`); `T()` is the time since `start()`, rounded to 0.1.
 */
export function tracer(): { lines: string[]; P: (...a: unknown[]) => void; T: () => number; start: () => void } {
  const lines: string[] = [];
  let t0 = 0;
  return {
    lines,
    P: (...a) => void lines.push(a.map(String).join(" ")),
    T: () => Math.round((getRunningLoop().time() - t0) * 10) / 10,
    start: () => void (t0 = getRunningLoop().time()),
  };
}

/**
 * A coroutine of `kind` that awaits `what()`: if that raises, `onError(e)` runs and the
 * error is re-raised; `finally` runs either way (an error it raises replaces the outcome);
 * then it returns `then(value)`. In Python:
 * `try: v = await what() except BaseException as e: on_error(e); raise finally: fin()` then `return then(v)`.
 */
export function awaiting<T, R = void>(
  kind: Kind,
  what: () => Future<T>,
  hooks: { onError?: (e: unknown) => void; finally?: () => void; then?: (value: T) => R } = {},
): Coroutine<R> {
  const { onError = () => {}, finally: fin = () => {}, then = () => undefined as R } = hooks;
  if (kind === "async") {
    return async () => {
      let value: T;
      try {
        value = await what();
      } catch (e) {
        onError(e);
        throw e;
      } finally {
        fin();
      }
      return then(value);
    };
  }
  return (function* () {
    let value: T;
    try {
      value = yield* what();
    } catch (e) {
      onError(e);
      throw e;
    } finally {
      fin();
    }
    return then(value);
  })();
}

/** Python's repr() for the values traces print. */
export function py(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "string") {
    if (value.includes("'") && !value.includes('"')) return `"${value}"`;
    return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  }
  if (Array.isArray(value)) return `[${value.map(py).join(", ")}]`;
  if (value instanceof Error) return en(value);
  return String(value);
}

/** `ValueError('boom')`, `CancelledError()`: Python's repr of an exception. */
export function en(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  return e.message === "" ? `${e.name}()` : `${e.name}('${e.message}')`;
}

export class ValueError extends Error {
  constructor(message = "") {
    super(message);
    this.name = "ValueError";
  }
}

export class KeyError extends Error {
  constructor(message = "") {
    super(message);
    this.name = "KeyError";
  }
}

/** The lines between `== name` and the next `==` in a trace. */
export function section(trace: string, name: string): string {
  const lines = trace.split("\n");
  const start = lines.indexOf(`== ${name}`);
  if (start < 0) throw new Error(`no section ${name}`);
  let end = start + 1;
  while (end < lines.length && !lines[end].startsWith("== ")) end++;
  return lines.slice(start, end).join("\n");
}


/** CPython 3.12's output for the scenario `name` (test/fixtures/scenarios.py). */
export function cpython(name: string): string {
  const text = readFileSync(fileURLToPath(new URL("./fixtures/cpython-3.12-traces.txt", import.meta.url)), "utf8");
  return section(text.trimEnd(), name);
}
