import { RuntimeError } from "@asyncio-ts/loop";
import { createSubprocessExec, createSubprocessShell, PIPE } from "@asyncio-ts/subprocess";
import { describe, expect, it } from "vitest";
import { runLoop } from "./helpers.js";

// Bad input gets a clear error at the call, naming the call the user made.

describe("communicate() twice at once", () => {
  it("the second call is a RuntimeError naming communicate() (it failed in a read() the user never called)", async () => {
    await runLoop(async () => {
      const proc = await createSubprocessExec("cat", { stdin: PIPE, stdout: PIPE });
      const first = proc.communicate("hello");
      expect(() => proc.communicate()).toThrow(RuntimeError);
      expect(() => proc.communicate()).toThrow("communicate() is already running for this process: await the first call");
      const [out] = await first;
      expect(String(out)).toBe("hello");
      // Once it is over, another call is fine (the streams are at EOF).
      const [again] = await proc.communicate();
      expect(String(again)).toBe("");
    });
  });

  it("a cancelled communicate() lets a new one start", async () => {
    await runLoop(async () => {
      const proc = await createSubprocessShell("sleep 0.2; echo done", { stdout: PIPE });
      const first = proc.communicate();
      first.cancel();
      await first.then(
        () => undefined,
        () => undefined,
      );
      const [out] = await proc.communicate();
      expect(String(out)).toBe("done\n");
    });
  });
});

describe("sendSignal()", () => {
  it("a number that is no signal is a RangeError naming sendSignal (Node said only 'Unknown signal: 99999')", async () => {
    await runLoop(async () => {
      const proc = await createSubprocessExec("sleep", "5");
      try {
        expect(() => proc.sendSignal(99999)).toThrow(RangeError);
        expect(() => proc.sendSignal(99999)).toThrow("sendSignal() got an unknown signal number 99999");
        proc.sendSignal(0); // existence check: allowed
      } finally {
        proc.kill();
        await proc.wait();
      }
      expect(proc.returncode).toBe(-9);
    });
  });
});

describe("a file descriptor that is not open", () => {
  it("is a RangeError at the call naming the stream (the future failed with a bare 'spawn EBADF')", async () => {
    await runLoop(async () => {
      expect(() => createSubprocessExec("echo", { stdout: 9999 })).toThrow(RangeError);
      expect(() => createSubprocessExec("echo", { stdout: 9999 })).toThrow("createSubprocessExec() stdout is file descriptor 9999, which is not open");
      expect(() => createSubprocessShell("true", { stdin: 9998 })).toThrow("createSubprocessShell() stdin is file descriptor 9998, which is not open");
    });
  });
});

describe("limit", () => {
  it("the error names the call and the value", async () => {
    await runLoop(async () => {
      expect(() => createSubprocessExec("echo", { limit: NaN })).toThrow("Limit cannot be <= 0: createSubprocessExec() limit must be a number of bytes > 0, got NaN");
    });
  });
});
