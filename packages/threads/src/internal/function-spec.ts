import { describeValue } from "@asyncio-ts/loop/lowlevel";
import { isModuleFunction } from "../module-function.js";
import type { FunctionSpec } from "./protocol.js";

const cache = new WeakMap<object, FunctionSpec>();
/**
 * Specs by what they name (source text, or export and module URL): a closure
 * made afresh for each call (`toThread(() => work(), ...)` in a loop) is
 * checked once and sent to each worker once, not once per call. Bounded:
 * cleared when full.
 */
const byKey = new Map<string, FunctionSpec>();
const BY_KEY_LIMIT = 1024;
let nextSpecId = 1;

/**
 * How `fn` travels to a worker: a module function by URL and export name;
 * any other function by its source text, which must compile on its own (it
 * is checked here, once per function). Whether it is self-contained (uses no
 * variable from around it) shows only when it runs: the worker's
 * ReferenceError is turned into an explanation.
 */
export function functionSpec(fn: unknown, where: string): FunctionSpec {
  if (typeof fn !== "function") throw new TypeError(`${where}() needs a function, got ${describeValue(fn)}`);
  const found = cache.get(fn);
  if (found !== undefined) return found;
  let spec: FunctionSpec | undefined;
  if (isModuleFunction(fn)) {
    const key = `\0${fn.exportName}\0${fn.moduleUrl}`; // no source text starts with NUL
    spec = byKey.get(key);
    if (spec === undefined) remember(key, (spec = { kind: "module", id: nextSpecId++, url: fn.moduleUrl, exportName: fn.exportName }));
  } else {
    const source = Function.prototype.toString.call(fn);
    spec = byKey.get(source);
    if (spec === undefined || spec.kind !== "source" || spec.name !== fn.name) {
      if (/\{\s*\[native code\]\s*\}\s*$/.test(source)) {
        throw new TypeError(
          `${where}(): ${describeValue(fn)} is a built-in or bound function, which cannot be sent to a worker thread: ` +
            `pass a self-contained function that calls it, or a moduleFunction(url, name)`,
        );
      }
      remember(source, (spec = { kind: "source", id: nextSpecId++, source: compilable(source, fn.name, where), name: fn.name }));
    }
  }
  cache.set(fn, spec);
  return spec;
}

function remember(key: string, spec: FunctionSpec): void {
  if (byKey.size >= BY_KEY_LIMIT) byKey.clear();
  byKey.set(key, spec);
}

/** An expression evaluating to the function: the source itself, or a method definition wrapped in an object. */
function compilable(source: string, name: string, where: string): string {
  const candidates = [`(${source}\n)`, `({ ${source}\n })[${JSON.stringify(name)}]`];
  for (const expression of candidates) {
    try {
      new Function(`return ${expression}`);
      return expression;
    } catch {
      // try the next form
    }
  }
  throw new TypeError(`${where}(): the source of function ${name || "<anonymous>"} does not compile on its own: pass a plain function, arrow function or method`);
}
