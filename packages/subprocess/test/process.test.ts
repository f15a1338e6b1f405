// Process: wait, communicate, signals, stdin errors, large outputs,
// cancellation, reaping. Ports of CPython's test_subprocess.py where they apply.
import { constants } from "node:os";
import { createSubprocessExec, createSubprocessShell, PIPE, type Process } from "@asyncio-ts/subprocess";
import { CancelledError, createTask, sleep, type Task } from "@asyncio-ts/tasks";
import { describe, expect, it } from "vitest";
import { isReaped, isRunning, runLoop } from "./helpers.js";

const text = (data: Uint8Array | null): string => Buffer.from(data ?? []).toString();
const MB = 1024 * 1024;

describe("wait and returncode", () => {
  it("exit codes; returncode is null while running", async () => {
    await runLoop(async () => {
      for (const code of [0, 1, 3, 255]) {
        const proc = await createSubprocessShell(`exit ${code}`);
        expect(await proc.wait()).toBe(code);
        expect(proc.returncode).toBe(code);
        expect(isReaped(proc.pid)).toBe(true);
      }
      const running = await createSubprocessExec("sleep", "5");
      expect(running.returncode).toBeNull();
      running.kill();
      await running.wait();
    });
  });

  it("terminate() → -15, kill() → -9, sendSignal (test_terminate, test_kill, test_send_signal)", async () => {
    await runLoop(async () => {
      const terminated = await createSubprocessExec("sleep", "30");
      terminated.terminate();
      expect(await terminated.wait()).toBe(-constants.signals.SIGTERM);
      expect(terminated.returncode).toBe(-15);

      const killed = await createSubprocessExec("sleep", "30");
      killed.kill();
      expect(await killed.wait()).toBe(-9);

      // Synchronised on a line, as CPython's test does; exec: no shell left holding the pipe.
      const hup = await createSubprocessShell("echo sleeping; exec sleep 30", { stdout: PIPE });
      expect(text(await hup.stdout!.readline())).toBe("sleeping\n");
      hup.sendSignal("SIGHUP");
      expect(await hup.wait()).toBe(-constants.signals.SIGHUP);

      const byNumber = await createSubprocessExec("sleep", "30");
      byNumber.sendSignal(constants.signals.SIGINT);
      expect(await byNumber.wait()).toBe(-2);
      for (const p of [terminated, killed, hup, byNumber]) expect(isReaped(p.pid)).toBe(true);
    });
  });

  it("a signal once the process is waited for is ESRCH (ProcessLookupError); bad signals are rejected", async () => {
    await runLoop(async () => {
      const proc = await createSubprocessExec("true");
      await proc.wait();
      expect(() => proc.kill()).toThrow(expect.objectContaining({ code: "ESRCH" }) as Error);
      expect(() => proc.terminate()).toThrow(/ESRCH/);
      expect(() => proc.sendSignal("SIGNOPE" as NodeJS.Signals)).toThrow(RangeError);
      expect(() => proc.sendSignal({} as never)).toThrow(TypeError);
    });
  });

  it("many concurrent waits get the same returncode (test_subprocess_concurrent_wait)", async () => {
    await runLoop(async () => {
      const proc = await createSubprocessExec("cat", { stdin: PIPE, stdout: PIPE });
      const [stdout] = await proc.communicate("some data");
      expect(text(stdout)).toBe("some data");
      const waits = await Promise.all(Array.from({ length: 10 }, () => proc.wait()));
      expect(waits).toEqual(Array(10).fill(0));
      const slow = await createSubprocessShell("sleep 0.1; exit 5");
      expect(await Promise.all([slow.wait(), slow.wait(), slow.wait()])).toEqual([5, 5, 5]);
    });
  });

  it("a waiting wait() completes only after stdout was fully fed to the reader", async () => {
    await runLoop(async () => {
      // 100 KB: under the reader's pause threshold (2 * 64 KiB), so the child exits as soon as it wrote.
      // It writes only after a line on stdin, so wait() is surely waiting when it exits (a wait() after
      // the exit returns at once, as CPython's, even while the reader is still being fed).
      const proc = await createSubprocessExec("sh", "-c", "read x; head -c 100000 /dev/zero", { stdin: PIPE, stdout: PIPE });
      const waiting = proc.wait();
      expect(waiting.done()).toBe(false);
      proc.stdin!.write("go\n");
      expect(await waiting).toBe(0);
      const rest = proc.stdout!.read();
      expect(rest.done()).toBe(true); // EOF already fed: nothing left to wait for
      expect(rest.result().length).toBe(100000);
    });
  });

  it("reading stdout slowly after the process exited (test_read_stdout_after_process_exit)", async () => {
    await runLoop(async () => {
      const proc = await createSubprocessShell("head -c 262144 /dev/zero; exit 1", { stdout: PIPE });
      let total = 0;
      for (;;) {
        const data = await proc.stdout!.read(65536);
        if (data.length === 0) break;
        total += data.length;
        await sleep(0.02);
      }
      expect(total).toBe(262144);
      expect(await proc.wait()).toBe(1);
    });
  });
});

describe("communicate and large outputs", () => {
  it("50 MB through cat, both ways at once, without deadlock (test_communicate)", async () => {
    await runLoop(async () => {
      const input = Buffer.alloc(50 * MB);
      for (let i = 0; i < input.length; i += 4096) input[i] = i / 4096;
      const proc = await createSubprocessExec("cat", { stdin: PIPE, stdout: PIPE, stderr: PIPE });
      const [stdout, stderr] = await proc.communicate(input);
      expect(stdout!.length).toBe(input.length);
      expect(stdout!.equals(input)).toBe(true);
      expect(stderr!.length).toBe(0);
      expect(proc.returncode).toBe(0);
    });
  }, 20_000);

  it("50 MB from head on stdout and stderr at once", async () => {
    await runLoop(async () => {
      const proc = await createSubprocessShell("head -c 52428800 /dev/zero; head -c 1048576 /dev/zero >&2; head -c 1048576 /dev/zero", { stdout: PIPE, stderr: PIPE });
      const [stdout, stderr] = await proc.communicate();
      expect(stdout!.length).toBe(50 * MB + MB);
      expect(stderr!.length).toBe(MB);
    });
  }, 20_000);

  it("reads line by line while the child runs", async () => {
    await runLoop(async () => {
      const proc = await createSubprocessShell("for i in 1 2 3; do echo line $i; sleep 0.1; done", { stdout: PIPE });
      const seen: [string, number | null][] = [];
      for await (const line of proc.stdout!) seen.push([text(line), proc.returncode]);
      expect(seen.map(([l]) => l)).toEqual(["line 1\n", "line 2\n", "line 3\n"]);
      expect(seen[0][1]).toBeNull(); // the first line arrived while the child was still running
      expect(await proc.wait()).toBe(0);
    });
  });

  it("lines of a 50 MB output, with a small limit: flow control keeps memory bounded", async () => {
    await runLoop(async () => {
      // 50 MB of 100-byte lines; the reader's limit is 1 KiB, so reading pauses the pipe constantly.
      const proc = await createSubprocessShell(`yes '${"x".repeat(99)}' | head -n 524288`, { stdout: PIPE, limit: 1024 });
      let lines = 0;
      let bytes = 0;
      for await (const line of proc.stdout!) {
        lines++;
        bytes += line.length;
      }
      expect([lines, bytes]).toEqual([524288, 50 * MB]);
      expect(await proc.wait()).toBe(0);
    });
  }, 20_000);

  it("an unread pipe over the limit blocks the child (the reader paused the pipe; test_pause_reading)", async () => {
    await runLoop(async () => {
      const proc = await createSubprocessExec("head", "-c", String(5 * MB), "/dev/zero", { stdout: PIPE, limit: 1024 });
      await sleep(0.3);
      expect(proc.returncode).toBeNull(); // blocked on the full pipe, not buffered in our memory
      expect(isRunning(proc.pid)).toBe(true);
      const all = await proc.stdout!.read();
      expect(all.length).toBe(5 * MB);
      expect(await proc.wait()).toBe(0);
    });
  });

  it("communicate() rejects bad input at the call; ignores input without a stdin pipe", async () => {
    await runLoop(async () => {
      const proc = await createSubprocessExec("echo", "x", { stdout: PIPE });
      expect(() => proc.communicate(42 as never)).toThrow(TypeError);
      expect(text((await proc.communicate("ignored"))[0])).toBe("x\n");
    });
  });

  it("gathers many communicate() calls (test_subprocess_communicate_stdout)", async () => {
    await runLoop(async () => {
      const outputs = Array.from({ length: 10 }, (_, i) => `foo${i}`);
      const results = await Promise.all(
        outputs.map(async (out) => {
          const proc = await createSubprocessExec("echo", out, { stdout: PIPE });
          return text((await proc.communicate())[0]).trim();
        }),
      );
      expect(results).toEqual(outputs);
    });
  });
});

describe("stdin errors", () => {
  it("drain() fails with EPIPE when the child exits without reading (test_stdin_broken_pipe)", async () => {
    await runLoop(async () => {
      // The child reads one line, then exits: the rest cannot be delivered.
      const proc = await createSubprocessExec("sh", "-c", "read line; exit 0", { stdin: PIPE });
      proc.stdin!.write("first\n");
      proc.stdin!.write(Buffer.alloc(4 * MB, 120));
      await expect(proc.stdin!.drain()).rejects.toMatchObject({ code: "EPIPE" });
      expect(await proc.wait()).toBe(0);
    });
  });

  it("writing after the child exited fails the next drain() with EPIPE", async () => {
    await runLoop(async () => {
      const proc = await createSubprocessExec("true", { stdin: PIPE });
      await proc.wait();
      proc.stdin!.write("too late");
      await expect(proc.stdin!.drain()).rejects.toMatchObject({ code: "EPIPE", syscall: "write" });
    });
  });

  it("communicate() ignores the broken pipe (test_communicate_ignore_broken_pipe)", async () => {
    await runLoop(async ({ errors }) => {
      const proc = await createSubprocessExec("true", { stdin: PIPE });
      expect(await proc.communicate(Buffer.alloc(4 * MB))).toEqual([null, null]);
      expect(await proc.wait()).toBe(0);
      expect(errors).toEqual([]);
    });
  });

  it("drain() waits on the pipe's backpressure", async () => {
    await runLoop(async () => {
      const proc = await createSubprocessShell("sleep 0.2; cat", { stdin: PIPE, stdout: PIPE });
      const reading = createTask(() => proc.stdout!.read());
      proc.stdin!.write(Buffer.alloc(2 * MB));
      const drained = proc.stdin!.drain();
      expect(drained.done()).toBe(false); // over the high-water mark until cat reads
      await drained;
      proc.stdin!.close();
      await proc.stdin!.waitClosed();
      expect((await reading).length).toBe(2 * MB);
      expect(await proc.wait()).toBe(0);
    });
  });
});

describe("cancellation leaves the process running", () => {
  async function killAndReap(proc: Process): Promise<void> {
    proc.kill();
    expect(await proc.wait()).toBe(-9);
    expect(isReaped(proc.pid)).toBe(true);
  }

  it("cancelling wait() from an async coroutine (test_cancel_process_wait)", async () => {
    await runLoop(async ({ loop }) => {
      const proc = await createSubprocessExec("sleep", "30");
      const task = createTask(() => proc.wait());
      loop.callSoon(() => task.cancel());
      await expect(task).rejects.toBeInstanceOf(CancelledError);
      task.cancel();
      await sleep(0.05);
      expect(proc.returncode).toBeNull();
      expect(isRunning(proc.pid)).toBe(true);
      await killAndReap(proc);
    });
  });

  it("cancelling wait() from a generator coroutine", async () => {
    await runLoop(function* () {
      const proc: Process = yield* createSubprocessExec("sleep", "30");
      const task: Task<number> = createTask(
        (function* () {
          return yield* proc.wait();
        })(),
      );
      yield* sleep(0.02);
      task.cancel();
      let cancelled = false;
      try {
        yield* task;
      } catch (error) {
        cancelled = error instanceof CancelledError;
      }
      expect(cancelled).toBe(true);
      expect(isRunning(proc.pid)).toBe(true);
      proc.kill();
      expect(yield* proc.wait()).toBe(-9);
      expect(isReaped(proc.pid)).toBe(true);
    });
  });

  it("cancelling communicate() from an async coroutine keeps the child and the bytes read", async () => {
    await runLoop(async () => {
      const proc = await createSubprocessShell("echo partial; exec sleep 30", { stdin: PIPE, stdout: PIPE });
      const task = createTask(() => proc.communicate("input"));
      await sleep(0.2);
      expect(task.cancel()).toBe(true);
      await expect(task).rejects.toBeInstanceOf(CancelledError);
      expect(proc.returncode).toBeNull();
      expect(isRunning(proc.pid)).toBe(true);
      expect(text(await proc.stdout!.readline())).toBe("partial\n"); // nothing lost
      await killAndReap(proc);
    });
  });

  it("cancelling communicate() from a generator coroutine, and the kill recipe", async () => {
    await runLoop(function* () {
      const proc: Process = yield* createSubprocessExec("sleep", "30", { stdout: PIPE });
      const task = createTask(
        (function* () {
          try {
            return yield* proc.communicate();
          } catch (error) {
            if (error instanceof CancelledError) {
              proc.kill(); // the recipe: kill, then reap, then let the cancellation go on
              yield* proc.wait();
            }
            throw error;
          }
        })(),
      );
      yield* sleep(0.05);
      task.cancel();
      let cancelled = false;
      try {
        yield* task;
      } catch (error) {
        cancelled = error instanceof CancelledError;
      }
      expect(cancelled).toBe(true);
      expect(proc.returncode).toBe(-9);
      expect(isReaped(proc.pid)).toBe(true);
    });
  });
});
