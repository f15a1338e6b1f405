/**
 * Identity by brand, not by class object: the ESM and CJS builds (or two installed
 * copies) of a package each define their own classes, so `instanceof` against one
 * copy would miss objects made by the other. Every class of ours stamps its
 * prototype with a `Symbol.for("asyncio-ts.<Name>")` brand, and `instanceof` on the
 * class itself checks the brand, so the check agrees across copies. The class's
 * `name` is set to `name` too.
 */
export function brand<C extends abstract new (...args: never[]) => unknown>(cls: C, name: string): symbol {
  const sym = Symbol.for(`asyncio-ts.${name}`);
  Object.defineProperty(cls.prototype, sym, { value: true });
  // A bundler renames a class that names itself in its body (class _Future):
  // users, stack traces and util.inspect should still see the real name.
  Object.defineProperty(cls, "name", { value: name, configurable: true });
  const ordinary = Function.prototype[Symbol.hasInstance];
  Object.defineProperty(cls, Symbol.hasInstance, {
    value(this: unknown, value: unknown): boolean {
      // A subclass inherits this static: it must keep ordinary prototype checks.
      if (this !== cls) return ordinary.call(this, value);
      return hasBrand(value, sym);
    },
  });
  return sym;
}

/** True when `value` carries the brand `sym` (own or inherited). */
export function hasBrand(value: unknown, sym: symbol): boolean {
  return (
    value !== null &&
    (typeof value === "object" || typeof value === "function") &&
    (value as Record<symbol, unknown>)[sym] === true
  );
}
