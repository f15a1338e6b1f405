// A loop that closes with children still running kills them (CPython warns and
// kills them when the transport is collected); Node reaps them: no zombie.
import { createSubprocessExec, createSubprocessShell, PIPE } from "@asyncio-ts/subprocess";
import { getRunningLoop } from "@asyncio-ts/loop";
import { run } from "@asyncio-ts/tasks";
import { describe, expect, it } from "vitest";
import { eventually, isReaped, runLoop } from "./helpers.js";

describe("loop close", () => {
  it("kills a child still running when the loop closes, and it is reaped", async () => {
    const pid = await runLoop(async () => {
      const proc = await createSubprocessExec("sleep", "30");
      return proc.pid;
    });
    expect(await eventually(() => isReaped(pid))).toBe(true);
  });

  it("with pipes open and unread, too", async () => {
    const pid = await runLoop(async () => {
      const proc = await createSubprocessShell("exec cat", { stdin: PIPE, stdout: PIPE, stderr: PIPE });
      proc.stdin!.write("unread");
      return proc.pid;
    });
    expect(await eventually(() => isReaped(pid))).toBe(true);
  });

  it("a child that was waited for is reaped before the loop closes", async () => {
    const pids = await runLoop(async () => {
      const done: number[] = [];
      for (let i = 0; i < 5; i++) {
        const proc = await createSubprocessShell(`exit ${i}`, { stdout: PIPE });
        await proc.communicate();
        expect(isReaped(proc.pid)).toBe(true);
        done.push(proc.pid);
      }
      return done;
    });
    expect(pids.every(isReaped)).toBe(true);
  });

  it("in debug mode, the kill is reported through the exception handler", async () => {
    const reports: string[] = [];
    const pid = await run(async () => {
      const loop = getRunningLoop();
      loop.setDebug(true);
      loop.setExceptionHandler((_loop, context) => void reports.push(context.message));
      return (await createSubprocessExec("sleep", "30")).pid;
    });
    expect(reports).toEqual([expect.stringMatching(new RegExp(`^Close running child process: kill <SubprocessTransport closed pid=${pid} running>`))]);
    expect(await eventually(() => isReaped(pid))).toBe(true);
  });
});
