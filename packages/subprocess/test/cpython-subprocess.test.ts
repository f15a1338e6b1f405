// Ports of CPython 3.12's test_asyncio/test_subprocess.py and traces recorded with
// python3.12 (asyncio.create_subprocess_exec/shell) that the other subprocess tests
// do not cover. Each expected value is what CPython printed for the same scenario.
import { constants } from "node:os";
import { getRunningLoop } from "@asyncio-ts/loop";
import { createSubprocessExec, createSubprocessShell, DEVNULL, PIPE, STDOUT } from "@asyncio-ts/subprocess";
import { CancelledError, createTask, currentTask, sleep } from "@asyncio-ts/tasks";
import { describe, expect, it } from "vitest";
import { isReaped, KINDS, runLoop, spawn } from "./helpers.js";

/** Python's bytes repr-ish: a Buffer as a string, null as null. */
const b = (data: Uint8Array | null): string | null => (data === null ? null : Buffer.from(data).toString("latin1"));

async function pollUntil(pred: () => boolean, seconds = 5): Promise<boolean> {
  for (let i = 0; i < seconds / 0.01; i++) {
    if (pred()) return true;
    await sleep(0.01);
  }
  return pred();
}

const code = (e: unknown): string => (e as NodeJS.ErrnoException)?.code ?? (e as Error)?.name;

describe("CPython returncode and signals", () => {
  // returncode is set when the exit is seen, without wait(); once the transport finished
  // (exited + pipes closed), signals raise ProcessLookupError even before wait().
  // python3.12 → [None, 3, ('kill', 'ProcessLookupError'), ('terminate', 'ProcessLookupError'), ('send_signal', 'ProcessLookupError'), 3]
  it("returncode without wait(); signals to a finished process are ProcessLookupError (ESRCH)", async () => {
    const log: unknown[] = [];
    await runLoop(async () => {
      // (a short sleep: an instant exit may already be seen when creation completes, a timing race)
      const p = await createSubprocessExec("sh", "-c", "sleep 0.2; exit 3");
      log.push(p.returncode);
      await pollUntil(() => p.returncode !== null);
      log.push(p.returncode);
      await sleep(0.05);
      for (const [m, f] of [
        ["kill", () => p.kill()],
        ["terminate", () => p.terminate()],
        ["send_signal", () => p.sendSignal("SIGHUP")],
      ] as const) {
        try {
          f();
          log.push([m, "ok"]);
        } catch (e) {
          log.push([m, code(e)]);
        }
      }
      log.push(await p.wait());
    });
    expect(log).toEqual([null, 3, ["kill", "ESRCH"], ["terminate", "ESRCH"], ["send_signal", "ESRCH"], 3]);
  });

  // Exited while its stdout is still open (a background grandchild holds it): kill() is a no-op;
  // after the pipe closed and wait() returned, ProcessLookupError.
  // python3.12 → [0, 'kill no-op', b'', 0, 'ProcessLookupError']
  it("kill() after the exit but before the pipes closed is a no-op", async () => {
    const log: unknown[] = [];
    await runLoop(async () => {
      const p = await createSubprocessShell("sleep 1 & exit 0", { stdout: PIPE });
      await pollUntil(() => p.returncode !== null);
      log.push(p.returncode);
      try {
        p.kill();
        log.push("kill no-op");
      } catch (e) {
        log.push(code(e));
      }
      log.push(b(await p.stdout!.read()));
      log.push(await p.wait());
      try {
        p.kill();
        log.push("kill no-op");
      } catch (e) {
        log.push(code(e));
      }
    });
    expect(log).toEqual([0, "kill no-op", "", 0, "ESRCH"]);
  });

  // test_kill / test_terminate, wait() repeated, and a shell killed by a signal vs exit 137.
  // python3.12 → [None, None, -9, -9, -9, -15, -9, 137]
  it("wait after kill: returncode is None until the exit is seen, then -9 for every wait()", async () => {
    const log: unknown[] = [];
    await runLoop(async () => {
      let p = await createSubprocessExec("sleep", "30");
      log.push(p.returncode);
      p.kill();
      log.push(p.returncode);
      log.push(await p.wait(), await p.wait(), p.returncode);
      p = await createSubprocessExec("sleep", "30");
      p.terminate();
      log.push(await p.wait());
      p = await createSubprocessShell("kill -9 $$");
      log.push(await p.wait());
      p = await createSubprocessShell("exit 137");
      log.push(await p.wait());
    });
    expect(log).toEqual([null, null, -9, -9, -9, -constants.signals.SIGTERM, -9, 137]);
  });

  // test_kill_issue43884: killing a shell in a new session with os.killpg kills its children too.
  it("test_kill_issue43884: killpg of a startNewSession shell kills the whole group", async () => {
    await runLoop(async () => {
      const p = await createSubprocessShell("sleep 30 & echo $!; wait", { stdout: PIPE, startNewSession: true });
      const child = Number(Buffer.from(await p.stdout!.readline()).toString().trim());
      expect(child).toBeGreaterThan(0);
      process.kill(-p.pid, "SIGKILL");
      expect(await p.wait()).toBe(-9);
      expect(await pollUntil(() => isReaped(child) || !isAlive(child))).toBe(true);
    });
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("CPython communicate", () => {
  // communicate(input) with every combination of PIPE / DEVNULL / STDOUT.
  // python3.12 → [(b'hello\nworld\n', b'err\n', 4), (1000000, None, 0), (b'out\nerr\n', None), (None, b'err\n'),
  //               (b'out\n', None), (None, (b'out\n', b'err\n'))]
  it("communicate(input) with PIPE, DEVNULL and STDOUT", async () => {
    const log: unknown[] = [];
    await runLoop(async () => {
      let p = await createSubprocessShell("cat; echo err >&2; exit 4", { stdin: PIPE, stdout: PIPE, stderr: PIPE });
      let [out, err] = await p.communicate(Buffer.from("hello\nworld\n"));
      log.push([b(out), b(err), p.returncode]);
      p = await createSubprocessExec("cat", { stdin: PIPE, stdout: PIPE });
      [out, err] = await p.communicate(Buffer.alloc(1_000_000, "x"));
      log.push([out!.length, err, p.returncode]);
      p = await createSubprocessShell("echo out; echo err >&2", { stdout: PIPE, stderr: STDOUT });
      log.push((await p.communicate()).map(b));
      p = await createSubprocessShell("echo out; echo err >&2", { stdout: DEVNULL, stderr: PIPE });
      log.push((await p.communicate()).map(b));
      p = await createSubprocessShell("echo out; echo err >&2", { stdout: PIPE, stderr: DEVNULL });
      log.push((await p.communicate()).map(b));
      p = await createSubprocessShell("echo out; echo err >&2", { stdout: PIPE, stderr: PIPE });
      log.push([p.stdin, (await p.communicate()).map(b)]);
    });
    expect(log).toEqual([
      ["hello\nworld\n", "err\n", 4],
      [1_000_000, null, 0],
      ["out\nerr\n", null],
      [null, "err\n"],
      ["out\n", null],
      [null, ["out\n", "err\n"]],
    ]);
  });

  // A second communicate() finds stdout at EOF and stdin closed: (b'', None), no error.
  // python3.12 → [(b'abc', None), (b'', None)]
  it("communicate() twice: the second returns empty output", async () => {
    const log: unknown[] = [];
    await runLoop(async () => {
      const p = await createSubprocessExec("cat", { stdin: PIPE, stdout: PIPE });
      log.push((await p.communicate("abc")).map(b));
      try {
        log.push((await p.communicate()).map(b));
      } catch (e) {
        log.push([code(e), (e as Error).message]);
      }
    });
    expect(log).toEqual([
      ["abc", null],
      ["", null],
    ]);
  });

  // Reading stdout and stderr concurrently (gather of two read()s), several MB each, then wait().
  // python3.12 → [(3000005, 2000000, 0)]
  it("large stdout and stderr read concurrently, no deadlock", async () => {
    await runLoop(async () => {
      const p = await createSubprocessShell("head -c 3000000 /dev/zero; head -c 2000000 /dev/zero >&2; echo done", { stdout: PIPE, stderr: PIPE });
      const out = createTask(() => p.stdout!.read());
      const err = createTask(() => p.stderr!.read());
      expect([(await out).length, (await err).length, await p.wait()]).toEqual([3_000_005, 2_000_000, 0]);
    });
  }, 20_000);

  // test_stdin_not_inheritable-like: stdin=DEVNULL reads nothing; exec arguments are passed verbatim.
  // python3.12 → [(b'', None), (b'3\n[a b]\n[]\n[*]\n', None)]
  it("stdin DEVNULL; empty and special arguments reach the program verbatim", async () => {
    const log: unknown[] = [];
    await runLoop(async () => {
      let p = await createSubprocessExec("cat", { stdin: DEVNULL, stdout: PIPE });
      log.push((await p.communicate()).map(b));
      p = await createSubprocessExec("sh", "-c", 'echo $#; for a; do echo "[$a]"; done', "argv0", "a b", "", "*", { stdout: PIPE });
      log.push((await p.communicate()).map(b));
    });
    expect(log).toEqual([
      ["", null],
      ["3\n[a b]\n[]\n[*]\n", null],
    ]);
  });
});

describe("CPython streams of a process", () => {
  for (const kind of KINDS) {
    // Talking to cat line by line, then a last line without newline, EOF.
    // python3.12 → [b'one\n', b'two\n', b'last, no newline', b'', True, 0]
    it(`interactive: write, drain, readline; close stdin; EOF (${kind})`, async () => {
      const log: unknown[] = [];
      await runLoop(async () => {
        const p = await createSubprocessExec("cat", { stdin: PIPE, stdout: PIPE });
        await spawn(kind, function* () {
          for (const line of ["one\n", "two\n"]) {
            p.stdin!.write(line);
            yield p.stdin!.drain();
            log.push(b((yield p.stdout!.readline()) as Uint8Array));
          }
          p.stdin!.write("last, no newline");
          p.stdin!.close();
          yield p.stdin!.waitClosed();
          log.push(b((yield p.stdout!.readline()) as Uint8Array));
          log.push(b((yield p.stdout!.readline()) as Uint8Array));
          log.push(p.stdout!.atEof());
          log.push(yield p.wait());
        });
      });
      expect(log).toEqual(["one\n", "two\n", "last, no newline", "", true, 0]);
    });

    // wait_for(proc.wait(), 0.1) times out and leaves the child running; kill, then wait() → -9.
    // python3.12 → [('timeout', None), -9]
    it(`a timed-out wait() leaves the child running (${kind})`, async () => {
      const log: unknown[] = [];
      await runLoop(async () => {
        const p = await createSubprocessExec("sleep", "30");
        await spawn(kind, function* () {
          const me = currentTask()!;
          let fired = false;
          const h = getRunningLoop().callLater(0.1, () => {
            fired = true;
            me.cancel();
          });
          try {
            yield p.wait();
          } catch (e) {
            if (!(fired && e instanceof CancelledError)) throw e;
            me.uncancel();
            log.push(["timeout", p.returncode]);
          } finally {
            h.cancel();
          }
          p.kill();
          log.push(yield p.wait());
        });
      });
      expect(log).toEqual([["timeout", null], -9]);
    });
  }

  // async for line in proc.stdout: an empty line and a last line without newline.
  // python3.12 → [b'a\n', b'b\n', b'\n', b'c'] 0
  it("async iteration over stdout lines", async () => {
    await runLoop(async () => {
      const p = await createSubprocessShell("printf 'a\\nb\\n\\nc'", { stdout: PIPE });
      const lines: (string | null)[] = [];
      for await (const line of p.stdout!) lines.push(b(line));
      expect(lines).toEqual(["a\n", "b\n", "\n", "c"]);
      expect(await p.wait()).toBe(0);
    });
  });

  // limit=10: a 100-byte line makes readline() raise ValueError, and that line is dropped.
  // python3.12 → [('ValueError', 'Separator is found, but chunk is longer than limit'), b'short\n', 0]
  it("limit: an over-long line is a ValueError and is discarded", async () => {
    const log: unknown[] = [];
    await runLoop(async () => {
      const p = await createSubprocessShell("printf '%0100d\\nshort\\n' 0", { stdout: PIPE, limit: 10 });
      try {
        await p.stdout!.readline();
        log.push("no error");
      } catch (e) {
        log.push([(e as Error).message]);
      }
      log.push(b(await p.stdout!.read()));
      log.push(await p.wait());
    });
    expect(log).toEqual([["Separator is found, but chunk is longer than limit"], "short\n", 0]);
  });
});

describe("CPython create_subprocess_shell features and errors", () => {
  // python3.12 → each (cmd, stdout, stderr, returncode) below, with env={X: 'x', PATH, HOME: '/home/h'}
  it("the shell interprets arithmetic, variables, pipes, redirections, subshells, quotes, globs", async () => {
    const cases: [string, string, string, number][] = [
      ["echo $((6*7))", "42\n", "", 0],
      ["X=abc; echo ${X}def", "abcdef\n", "", 0],
      ["echo a | tr a b", "b\n", "", 0],
      ["echo out 2>&1 1>/dev/null; echo err 1>&2", "", "err\n", 0],
      ["(exit 5); echo $?", "5\n", "", 0],
      ["false || echo fallback", "fallback\n", "", 0],
      [`echo 'single $HOME' "double $X"`, "single $HOME double x\n", "", 0],
      ["printf '%s|' *.nomatch", "*.nomatch|", "", 0],
    ];
    const log: unknown[] = [];
    await runLoop(async () => {
      for (const [cmd] of cases) {
        const p = await createSubprocessShell(cmd, { stdout: PIPE, stderr: PIPE, env: { X: "x", PATH: "/usr/bin:/bin", HOME: "/home/h" } });
        const [out, err] = await p.communicate();
        log.push([cmd, b(out), b(err), p.returncode]);
      }
    });
    expect(log).toEqual(cases);
  });

  // FileNotFoundError / PermissionError / a missing cwd (FileNotFoundError), as Node's errors.
  // python3.12 → [('FileNotFoundError', 2, 'no-such-program-xyz'), ('PermissionError', 13), ('FileNotFoundError cwd', 2)]
  it("exec errors: ENOENT (FileNotFoundError), EACCES (PermissionError), missing cwd ENOENT", async () => {
    const log: unknown[] = [];
    await runLoop(async () => {
      try {
        await createSubprocessExec("no-such-program-xyz");
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        log.push([err.code, -(err.errno ?? 0), err.path]);
      }
      try {
        await createSubprocessExec("/etc/passwd");
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        log.push([err.code, -(err.errno ?? 0)]);
      }
      try {
        await createSubprocessExec("ls", { cwd: "/no/such/dir" });
      } catch (e) {
        log.push([code(e), "cwd"]);
      }
    });
    expect(log).toEqual([
      ["ENOENT", constants.errno.ENOENT, "no-such-program-xyz"],
      ["EACCES", constants.errno.EACCES],
      ["ENOENT", "cwd"],
    ]);
  });
});

// Documented difference from CPython: a cancelled communicate() loses nothing here, but
// CPython's does. CPython's Process._read_stream awaits `stream.read()` (n=-1), which
// reads `limit`-sized blocks into a local list until EOF; cancelling it drops the blocks
// already taken, so a later read() only sees what arrived after the cancellation.
// Ours keeps them in the reader (packages/subprocess/src/process.ts #readStream →
// StreamReader.read() of @asyncio-ts/streams, which does not consume the buffer until
// EOF). The README documents this ("bytes already read stay in the readers") as a
// feature, so this may be intended; the contract does not name it as a deviation.
describe("documented difference (README): a cancelled communicate() keeps the bytes it had read", () => {
  // python3.12 → ['cancelled', None, b'after\n', 0]
  // ours       → ['cancelled', null, 'got in\nafter\n', 0]
  // This pins ours (no buffered byte is lost on cancellation), so that a change to it is a decision.
  it("after cancelling communicate(), read() returns what was read before and what arrived later", async () => {
    const log: unknown[] = [];
    await runLoop(async () => {
      const p = await createSubprocessShell("read x; echo got $x; sleep 0.3; echo after", { stdin: PIPE, stdout: PIPE });
      const t = createTask(() => p.communicate("in\n"));
      await sleep(0.15);
      t.cancel();
      try {
        await t;
      } catch (e) {
        if (e instanceof CancelledError) log.push("cancelled");
      }
      log.push(p.returncode);
      log.push(b(await p.stdout!.read()));
      log.push(await p.wait());
    });
    expect(log).toEqual(["cancelled", null, "got in\nafter\n", 0]);
  });
});
