import { brand } from "./brand.js";
import { reprValue } from "./describe.js";
import type { EventLoop } from "./event-loop.js";
import type { Runnable, TimerEntry } from "./runnable.js";

type AnyFunction = (...args: never[]) => unknown;

/**
 * A callback scheduled on a loop (asyncio's `Handle`), returned by `callSoon`.
 * Not designed for subclassing outside this package.
 */
export class Handle implements Runnable {
  static {
    brand(this, "Handle");
  }
  /** @internal */ _callback: AnyFunction | null;
  /** @internal `this` for the callback: internal handles call a method without a closure. */
  _thisArg: unknown;
  /** @internal Public callbacks keep their arguments here; internal ones use `_arg`. */
  _args: unknown[] | undefined;
  /** @internal */ _arg: unknown;
  /** @internal */ _cancelled = false;
  /** @internal Set for callbacks that may queue microtasks, which must run before the next callback. */
  _drain: boolean;
  /** @internal */ _loop: EventLoop;
  /** @internal Creation stack, kept in debug mode. */
  _sourceTraceback: string | undefined = undefined;
  /** @internal Made by `_callSoonInternal`: nobody else holds it, so the loop reuses it once run. */
  _pooled = false;

  /** @internal Use `loop.callSoon()`. */
  constructor(callback: AnyFunction, args: unknown[] | undefined, loop: EventLoop, thisArg?: unknown, arg?: unknown, drain = true) {
    this._callback = callback;
    this._args = args;
    this._thisArg = thisArg;
    this._arg = arg;
    this._loop = loop;
    this._drain = drain;
  }

  /** @internal In debug mode, the repr taken at cancel(), which keeps the callback's description (on the prototype until then). */
  declare _repr: string | undefined;

  /** Prevents the callback from running, if it has not run yet. */
  cancel(): void {
    if (!this._cancelled) {
      this._cancelled = true;
      // As asyncio: in debug mode a cancelled handle still says what it would
      // have called (e.g. for a later "Executing <Handle ...> took" warning).
      if (this._loop.getDebug()) this._repr = this.toString();
      this._callback = null;
      this._args = undefined;
      this._thisArg = undefined;
      this._arg = undefined;
    }
  }

  cancelled(): boolean {
    return this._cancelled;
  }

  /** @internal */
  _run(): void {
    // Called with the arguments it was scheduled with.
    const callback = this._callback as (...args: unknown[]) => unknown;
    const returned = this._args === undefined ? callback.call(this._thisArg, this._arg) : callback.apply(this._thisArg, this._args);
    // Callbacks return nothing as a rule: one typeof is all the common case costs.
    if (typeof returned === "object" && returned !== null) this._returned(returned);
  }

  /**
   * @internal The callback returned an object. A promise (an async function
   * used as a callback, outside debug mode) is followed, so that its rejection
   * goes to the exception handler as a thrown error does, instead of crashing
   * the process as an unhandled rejection; a generator, which nothing would
   * ever run, is reported.
   */
  _returned(returned: object): void {
    const loop = this._loop;
    if (returned instanceof Promise) {
      // The report may come after the loop would have reused a pooled handle.
      this._pooled = false;
      returned.then(undefined, (error: unknown) => {
        loop.callExceptionHandler({
          message: `Exception in callback ${formatCallbackSource(this)}`,
          exception: error,
          handle: this,
          ...(this._sourceTraceback ? { source_traceback: this._sourceTraceback } : {}),
        });
      });
    } else if (isGenerator(returned)) {
      this._pooled = false;
      const source = formatCallbackSource(this);
      loop.callExceptionHandler({
        message: `Exception in callback ${source}`,
        exception: new TypeError(`callback ${source} returned a generator, which a callback cannot run: run a generator coroutine with createTask()`),
        handle: this,
      });
    }
  }

  /**
   * asyncio's handle repr: `<Handle boom(1)>`, `<Handle cancelled>`; in debug
   * mode also where it was scheduled (`created at file:line`), and a cancelled
   * handle keeps its callback's description.
   */
  toString(): string {
    if (this._repr !== undefined) return this._repr;
    return `<${this._reprInfo().join(" ")}>`;
  }

  /** @internal The parts of the repr, as asyncio's `Handle._repr_info`. */
  _reprInfo(): string[] {
    const info = [this.constructor === Handle ? "Handle" : "TimerHandle"];
    if (this._cancelled) info.push("cancelled");
    if (this._callback !== null) info.push(this._describe());
    if (this._sourceTraceback) info.push(`created at ${creationSite(this._sourceTraceback)}`);
    return info;
  }

  /** @internal asyncio's `format_callback_source`: `name(args)`, or the task or future it works for. */
  _describe(): string {
    const args = this._args ?? (this._thisArg === undefined ? [this._arg] : []);
    return describeCallback(this._callback, this._thisArg, args);
  }
}

/** A timer handle, returned by `callLater` and `callAt`. */
export class TimerHandle extends Handle implements TimerEntry {
  static {
    brand(this, "TimerHandle");
  }
  /** @internal */ _when: number;
  /** @internal Tie-breaker: equal deadlines run in scheduling order. */
  _seq: number;
  /** @internal True while in the loop's heap. */
  _scheduled = false;

  /** @internal Use `loop.callLater()` / `loop.callAt()`. */
  constructor(when: number, seq: number, callback: AnyFunction, args: unknown[] | undefined, loop: EventLoop, thisArg?: unknown, arg?: unknown, drain = true) {
    super(callback, args, loop, thisArg, arg, drain);
    this._when = when;
    this._seq = seq;
  }

  /** The absolute deadline, in the loop's `time()` seconds. */
  when(): number {
    return this._when;
  }

  override cancel(): void {
    if (!this._cancelled) {
      super.cancel();
      this._loop._timerHandleCancelled(this);
    }
  }

  override _reprInfo(): string[] {
    // As asyncio: `<TimerHandle when=5 boom(1)>`, `<TimerHandle cancelled when=5>`.
    const info = super._reprInfo();
    info.splice(this._cancelled ? 2 : 1, 0, `when=${this._when}`);
    return info;
  }
}

Object.defineProperty(Handle.prototype, "_repr", { value: undefined, writable: true });

/**
 * Where a captured stack (innermost frame first, as `Error.stack` lists it)
 * says the call was made: `file:line` of its first frame, as asyncio's
 * `created at file:line`.
 */
export function creationSite(stack: string): string {
  const newline = stack.indexOf("\n");
  const line = (newline === -1 ? stack : stack.slice(0, newline)).trim();
  // V8 frames read "at name (file:line:col)"; SpiderMonkey's and JavaScriptCore's "name@file:line:col".
  const frame = line.startsWith("at ") ? line.slice(3) : line.replace(/^[^@\s]*@/, "");
  const location = /\(?([^()\s]+):(\d+):\d+\)?$/.exec(frame);
  return location === null ? frame : `${location[1]}:${location[2]}`;
}

function isGenerator(value: object): boolean {
  const g = value as Partial<Generator>;
  return typeof g.next === "function" && typeof g.throw === "function" && typeof g[Symbol.iterator] === "function";
}

/**
 * How debug messages name a handle: the task it steps (asyncio's `_format_handle`),
 * otherwise the handle itself.
 */
export function formatHandle(handle: Runnable): string {
  const owner = handle._thisArg;
  if (owner !== undefined && owner !== null && hasOwnToString(owner)) return String(owner);
  return String(handle);
}

function hasOwnToString(value: unknown): boolean {
  return typeof (value as { toString?: unknown }).toString === "function" && (value as object).toString !== Object.prototype.toString;
}

function describeCallback(callback: AnyFunction | null, thisArg: unknown, args: readonly unknown[]): string {
  // An internal step of a task or future names its owner, as asyncio names the task.
  if (thisArg !== undefined && thisArg !== null && hasOwnToString(thisArg)) return String(thisArg);
  const name = callback?.name ? callback.name.replace(/^bound /, "") : "<anonymous>";
  return `${name}(${args.map((arg) => reprValue(arg)).join(", ")})`;
}

/**
 * What "Exception in callback ..." names (asyncio's `format_callback_source`):
 * `boom(1)` for a callback, the task or future for an entry that is its own.
 */
export function formatCallbackSource(entry: Runnable): string {
  return entry instanceof Handle ? entry._describe() : String(entry);
}
