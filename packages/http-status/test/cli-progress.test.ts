// The progress bar: drawn on stderr only when it is a terminal (a pseudo-terminal
// made by python3's pty module), never on piped output.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, cliEnv } from "./cli-helpers.js";
import { reply, routes, serve, type TestServer } from "./helpers.js";

const exec = promisify(execFile);

// Runs the command with stderr (and, with "all", stdout too) on a pty of 100 columns.
const PTY_RUNNER = `
import fcntl, json, os, pty, struct, subprocess, sys, termios
mode, argv = sys.argv[1], sys.argv[2:]
master, slave = pty.openpty()
fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
out = slave if mode == "all" else subprocess.PIPE
p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=slave)
os.close(slave)
tty = b""
while True:
    try:
        data = os.read(master, 65536)
    except OSError:
        break
    if not data:
        break
    tty += data
stdout = p.stdout.read() if p.stdout else b""
p.wait()
print(json.dumps({"code": p.returncode, "stdout": stdout.decode(), "tty": tty.decode("utf-8", "replace")}))
`;

async function inPty(mode: "stderr" | "all", args: string[]): Promise<{ code: number; stdout: string; tty: string }> {
  const { stdout } = await exec("python3", ["-c", PTY_RUNNER, mode, process.execPath, CLI, ...args], { env: cliEnv({ TERM: "xterm" }), timeout: 20_000 });
  return JSON.parse(stdout) as { code: number; stdout: string; tty: string };
}

let s: TestServer;
beforeAll(async () => {
  s = await serve(routes({ "/slow": reply("200 OK", {}, 0.25), "/missing": reply("404 Not Found", {}, 0.25) }));
});
afterAll(() => s.close());

describe("progress bar", () => {
  it("is redrawn in place on a terminal stderr, with counts by status class; stdout stays clean", async () => {
    const urls = [...Array.from({ length: 8 }, () => s.url("/slow")), s.url("/missing"), "nonsense"];
    const { code, stdout, tty } = await inPty("stderr", ["-c", "2", ...urls]);
    expect(code).toBe(1);
    // stdout is a pipe: JSON lines only.
    expect(stdout.trimEnd().split("\n").map((l) => (JSON.parse(l) as { url: string }).url)).toEqual(urls);
    // stderr is a terminal: frames drawn with \r, a bar, the counts and the rate.
    const frames = tty.split("\r").filter((f) => f.includes("█") || f.includes("░"));
    expect(frames.length).toBeGreaterThanOrEqual(3);
    expect(tty).toMatch(/\[[█░]{24}\] \d+\/10 \d+%/);
    expect(tty).toContain("2xx");
    expect(tty).toContain("err");
    expect(tty).toMatch(/\d+\/s/);
    // The bar is erased before the summary, which is coloured.
    expect(tty).toContain("\r\u001b[K");
    expect(tty).toMatch(/Checked 10 URLs in .*: 8 ok, 2 not ok/);
    expect(tty).toContain("\u001b[32m2xx 8\u001b[39m");
    // No frame is wider than the terminal.
    for (const frame of frames) expect(frame.replace(/\u001b\[[0-9;]*[mK]/g, "").length).toBeLessThan(100);
  });

  it("on a terminal stdout, the table is coloured and the bar never corrupts a row", async () => {
    const { tty } = await inPty("all", ["-c", "1", s.url("/slow"), s.url("/missing"), s.url("/slow")]);
    const rows = tty.split("\r\n").filter((l) => l.includes("http://") && !l.includes("slowest"));
    expect(rows).toHaveLength(3);
    expect(tty).toContain("\u001b[32m200 OK");
    expect(tty).toContain("\u001b[33m404 Not Found");
    // Every row is written from column 0 of a cleared line: after the last carriage
    // return comes the erase-line code, then the coloured status.
    for (const row of rows) expect(row.split("\r").pop()).toMatch(/^\u001b\[K\u001b\[3\dm(200 OK|404 Not Found)/);
  });

  it("--no-progress draws nothing", async () => {
    const { tty } = await inPty("stderr", ["--no-progress", s.url("/slow")]);
    expect(tty).not.toContain("█");
    expect(tty).toMatch(/Checked 1 URL/);
  });
});
