import { describe, expect, it } from "vitest";
import { reprValue } from "../src/describe.js";

// Expected strings are what CPython 3.12's reprlib.repr prints for the same values.
describe("reprValue (Python's reprlib.repr)", () => {
  it("quotes and escapes strings as Python does, cutting them to 30 characters", () => {
    expect(reprValue(`it's "q"`)).toBe(`'it\\'s "q"'`);
    expect(reprValue("it's")).toBe(`"it's"`);
    expect(reprValue("a\nb\\")).toBe("'a\\nb\\\\'");
    expect(reprValue("x".repeat(50))).toBe("'xxxxxxxxxxxx...xxxxxxxxxxxxx'");
  });

  it("shows at most 6 items, 4 dict entries and 6 levels", () => {
    expect(reprValue([[1, [2, [3, [4, [5, [6, [7]]]]]]]])).toBe("[[1, [2, [3, [4, [5, [...]]]]]]]");
    expect(reprValue({ a: 1, b: 2, c: 3, d: 4, e: 5 })).toBe("{'a': 1, 'b': 2, 'c': 3, 'd': 4, ...}");
    expect(reprValue(new Set([1, 2, 3]))).toBe("{1, 2, 3}");
    expect(reprValue(new Map([["k", [1]]]))).toBe("{'k': [1]}");
    expect([reprValue([]), reprValue({}), reprValue(new Set())]).toEqual(["[]", "{}", "set()"]);
    expect(reprValue(10n ** 50n)).toBe("100000000000000000...0000000000000000000");
  });

  it("shows errors as Name('message'), cut to 30 characters", () => {
    const e = new Error("x".repeat(50));
    e.name = "ValueError";
    expect(reprValue(e)).toBe("ValueError('x...xxxxxxxxxxxx')");
  });
});
