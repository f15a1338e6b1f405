/** A short, safe description of any value for error messages ("got 42", "got a Promise"). */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "undefined":
      return "undefined";
    case "string":
      return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
    case "number":
    case "boolean":
    case "bigint":
      return String(value);
    case "symbol":
      return value.toString();
    case "function":
      return `function ${value.name || "<anonymous>"}`;
  }
  const obj = value as object;
  if (typeof (obj as { toString?: unknown }).toString === "function" && obj.toString !== Object.prototype.toString) {
    try {
      const text = String(obj);
      if (!text.startsWith("[object ")) return text;
    } catch {
      // fall through to the constructor name
    }
  }
  if (isThenable(obj)) return `a ${obj.constructor?.name ?? "thenable"}`;
  const name = obj.constructor?.name;
  return name ? `a ${name}` : "an object";
}

/** How much of a value a repr shows (reprlib's limits, or none for `repr()`). */
interface ReprLimits {
  readonly string: number;
  readonly number: number;
  readonly other: number;
  readonly list: number;
  readonly dict: number;
}

const REPRLIB: ReprLimits = { string: 30, number: 40, other: 30, list: 6, dict: 4 };
const FULL: ReprLimits = { string: Infinity, number: Infinity, other: Infinity, list: Infinity, dict: Infinity };

/**
 * A value as asyncio's reprs show it: Python's `reprlib.repr` (what
 * `_format_callback_source` and future reprs use): strings quoted as Python
 * quotes them and cut to 30 characters, at most 6 items of a list or set and
 * 4 of a dict, 6 levels deep, errors as `Name('message')`, other text cut to 30.
 */
export function reprValue(value: unknown, level = 6): string {
  return repr(value, level, REPRLIB, null);
}

/**
 * A value as Python's `repr()` shows it, nothing cut (what asyncio's default
 * exception handler prints for each context key); nesting deeper than 20
 * levels, or a cycle, shows as `[...]` / `{...}`.
 */
export function reprFull(value: unknown): string {
  return repr(value, 20, FULL, new Set());
}

/** `ancestors` (for `reprFull`) are the containers being shown: one met again is a cycle, shown as `[...]`. */
function repr(value: unknown, level: number, limits: ReprLimits, ancestors: Set<object> | null): string {
  switch (typeof value) {
    case "string":
      return cut(pyStr(value), limits.string);
    case "number":
    case "bigint":
      return cut(String(value), limits.number);
    case "undefined":
    case "boolean":
    case "symbol":
    case "function":
      return describeValue(value);
  }
  if (value === null) return "null";
  try {
    return reprObject(value as object, level, limits, ancestors);
  } catch {
    // A getter, proxy or toString that throws: as reprlib's repr_instance, name the
    // object instead, so that reporting an error never raises another one.
    return `<${safeClassName(value as object)} instance>`;
  }
}

function safeClassName(value: object): string {
  try {
    const name: unknown = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
    return typeof name === "string" && name !== "" ? name : "object";
  } catch {
    return "object";
  }
}

function reprObject(value: object, level: number, limits: ReprLimits, ancestors: Set<object> | null): string {
  if (value instanceof Error) return cut(`${value.name}(${value.message ? pyStr(value.message) : ""})`, limits.other);
  const proto = Object.getPrototypeOf(value) as unknown;
  const isDict = proto === Object.prototype || proto === null;
  if (!Array.isArray(value) && !(value instanceof Set) && !(value instanceof Map) && !isDict) return cut(describeValue(value), limits.other);
  // Only the containers around the one being shown count: a value seen twice side by side is no cycle.
  const isCycle = ancestors !== null && ancestors.has(value as object);
  if (isCycle) level = 0;
  else ancestors?.add(value as object);
  try {
    if (Array.isArray(value)) return seq(value, "[", "]", level, limits, ancestors);
    if (value instanceof Set) return value.size === 0 ? "set()" : seq([...value], "{", "}", level, limits, ancestors);
    return dict(value instanceof Map ? [...value] : Object.entries(value as object), level, limits, ancestors);
  } finally {
    if (!isCycle) ancestors?.delete(value as object);
  }
}

/** Python's `repr(str)`: single quotes unless the text has one and no double quote. */
function pyStr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = "";
  for (const ch of text) {
    if (ch === "\\") out += "\\\\";
    else if (ch === quote) out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else out += ch;
  }
  return quote + out + quote;
}

/** reprlib's middle cut: `head...tail` of `max` characters. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = Math.max(0, Math.floor((max - 3) / 2));
  const tail = Math.max(0, max - 3 - head);
  return text.slice(0, head) + "..." + text.slice(text.length - tail);
}

function seq(items: readonly unknown[], open: string, close: string, level: number, limits: ReprLimits, ancestors: Set<object> | null): string {
  if (items.length === 0) return open + close;
  if (level <= 0) return `${open}...${close}`;
  const shown = items.slice(0, limits.list).map((item) => repr(item, level - 1, limits, ancestors));
  if (items.length > limits.list) shown.push("...");
  return open + shown.join(", ") + close;
}

function dict(entries: readonly (readonly [unknown, unknown])[], level: number, limits: ReprLimits, ancestors: Set<object> | null): string {
  if (entries.length === 0) return "{}";
  if (level <= 0) return "{...}";
  const shown = entries.slice(0, limits.dict).map(([k, v]) => `${repr(k, level - 1, limits, ancestors)}: ${repr(v, level - 1, limits, ancestors)}`);
  if (entries.length > limits.dict) shown.push("...");
  return `{${shown.join(", ")}}`;
}

const AsyncGeneratorFunctionPrototype = Object.getPrototypeOf(async function* () {}) as unknown;

/**
 * True for an `async function*`. Calling one only makes an async generator,
 * which is iterated with `for await`, never run as a coroutine: every API that
 * takes a coroutine or a callback refuses it with this.
 */
export function isAsyncGeneratorFunction(value: unknown): boolean {
  return typeof value === "function" && Object.getPrototypeOf(value) === AsyncGeneratorFunctionPrototype;
}

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === "object" || typeof value === "function") && typeof (value as { then?: unknown }).then === "function";
}
