import { brand, describeValue } from "@asyncio-ts/loop/lowlevel";

/**
 * Several errors raised together (Python's `ExceptionGroup`), as a
 * `TaskGroup` reports the failures of its children: `exceptions` lists them
 * in the order they happened. It is an `AggregateError`, so `errors` holds the
 * same list.
 *
 * `message` is the group's own message ("unhandled errors in a TaskGroup");
 * `toString()` adds the count as Python's `str()` does.
 *
 * ```ts
 * try {
 *   await taskGroup(async (tg) => { tg.createTask(failing); });
 * } catch (error) {
 *   if (error instanceof ExceptionGroup) for (const e of error.exceptions) console.log(e);
 * }
 * ```
 */
export class ExceptionGroup extends AggregateError {
  static {
    brand(this, "ExceptionGroup");
  }
  /** The errors in the group, in order. */
  readonly exceptions: readonly unknown[];

  /** Errors: `TypeError` if `message` is not a string, `RangeError` if `exceptions` is empty (Python's `ValueError`). */
  constructor(message: string, exceptions: Iterable<unknown>, options?: ErrorOptions) {
    if (typeof message !== "string") throw new TypeError("ExceptionGroup() needs a message string as its first argument");
    if (exceptions === null || typeof exceptions !== "object" || typeof (exceptions as Iterable<unknown>)[Symbol.iterator] !== "function") {
      throw new TypeError(`ExceptionGroup() needs an iterable of exceptions (e.g. an array) as its second argument, got ${describeValue(exceptions)}`);
    }
    const list = Object.freeze([...exceptions]);
    if (list.length === 0) throw new RangeError("ExceptionGroup() needs a non-empty list of exceptions");
    super(list, message, options);
    this.name = "ExceptionGroup";
    this.exceptions = list;
  }

  /** A group of the errors matching `condition` (a predicate or an error class), or `null` if none do. */
  subgroup(condition: ExceptionCondition): ExceptionGroup | null {
    checkCondition(condition, "subgroup");
    return this.split(condition)[0];
  }

  /** `[matching, rest]`: two groups (or `null` for an empty side), nested groups split recursively. */
  split(condition: ExceptionCondition): [match: ExceptionGroup | null, rest: ExceptionGroup | null] {
    checkCondition(condition, "split");
    const test = toPredicate(condition);
    if (test(this)) return [this, null];
    const match: unknown[] = [];
    const rest: unknown[] = [];
    for (const error of this.exceptions) {
      if (error instanceof ExceptionGroup) {
        const [m, r] = error.split(test);
        if (m !== null) match.push(m);
        if (r !== null) rest.push(r);
      } else if (test(error)) match.push(error);
      else rest.push(error);
    }
    const derive = (list: unknown[]): ExceptionGroup | null =>
      list.length === 0 ? null : new ExceptionGroup(this.message, list, { cause: this.cause });
    return [derive(match), derive(rest)];
  }

  override toString(): string {
    const n = this.exceptions.length;
    return `${this.name}: ${this.message} (${n} sub-exception${n === 1 ? "" : "s"})`;
  }
}

/** What `split()` and `subgroup()` match: a predicate, or an error class. */
export type ExceptionCondition = ((error: unknown) => boolean) | (abstract new (...args: never[]) => unknown);

function checkCondition(condition: unknown, where: string): void {
  if (typeof condition !== "function") {
    throw new TypeError(`ExceptionGroup.${where}() needs a predicate (error) => boolean or an error class, got ${describeValue(condition)}`);
  }
}

function toPredicate(condition: ExceptionCondition): (error: unknown) => boolean {
  if (typeof condition === "function" && condition.prototype !== undefined && condition.prototype !== null && (condition === Error || condition.prototype instanceof Error)) {
    const cls = condition as abstract new (...args: never[]) => unknown;
    return (error) => error instanceof cls;
  }
  return condition as (error: unknown) => boolean;
}
