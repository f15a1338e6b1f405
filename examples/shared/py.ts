// Seed: none of its own. Python's built-in formatting (str(), repr(), type(),
// time.strftime('%X'), datetime.now()) for the TypeScript twins, so that they
// print exactly what their Python originals print.

/** Python's `repr()` of a JS value: `'text'`, `True`, `None`, `[1, 2]`, `{'a': 1}`, `<function f>`. */
export function pyRepr(value: unknown): string {
  if (typeof value === "string") return pyStringRepr(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(", ")}]`;
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const items = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pyStringRepr(k)}: ${pyRepr(v)}`);
    return `{${items.join(", ")}}`;
  }
  return pyStr(value);
}

/**
 * Python's `str()`. Functions print as `<function name>`: CPython adds
 * ` at 0x7f...` (an address), which JavaScript has no equivalent for.
 */
export function pyStr(value: unknown): string {
  switch (typeof value) {
    case "boolean":
      return value ? "True" : "False";
    case "undefined":
      return "None";
    case "number":
      if (Number.isNaN(value)) return "nan";
      if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
      return String(value);
    case "function":
      return `<function ${value.name || "<lambda>"}>`;
    case "string":
      return value;
    default:
      if (value === null) return "None";
      if (Array.isArray(value) || (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype)) {
        return pyRepr(value);
      }
      return String(value);
  }
}

/** A tuple's repr: `()`, `(2,)`, `(1, 'a')`. */
export function pyTuple(items: readonly unknown[]): string {
  if (items.length === 1) return `(${pyRepr(items[0])},)`;
  return `(${items.map(pyRepr).join(", ")})`;
}

/** Python's `type()` as printed: `<class 'int'>`. JS has one number type: a safe integer is shown as `int`. */
export function pyType(value: unknown): string {
  let name: string;
  if (value === null || value === undefined) name = "NoneType";
  else if (typeof value === "number") name = Number.isSafeInteger(value) ? "int" : "float";
  else if (typeof value === "bigint") name = "int";
  else if (typeof value === "string") name = "str";
  else if (typeof value === "boolean") name = "bool";
  else if (Array.isArray(value)) name = "list";
  else if (typeof value === "function") name = "function";
  else name = (value as object).constructor?.name ?? "object";
  return `<class '${name}'>`;
}

/** `time.strftime('%X')` in the C locale: `HH:MM:SS`, local time. */
export function strftimeX(date: Date = new Date()): string {
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/**
 * `str(datetime.datetime.now())`: `YYYY-MM-DD HH:MM:SS.ffffff`, local time.
 * A JS `Date` has millisecond precision, so the last three digits are 0; as in
 * Python, the fraction is left out when it is zero.
 */
export function datetimeNow(date: Date = new Date()): string {
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  const micros = date.getMilliseconds() * 1000;
  return `${day} ${strftimeX(date)}${micros === 0 ? "" : `.${String(micros).padStart(6, "0")}`}`;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

function pyStringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const escaped = text
    .replace(/\\/g, "\\\\")
    .replace(/\n/g, "\\n")
    .replace(/\r/g, "\\r")
    .replace(/\t/g, "\\t")
    .replace(new RegExp(quote, "g"), `\\${quote}`);
  return `${quote}${escaped}${quote}`;
}
