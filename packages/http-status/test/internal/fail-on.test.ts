// White-box: --fail-on rules.
import { describe, expect, it } from "vitest";
import { compileFailOn } from "../../src/fail-on.js";

describe("failOn", () => {
  it("defaults to errors, 4xx and 5xx", () => {
    const m = compileFailOn(undefined, "t");
    expect([200, 301, 404, 500, 503].map((s) => m.matches(s, null))).toEqual([false, false, true, true, true]);
    expect(m.matches(null, "TIMEOUT")).toBe(true);
  });

  it("takes classes, statuses, error codes, 'error' and 'none'", () => {
    const m = compileFailOn(["5xx", "404", "timeout"], "t");
    expect(m.matches(500, null)).toBe(true);
    expect(m.matches(404, null)).toBe(true);
    expect(m.matches(403, null)).toBe(false);
    expect(m.matches(null, "TIMEOUT")).toBe(true);
    expect(m.matches(null, "DNS")).toBe(false);
    const none = compileFailOn(["none"], "t");
    expect(none.matches(500, null) || none.matches(null, "DNS")).toBe(false);
    expect(() => compileFailOn(["6 xx"], "t")).toThrow(RangeError);
    expect(() => compileFailOn("4xx" as unknown as string[], "t")).toThrow(TypeError);
  });
});
