import { existsSync } from "node:fs";
import { isAbsolute } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describeValue } from "@asyncio-ts/loop/lowlevel";

const MODULE_FUNCTION = Symbol.for("asyncio-ts.threads.ModuleFunction");
const MODULE_COROUTINE = Symbol.for("asyncio-ts.threads.ModuleCoroutine");

type AnyFunction = (...args: never[]) => unknown;
/** What an untyped `moduleFunction(url, name)` accepts. */
type UntypedFunction = (...args: unknown[]) => unknown;

/**
 * A function named by where it lives: a module URL and an export name. It can
 * be sent to any thread, which imports the module itself, so the function may
 * import anything and use any module-level state of its own. Calling it in
 * this thread imports the module here and calls the export.
 */
export interface ModuleFunction<F extends AnyFunction = UntypedFunction> {
  (...args: Parameters<F>): Promise<Awaited<ReturnType<F>>>;
  /** The module's URL (`file:` for local files). */
  readonly moduleUrl: string;
  readonly exportName: string;
  /**
   * The coroutine `exportName(...args)`, not started: what
   * `runCoroutineThreadsafe()` sends to a loop on another thread (like a
   * Python coroutine object, it is lazy).
   */
  coroutine(...args: Parameters<F>): ModuleCoroutine<Awaited<ReturnType<F>>>;
}

/** `moduleFunction(url, name).coroutine(...args)`: a module export and its arguments, to run as a task elsewhere. */
export interface ModuleCoroutine<T = unknown> {
  readonly moduleUrl: string;
  readonly exportName: string;
  readonly args: readonly unknown[];
  /** Type only: what the coroutine returns. */
  readonly __result?: T;
}

/**
 * Names a function exported by a module, so it can run in a worker thread:
 * `toThread(moduleFunction(new URL("./jobs.js", import.meta.url), "hash"), data)`.
 *
 * `url` is a `URL`, a URL string (`file:`, `data:`), or an absolute file path;
 * resolve package names first (`import.meta.resolve("pkg")`). `exportName`
 * defaults to `"default"`.
 *
 * Errors (at the call): `TypeError` for a relative path or a bare name;
 * an `Error` with code `ERR_MODULE_NOT_FOUND` when a `file:` module does not
 * exist. A missing export is reported by the call's future, with the names
 * the module does export.
 *
 * ```ts
 * const hashFile = moduleFunction<(path: string) => string>(new URL("./hash.js", import.meta.url), "hashFile");
 * ```
 */
export function moduleFunction<F extends AnyFunction = UntypedFunction>(url: string | URL, exportName = "default"): ModuleFunction<F> {
  const moduleUrl = normaliseModuleUrl(url);
  if (typeof exportName !== "string" || exportName === "") {
    throw new TypeError(`moduleFunction() export name must be a non-empty string, got ${describeValue(exportName)}`);
  }
  const local = async (...args: unknown[]): Promise<unknown> => {
    const fn = await importExport(moduleUrl, exportName);
    return (fn as (...a: unknown[]) => unknown)(...args);
  };
  Object.defineProperty(local, "name", { value: exportName });
  Object.defineProperties(local, {
    [MODULE_FUNCTION]: { value: true },
    moduleUrl: { value: moduleUrl, enumerable: true },
    exportName: { value: exportName, enumerable: true },
    coroutine: {
      value: (...args: unknown[]): ModuleCoroutine => Object.freeze({ [MODULE_COROUTINE]: true, moduleUrl, exportName, args }),
    },
  });
  return local as unknown as ModuleFunction<F>;
}

export function isModuleFunction(value: unknown): value is ModuleFunction {
  return typeof value === "function" && (value as unknown as Record<symbol, unknown>)[MODULE_FUNCTION] === true;
}

export function isModuleCoroutine(value: unknown): value is ModuleCoroutine {
  return value !== null && typeof value === "object" && (value as Record<symbol, unknown>)[MODULE_COROUTINE] === true;
}

function normaliseModuleUrl(url: string | URL): string {
  let href: string;
  if (url instanceof URL) href = url.href;
  else if (typeof url !== "string") throw new TypeError(`moduleFunction() needs a module URL or an absolute path, got ${describeValue(url)}`);
  else if (/^[a-zA-Z][a-zA-Z\d+.-]*:/.test(url) && !/^[a-zA-Z]:[\\/]/.test(url)) href = url;
  else if (isAbsolute(url)) href = pathToFileURL(url).href;
  else {
    throw new TypeError(
      `moduleFunction() needs a module URL or an absolute path, got ${describeValue(url)}: a relative path would be resolved ` +
        `against the worker's own location. Use new URL(${JSON.stringify(url)}, import.meta.url), or import.meta.resolve() for a package`,
    );
  }
  if (href.startsWith("file:")) {
    const path = fileURLToPath(href);
    if (!existsSync(path)) {
      throw Object.assign(new Error(`moduleFunction(): no module at ${path}`), { code: "ERR_MODULE_NOT_FOUND" });
    }
  }
  return href;
}

/** Imports `url` in this thread and returns its function export `name`, or throws a TypeError naming the exports there are. */
export async function importExport(url: string, name: string): Promise<AnyFunction> {
  const mod = (await import(url)) as Record<string, unknown>;
  const fn = mod[name];
  if (typeof fn !== "function") {
    const names = Object.keys(mod).filter((k) => typeof mod[k] === "function");
    const found = name in mod ? `is ${describeValue(fn)}, not a function` : "does not exist";
    throw new TypeError(`export "${name}" of ${url} ${found}; its function exports are: ${names.length ? names.join(", ") : "(none)"}`);
  }
  return fn as AnyFunction;
}
