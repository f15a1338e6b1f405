import { describe, expect, it } from "vitest";
import * as combinators from "@asyncio-ts/combinators";

describe("exports", () => {
  it("are exactly CONTRACT.md §3's names for @asyncio-ts/combinators", () => {
    expect(Object.keys(combinators).sort()).toEqual(
      [
        "gather",
        "wait",
        "waitFor",
        "shield",
        "asCompleted",
        "timeout",
        "timeoutAt",
        "Timeout",
        "TaskGroup",
        "taskGroup",
        "ExceptionGroup",
        "TimeoutError",
        "FIRST_COMPLETED",
        "FIRST_EXCEPTION",
        "ALL_COMPLETED",
      ].sort(),
    );
  });

  it("error classes have their names and brands", () => {
    const t = new combinators.TimeoutError();
    expect(t.name).toBe("TimeoutError");
    expect(t.message).toBe("");
    expect(t).toBeInstanceOf(Error);
    const g = new combinators.ExceptionGroup("m", [t]);
    expect(g.name).toBe("ExceptionGroup");
    expect(g.exceptions).toEqual([t]);
    // A copy loaded twice (ESM and CJS) agrees through the Symbol.for brand.
    const foreign = Object.create({ [Symbol.for("asyncio-ts.TimeoutError")]: true }) as object;
    expect(foreign instanceof combinators.TimeoutError).toBe(true);
  });
});
