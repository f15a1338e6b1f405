// createSubprocessExec / createSubprocessShell: starting children, the options,
// and bad input. Ports of CPython's test_subprocess.py where they apply.
import { closeSync, mkdtempSync, openSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RuntimeError } from "@asyncio-ts/loop";
import { createSubprocessExec, createSubprocessShell, DEVNULL, PIPE, Process, STDOUT } from "@asyncio-ts/subprocess";
import { CancelledError, createTask, sleep } from "@asyncio-ts/tasks";
import { describe, expect, it } from "vitest";
import { eventually, isReaped, processTable, quote, runLoop } from "./helpers.js";

const text = (data: Uint8Array | null): string => Buffer.from(data ?? []).toString();

describe("createSubprocessExec", () => {
  it("runs a program with its arguments, never interpreting them", async () => {
    await runLoop(async ({ errors }) => {
      const proc = await createSubprocessExec("echo", "hello", "$HOME", "*", "a b;c", "'q'", { stdout: PIPE });
      expect(proc).toBeInstanceOf(Process);
      expect(typeof proc.pid).toBe("number");
      expect(String(proc)).toBe(`<Process ${proc.pid}>`);
      expect(proc.stdin).toBeNull();
      expect(proc.stderr).toBeNull();
      const [stdout, stderr] = await proc.communicate();
      expect(text(stdout)).toBe("hello $HOME * a b;c 'q'\n");
      expect(stderr).toBeNull();
      expect(proc.returncode).toBe(0);
      expect(isReaped(proc.pid)).toBe(true);
      expect(errors).toEqual([]);
    });
  });

  it("takes no options object, and a file URL as the program (CPython: a PathLike)", async () => {
    await runLoop(async () => {
      const proc = await createSubprocessExec(new URL("file:///bin/sh"), "-c", "exit 4");
      expect(await proc.wait()).toBe(4);
      const plain = await createSubprocessExec("true");
      expect(await plain.wait()).toBe(0);
    });
  });

  it("stdin/stdout round trip (test_stdin_stdout)", async () => {
    await runLoop(async () => {
      const proc = await createSubprocessExec("cat", { stdin: PIPE, stdout: PIPE });
      proc.stdin!.write("some data");
      await proc.stdin!.drain();
      proc.stdin!.close();
      const data = await proc.stdout!.read();
      expect(await proc.wait()).toBe(0);
      expect(text(data)).toBe("some data");
    });
  });

  it("env replaces the environment (test_create_subprocess_env_exec / _shell)", async () => {
    await runLoop(async () => {
      const exec = await createSubprocessExec("sh", "-c", 'printf %s "$FOO"', { env: { ...process.env, FOO: "baz" }, stdout: PIPE });
      expect(text((await exec.communicate())[0])).toBe("baz");
      const shell = await createSubprocessShell('printf %s "$FOO"', { env: { ...process.env, FOO: "bar" }, stdout: PIPE });
      expect(text((await shell.communicate())[0])).toBe("bar");
      // Only what env holds: no PATH, no HOME.
      const bare = await createSubprocessExec("/bin/sh", "-c", 'printf "%s|%s" "$FOO" "${HOME-unset}"', { env: { FOO: "only" }, stdout: PIPE });
      expect(text((await bare.communicate())[0])).toBe("only|unset");
    });
  });

  it("cwd sets the working directory (a string or a file URL)", async () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), "asyncio-ts-subprocess-")));
    try {
      await runLoop(async () => {
        const proc = await createSubprocessExec("pwd", { cwd: dir, stdout: PIPE });
        expect(text((await proc.communicate())[0])).toBe(`${dir}\n`);
        const url = await createSubprocessShell("pwd", { cwd: new URL(`file://${dir}`), stdout: PIPE });
        expect(text((await url.communicate())[0])).toBe(`${dir}\n`);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a program that does not exist rejects the future with Node's ENOENT, naming it", async () => {
    await runLoop(async ({ errors }) => {
      const created = createSubprocessExec("no-such-program-asyncio-ts", "arg");
      await expect(created).rejects.toMatchObject({ code: "ENOENT", path: "no-such-program-asyncio-ts", spawnargs: ["arg"] });
      await expect(createSubprocessExec("no-such-program-asyncio-ts")).rejects.toThrow(/no-such-program-asyncio-ts/);
      await expect(createSubprocessExec("/etc")).rejects.toMatchObject({ code: "EACCES" });
      expect(errors).toEqual([]);
    });
  });

  it("a working directory that does not exist is named in the error", async () => {
    await runLoop(async () => {
      await expect(createSubprocessExec("ls", { cwd: "/no/such/dir" })).rejects.toThrow(/working directory "\/no\/such\/dir" does not exist/);
    });
  });

  it("wrong argument types throw TypeError at the call, wrong values RangeError", async () => {
    await runLoop(async () => {
      const bad = createSubprocessExec as (...args: unknown[]) => unknown;
      expect(() => bad(42)).toThrow(TypeError);
      expect(() => bad("echo", 5)).toThrow(/pass String\(5\)/);
      expect(() => bad("echo", "a", ["b"])).toThrow(TypeError);
      expect(() => bad("")).toThrow(RangeError);
      expect(() => bad("echo", "a\0b")).toThrow(RangeError);
      expect(() => bad("echo", { stdout: "pipe" })).toThrow(/PIPE, DEVNULL/);
      expect(() => bad("echo", { stdout: STDOUT })).toThrow(RangeError);
      expect(() => bad("echo", { stdin: -7 })).toThrow(RangeError);
      expect(() => bad("echo", { limit: 0 })).toThrow(RangeError);
      expect(() => bad("echo", { limit: "big" })).toThrow(TypeError);
      expect(() => bad("echo", { env: { A: 1 } })).toThrow(TypeError);
      expect(() => bad("echo", { cwd: 3 })).toThrow(TypeError);
      expect(() => bad("echo", { shell: true })).toThrow(/unknown option "shell"/);
      // test_create_subprocess_exec_text_mode_fails: bytes only
      expect(() => bad("echo", { text: true })).toThrow(RangeError);
      expect(() => bad("echo", { encoding: "utf-8" })).toThrow(RangeError);
      const badShell = createSubprocessShell as (...args: unknown[]) => unknown;
      expect(() => badShell(["ls", "-l"])).toThrow(/use createSubprocessExec/);
      expect(() => badShell("ls", { errors: "strict" })).toThrow(RangeError);
      expect(() => badShell("ls", 5)).toThrow(TypeError);
    });
  });

  it("needs a running loop", () => {
    expect(() => createSubprocessExec("true")).toThrow(RuntimeError);
    expect(() => createSubprocessShell("true")).toThrow(RuntimeError);
  });

  it("cancelling the creation kills the child (test_cancel_make_subprocess_transport_exec)", async () => {
    const marker = "31.4159";
    await runLoop(async ({ loop }) => {
      const task = createTask(() => createSubprocessExec("sleep", marker));
      loop.callSoon(() => task.cancel());
      await expect(task).rejects.toBeInstanceOf(CancelledError);
      await sleep(0.05);
    });
    expect(await eventually(() => !processTable().includes(`sleep ${marker}`))).toBe(true);
  });
});

describe("createSubprocessShell", () => {
  it("runs the command through /bin/sh (test_shell, test_start_new_session)", async () => {
    await runLoop(async () => {
      expect(await (await createSubprocessShell("exit 7")).wait()).toBe(7);
      expect(await (await createSubprocessShell("exit 8", { startNewSession: true })).wait()).toBe(8);
      const piped = await createSubprocessShell("echo one; echo two | tr a-z A-Z", { stdout: PIPE });
      expect(text((await piped.communicate())[0])).toBe("one\nTWO\n");
    });
  });

  it("interprets the string: quote values with the README's rule", async () => {
    const nasty = `it's $HOME; "quoted" \`whoami\` *`;
    await runLoop(async () => {
      const unquoted = await createSubprocessShell(`echo ${nasty}x`, { stdout: PIPE, stderr: DEVNULL });
      expect(text((await unquoted.communicate())[0])).not.toBe(`${nasty}x\n`);
      const quoted = await createSubprocessShell(`printf '%s\\n' ${quote(nasty)}`, { stdout: PIPE });
      expect(text((await quoted.communicate())[0])).toBe(`${nasty}\n`);
      // The exec form needs no quoting at all.
      const exec = await createSubprocessExec("printf", "%s\\n", nasty, { stdout: PIPE });
      expect(text((await exec.communicate())[0])).toBe(`${nasty}\n`);
    });
  });

  it("a missing command is the shell's exit status 127, not an error", async () => {
    await runLoop(async () => {
      const proc = await createSubprocessShell("no-such-command-asyncio-ts", { stderr: PIPE });
      const [, stderr] = await proc.communicate();
      expect(proc.returncode).toBe(127);
      expect(text(stderr)).toMatch(/no-such-command-asyncio-ts/);
    });
  });
});

describe("stdio options", () => {
  it("STDOUT sends stderr into the stdout pipe, in the order written", async () => {
    await runLoop(async () => {
      const proc = await createSubprocessShell("echo out; echo err >&2; echo out2; echo err2 >&2", { stdout: PIPE, stderr: STDOUT });
      expect(proc.stderr).toBeNull();
      const [stdout, stderr] = await proc.communicate();
      expect(text(stdout)).toBe("out\nerr\nout2\nerr2\n");
      expect(stderr).toBeNull();
      expect(proc.returncode).toBe(0);
    });
  });

  it("STDOUT with stdout DEVNULL discards both", async () => {
    await runLoop(async () => {
      const proc = await createSubprocessShell("echo out; echo err >&2", { stdout: DEVNULL, stderr: STDOUT });
      expect(await proc.communicate()).toEqual([null, null]);
    });
  });

  it("DEVNULL for stdin, stdout, stderr (test_devnull_input/_output/_error)", async () => {
    await runLoop(async () => {
      const input = await createSubprocessExec("wc", "-c", { stdin: DEVNULL, stdout: PIPE, stderr: PIPE });
      const [out, err] = await input.communicate();
      expect(text(out).trim()).toBe("0");
      expect(text(err)).toBe("");
      const output = await createSubprocessExec("cat", { stdin: PIPE, stdout: DEVNULL, stderr: PIPE });
      expect(await output.communicate("abc")).toEqual([null, Buffer.alloc(0)]);
      expect(output.returncode).toBe(0);
      const error = await createSubprocessShell("cat; echo oops >&2", { stdin: PIPE, stdout: PIPE, stderr: DEVNULL });
      const [cat, none] = await error.communicate("abc");
      expect([text(cat), none]).toEqual(["abc", null]);
    });
  });

  it("a file descriptor number", async () => {
    const dir = mkdtempSync(join(tmpdir(), "asyncio-ts-subprocess-"));
    const file = join(dir, "out.txt");
    const fd = openSync(file, "w");
    try {
      await runLoop(async () => {
        const proc = await createSubprocessShell("echo to-file; echo also >&2", { stdout: fd, stderr: STDOUT });
        expect(proc.stdout).toBeNull();
        expect(await proc.wait()).toBe(0);
      });
      closeSync(fd);
      expect(readFileSync(file, "utf8")).toBe("to-file\nalso\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("communicate(b'') and communicate() with stdin PIPE (test_empty_input, test_communicate_none_input)", async () => {
    await runLoop(async () => {
      const empty = await createSubprocessExec("wc", "-c", { stdin: PIPE, stdout: PIPE, stderr: PIPE });
      expect(text((await empty.communicate(new Uint8Array(0)))[0]).trim()).toBe("0");
      const none = await createSubprocessExec("cat", { stdin: PIPE, stdout: PIPE });
      expect(await none.communicate()).toEqual([Buffer.alloc(0), null]);
      expect(none.returncode).toBe(0);
    });
  });
});
