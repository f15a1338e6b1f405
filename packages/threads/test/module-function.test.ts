import { describe, expect, it } from "vitest";
import { run } from "@asyncio-ts/tasks";
import { moduleFunction, toThread } from "@asyncio-ts/threads";
import { WORK, WORK_PATH, work } from "./helpers.js";

describe("moduleFunction", () => {
  it("names an export by URL, URL string or absolute path; callable in this thread too", async () => {
    const add = moduleFunction<(a: number, b: number) => number>(WORK, "add");
    expect(add.moduleUrl).toBe(WORK.href);
    expect(add.exportName).toBe("add");
    expect(await add(2, 3)).toBe(5);
    expect(moduleFunction(WORK_PATH, "add").moduleUrl).toBe(WORK.href);
    expect(moduleFunction(WORK.href, "add").coroutine(1, 2)).toMatchObject({ moduleUrl: WORK.href, exportName: "add", args: [1, 2] });
    expect(await run(() => toThread(add, 40, 2))).toBe(42);
  });

  it("a missing module, a relative path or a bad name fail at the call", () => {
    expect(() => moduleFunction(new URL("./fixtures/missing.mjs", import.meta.url), "x")).toThrow(/no module at/);
    expect(() => moduleFunction("./fixtures/jobs.mjs", "add")).toThrow(/relative path/);
    expect(() => moduleFunction("some-package", "add")).toThrow(TypeError);
    expect(() => moduleFunction(WORK, "")).toThrow(TypeError);
    expect(() => moduleFunction(42 as never)).toThrow(TypeError);
  });

  it("a missing export or one that is not a function rejects the call's future, listing the exports", async () => {
    await run(async () => {
      await expect(toThread(work("nope"))).rejects.toThrow(/export "nope" .* does not exist; its function exports are: .*add/);
      await expect(toThread(work("notAFunction"))).rejects.toThrow(/is 42, not a function/);
    });
  });
});
