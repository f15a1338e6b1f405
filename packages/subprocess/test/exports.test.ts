// The public entry names its exports one by one: CONTRACT §3, nothing else.
import * as subprocess from "@asyncio-ts/subprocess";
import { describe, expect, it } from "vitest";

describe("exports", () => {
  it("@asyncio-ts/subprocess exports CONTRACT §3's names, nothing else", () => {
    expect(Object.keys(subprocess).sort()).toEqual(["createSubprocessExec", "createSubprocessShell", "Process", "PIPE", "DEVNULL", "STDOUT"].sort());
  });

  it("the constants have CPython's values", () => {
    expect([subprocess.PIPE, subprocess.STDOUT, subprocess.DEVNULL]).toEqual([-1, -2, -3]);
  });

  it("Process is recognised by brand", () => {
    const foreign = Object.create({ [Symbol.for("asyncio-ts.Process")]: true }) as object;
    expect(foreign instanceof subprocess.Process).toBe(true);
  });
});
