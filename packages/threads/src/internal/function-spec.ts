import { describeValue } from "@asyncio-ts/loop/lowlevel";
import { isModuleFunction } from "../module-function.js";
import type { FunctionSpec } from "./protocol.js";

const cache = new WeakMap<object, FunctionSpec>();

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
  let spec: FunctionSpec;
  if (isModuleFunction(fn)) {
    spec = { kind: "module", url: fn.moduleUrl, exportName: fn.exportName };
  } else {
    const source = Function.prototype.toString.call(fn);
    if (/\{\s*\[native code\]\s*\}\s*$/.test(source)) {
      throw new TypeError(
        `${where}(): ${describeValue(fn)} is a built-in or bound function, which cannot be sent to a worker thread: ` +
          `pass a self-contained function that calls it, or a moduleFunction(url, name)`,
      );
    }
    spec = { kind: "source", source: compilable(source, fn.name, where), name: fn.name };
  }
  cache.set(fn, spec);
  return spec;
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
