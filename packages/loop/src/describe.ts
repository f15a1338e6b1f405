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

/**
 * A value as asyncio's reprs show it: Python's `reprlib.repr` (what
 * `_format_callback_source` and future reprs use): strings quoted as Python
 * quotes them and cut to 30 characters, at most 6 items of a list or set and
 * 4 of a dict, 6 levels deep, errors as `Name('message')`, other text cut to 30.
 */
export function reprValue(value: unknown, level = 6): string {
  switch (typeof value) {
    case "string":
      return cut(pyStr(value), 30);
    case "number":
    case "bigint":
      return cut(String(value), 40);
    case "undefined":
    case "boolean":
    case "symbol":
    case "function":
      return describeValue(value);
  }
  if (value === null) return "null";
  if (Array.isArray(value)) return seq(value, "[", "]", 6, level);
  if (value instanceof Set) return value.size === 0 ? "set()" : seq([...value], "{", "}", 6, level);
  if (value instanceof Error) return cut(`${value.name}(${value.message ? pyStr(value.message) : ""})`, 30);
  if (value instanceof Map) return dict([...value], level);
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto === Object.prototype || proto === null) return dict(Object.entries(value as object), level);
  return cut(describeValue(value), 30);
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

function seq(items: readonly unknown[], open: string, close: string, max: number, level: number): string {
  if (items.length === 0) return open + close;
  if (level <= 0) return `${open}...${close}`;
  const shown = items.slice(0, max).map((item) => reprValue(item, level - 1));
  if (items.length > max) shown.push("...");
  return open + shown.join(", ") + close;
}

function dict(entries: readonly (readonly [unknown, unknown])[], level: number): string {
  if (entries.length === 0) return "{}";
  if (level <= 0) return "{...}";
  const shown = entries.slice(0, 4).map(([k, v]) => `${reprValue(k, level - 1)}: ${reprValue(v, level - 1)}`);
  if (entries.length > 4) shown.push("...");
  return `{${shown.join(", ")}}`;
}

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === "object" || typeof value === "function") && typeof (value as { then?: unknown }).then === "function";
}
