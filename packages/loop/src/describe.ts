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

/** A value as asyncio's reprs show it (Python's `repr`): strings quoted, errors as `Name('message')`. */
export function reprValue(value: unknown): string {
  if (typeof value === "string") return `'${value.length > 60 ? `${value.slice(0, 57)}...` : value}'`;
  if (value instanceof Error) return `${value.name}(${value.message ? `'${value.message}'` : ""})`;
  return describeValue(value);
}

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === "object" || typeof value === "function") && typeof (value as { then?: unknown }).then === "function";
}
