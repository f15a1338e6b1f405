// Bad input gets a clear error and loses nothing: huge option values, and the
// command's input files and flags.
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkMany, type StatusResult } from "@asyncio-ts/http-status";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./cli-helpers.js";
import { reply, routes, runLoop, serve, type TestServer } from "./helpers.js";

let s: TestServer;
let dir: string;

beforeAll(async () => {
  s = await serve(routes({ "/slow": reply("200 OK", {}, 0.2), "/ok": reply("200 OK") }));
  dir = mkdtempSync(join(tmpdir(), "http-status-bad-input-"));
});

afterAll(async () => {
  await s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("checkMany with a huge concurrency", () => {
  it("concurrency 2 ** 53 checks every URL at once and ends (starting that many workers ran out of memory)", async () => {
    const urls = [1, 2, 3, 4, 5].map((i) => s.url(`/slow?${i}`));
    const results = await runLoop(async () => {
      const out: StatusResult[] = [];
      for await (const result of checkMany(urls, { concurrency: 2 ** 53, order: "input" })) out.push(result);
      return out;
    });
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(results.map((r) => r.url)).toEqual(urls);
    expect(s.maxActive).toBe(5);
  });

  it("a small concurrency is still the bound", async () => {
    const server = await serve(routes({ "/slow": reply("200 OK", {}, 0.1) }));
    try {
      const urls = Array.from({ length: 8 }, (_, i) => server.url(`/slow?${i}`));
      const results = await runLoop(async () => {
        const out: StatusResult[] = [];
        for await (const result of checkMany(urls, { concurrency: 3 })) out.push(result);
        return out;
      });
      expect(results).toHaveLength(8);
      expect(server.maxActive).toBe(3);
    } finally {
      await server.close();
    }
  });

  it("the command takes -c 99999999999999999999 and finishes", async () => {
    // Should it regress, the child must not go on eating memory after the test gives up.
    const killLater = (child: ChildProcess): void => {
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      child.on("close", () => clearTimeout(timer));
    };
    const { code, stdout, stderr } = await runCli(["-q", "-o", "jsonl", "-c", "99999999999999999999", s.url("/ok")], { onSpawn: killLater });
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as StatusResult).status).toBe(200);
  });
});

describe("the command's input", () => {
  it("a directory given to -i is a usage error, exit 2 (it was an internal error, exit 70)", async () => {
    const { code, stdout, stderr } = await runCli(["-i", dir]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe(`http-status: cannot read ${dir}: it is a directory, not a file of URLs\nTry "http-status --help".\n`);
  });

  it.runIf(process.platform === "linux")("a file that fails part-way is one line on stderr and exit 2, not a stack trace", async () => {
    // Reading /proc/self/mem at offset 0 fails with EIO.
    const { code, stderr } = await runCli(["-q", "-o", "jsonl", "-i", "/proc/self/mem"]);
    expect(code).toBe(2);
    expect(stderr).toBe("http-status: cannot read /proc/self/mem: EIO: i/o error, read\n");
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("results checked before the input broke off are still printed", async () => {
    // Arguments come before the file: they are checked, then the file fails.
    const { code, stdout } = await runCli(["-q", "-o", "jsonl", "-i", "/proc/self/mem", s.url("/ok")]);
    expect(code).toBe(2);
    expect((JSON.parse(stdout.trim()) as StatusResult).status).toBe(200);
  });
});

describe("the command's flags", () => {
  it("--fail-on with no rules is a usage error (an empty list silently meant none: exit 0 whatever failed)", async () => {
    for (const value of ["", ",", " , "]) {
      const { code, stdout, stderr } = await runCli(["--fail-on", value, s.url("/ok")]);
      expect(code, JSON.stringify(value)).toBe(2);
      expect(stdout).toBe("");
      expect(stderr).toBe(`http-status: --fail-on needs a comma-separated list of rules, got ${JSON.stringify(value)} (to fail on nothing, say none)\nTry "http-status --help".\n`);
    }
  });

  it("--user-agent with a line break names the flag (the message was 'http-status: http-status: userAgent ...')", async () => {
    const { code, stderr } = await runCli(["-A", "evil\r\nX-Injected: 1", s.url("/ok")]);
    expect(code).toBe(2);
    expect(stderr).toBe('http-status: --user-agent must not contain line breaks\nTry "http-status --help".\n');
  });
});
