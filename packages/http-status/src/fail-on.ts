import { ERROR_CODES, type ErrorCode } from "./errors.js";

/**
 * One `failOn` rule: `"error"` (any error), an error code (`"TIMEOUT"`), a
 * status class (`"4xx"`), or one status (`"404"`). `"none"` alone means no rule.
 */
export type FailOnRule = string;

/** The default: errors, client errors and server errors. */
export const DEFAULT_FAIL_ON: readonly string[] = ["error", "4xx", "5xx"];

/** @internal A compiled `failOn` list. */
export interface FailOnMatcher {
  readonly rules: readonly string[];
  /** True when a result with this status (or this error) matches a rule. */
  matches(status: number | null, errorCode: ErrorCode | null): boolean;
}

const CLASS = /^([1-9])xx$/i;
const STATUS = /^[1-9]\d\d$/;

/** @internal Checks and compiles a `failOn` list (throws TypeError / RangeError). */
export function compileFailOn(rules: unknown, where: string): FailOnMatcher {
  if (rules === undefined || rules === null) rules = DEFAULT_FAIL_ON;
  if (!Array.isArray(rules)) throw new TypeError(`${where}: failOn must be an array of strings, e.g. ["error", "4xx", "5xx"]`);
  const classes = new Set<number>();
  const statuses = new Set<number>();
  const codes = new Set<string>();
  let anyError = false;
  const normalised: string[] = [];
  for (const raw of rules) {
    if (typeof raw !== "string") throw new TypeError(`${where}: failOn entries must be strings, got ${typeof raw}`);
    const rule = raw.trim();
    if (rule === "" || rule.toLowerCase() === "none") continue;
    const lower = rule.toLowerCase();
    const upper = rule.toUpperCase();
    if (lower === "error" || lower === "errors") {
      anyError = true;
      normalised.push("error");
    } else if (CLASS.test(rule)) {
      classes.add(Number(rule[0]));
      normalised.push(lower);
    } else if (STATUS.test(rule)) {
      statuses.add(Number(rule));
      normalised.push(rule);
    } else if ((ERROR_CODES as readonly string[]).includes(upper)) {
      codes.add(upper);
      normalised.push(upper);
    } else {
      throw new RangeError(
        `${where}: unknown failOn rule ${JSON.stringify(raw)}: use "error", an error code (${ERROR_CODES.join(", ")}), a class like "4xx", a status like "404", or "none"`,
      );
    }
  }
  return {
    rules: normalised,
    matches(status, errorCode) {
      if (errorCode !== null) return anyError || codes.has(errorCode);
      if (status === null) return anyError;
      return statuses.has(status) || classes.has(Math.floor(status / 100));
    },
  };
}
