// The `http-status` command, built (dist/cli.js) and run as a child process
// against scripted servers on 127.0.0.1: formats, input, flags, exit codes, Ctrl-C.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { StatusResult } from "@asyncio-ts/http-status";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./cli-helpers.js";
import { closedPort, reply, routes, serve, type TestServer } from "./helpers.js";

let s: TestServer;
let dir: string;
beforeAll(async () => {
  s = await serve(
    routes({
      "/ok": reply("200 OK"),
      "/ok2": reply("200 OK"),
      "/moved": reply("301 Moved Permanently", { Location: "/ok" }),
      "/missing": reply("404 Not Found"),
      "/broken": reply("500 Internal Server Error"),
      "/slow": reply("200 OK", {}, 0.3),
      "/hang": () => {},
    }),
  );
  dir = mkdtempSync(join(tmpdir(), "http-status-cli-"));
});
afterAll(async () => {
  await s.close();
  rmSync(dir, { recursive: true, force: true });
});

const jsonl = (text: string): StatusResult[] => text.trimEnd().split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as StatusResult);

describe("http-status", () => {
  it("--help explains flags, formats, exit codes and has examples", async () => {
    const { code, stdout, stderr } = await runCli(["--help"]);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    for (const text of ["Usage:", "--concurrency", "--per-host", "--timeout", "--retries", "--follow", "--method", "--order", "--format", "--fail-on", "--sequential", "--demo", "Exit status:", "130", "Examples:"]) {
      expect(stdout).toContain(text);
    }
    expect((await runCli(["-V"])).stdout).toMatch(/^http-status \d+\.\d+\.\d+\n$/);
  });

  it("piped, prints JSON lines and nothing else on stdout; the summary goes to stderr; exit 1 on 4xx/5xx/errors", async () => {
    const urls = [s.url("/ok"), s.url("/missing"), s.url("/broken"), "nonsense"];
    const { code, stdout, stderr } = await runCli(urls);
    expect(code).toBe(1);
    const results = jsonl(stdout);
    expect(results.map((r) => r.url)).toEqual(urls); // input order by default
    expect(results.map((r) => r.status)).toEqual([200, 404, 500, null]);
    expect(results[3].error?.code).toBe("INVALID_URL");
    expect(Object.keys(results[0]).sort()).toEqual(["error", "httpVersion", "location", "ok", "reason", "redirects", "status", "timings", "url"]);
    expect(stderr).toMatch(/Checked 4 URLs in .* 1 ok, 3 not ok/);
    expect(stderr).toContain("slowest:");
    expect(stderr).not.toContain("\u001b["); // no colours, no progress bar when not a terminal
  });

  it("exit 0 when everything is ok; --fail-on changes what counts", async () => {
    expect((await runCli(["-q", s.url("/ok"), s.url("/moved")])).code).toBe(0);
    expect((await runCli(["-q", "--fail-on", "5xx", s.url("/missing")])).code).toBe(0);
    expect((await runCli(["-q", "--fail-on", "3xx", s.url("/moved")])).code).toBe(1);
    expect((await runCli(["-q", "--fail-on", "none", s.url("/broken"), "nonsense"])).code).toBe(0);
    expect((await runCli(["-q", "--fail-on", "TIMEOUT", "nonsense"])).code).toBe(0);
    const quiet = await runCli(["-q", s.url("/ok")]);
    expect(quiet.stderr).toBe("");
  });

  it("exit 2 on usage errors, with a hint", async () => {
    for (const args of [["--bogus"], ["-c", "0", "x"], ["--timeout", "soon", "x"], ["-o", "xml", "x"], ["--fail-on", "7xx,weird", "x"], ["--method", "POST", "x"], ["-i", join(dir, "does-not-exist.txt")]]) {
      const { code, stdout, stderr } = await runCli(args);
      expect(code, args.join(" ")).toBe(2);
      expect(stdout).toBe("");
      expect(stderr).toMatch(/^http-status: .*\nTry "http-status --help"\.\n$/);
    }
  });

  it("-o json: one valid JSON array, streamed", async () => {
    const { stdout } = await runCli(["-o", "json", s.url("/ok"), s.url("/moved")]);
    const results = JSON.parse(stdout) as StatusResult[];
    expect(results.map((r) => [r.status, r.location])).toEqual([[200, null], [301, "/ok"]]);
    expect(JSON.parse((await runCli(["-o", "json"], { stdin: "" })).stdout)).toEqual([]);
  });

  it("-o csv: a header and one quoted row per URL", async () => {
    const { stdout } = await runCli(["-o", "csv", "--follow", s.url("/moved"), `http://127.0.0.1:${await closedPort()}/a,b`]);
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("url,ok,status,reason,http_version,location,redirects,connect,first_byte,total,error_code,error_message");
    expect(lines[1]).toMatch(new RegExp(`^${s.url("/moved").replace(/[.?]/g, "\\$&")},true,200,OK,HTTP/1.1,,${s.url("/ok").replace(/[.?]/g, "\\$&")},[\\d.]+,[\\d.]+,[\\d.]+,,$`));
    expect(lines[2]).toMatch(/^"http:\/\/127\.0\.0\.1:\d+\/a,b",false,,,,,,,,[\d.]+,REFUSED,/);
    expect(lines).toHaveLength(3);
  });

  it("-o table: aligned rows with status, time, URL and details", async () => {
    const { stdout } = await runCli(["-o", "table", s.url("/ok"), s.url("/moved"), "ftp://x/"]);
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^STATUS\s+TIME\s+URL$/);
    expect(lines[1]).toMatch(/^200 OK\s+\d+\.\d\d s {2}http:\/\/127\.0\.0\.1:\d+\/ok$/);
    expect(lines[2]).toMatch(/^301 Moved Permanently\s+\d+\.\d\d s {2}\S+\/moved {2}→ \/ok$/);
    expect(lines[3]).toMatch(/^UNSUPPORTED_SCHEME\s+\d+\.\d\d s {2}ftp:\/\/x\/ {2}unsupported scheme/);
    expect(lines[1].indexOf("http")).toBe(lines[2].indexOf("http"));
  });

  it("reads URLs from a file and from stdin, skipping blank lines and # comments", async () => {
    const file = join(dir, "urls.txt");
    writeFileSync(file, `# my sites\n${s.url("/ok")}\n\n   ${s.url("/missing")}   \r\n# done\n${s.url("/ok2")}`);
    const fromFile = jsonl((await runCli(["-i", file])).stdout);
    expect(fromFile.map((r) => r.status)).toEqual([200, 404, 200]);
    expect(fromFile[1].url).toBe(s.url("/missing"));
    const fromStdin = jsonl((await runCli([], { stdin: `${s.url("/ok")}\n#x\n${s.url("/broken")}\n` })).stdout);
    expect(fromStdin.map((r) => r.status)).toEqual([200, 500]);
    const dash = jsonl((await runCli(["-i", "-", s.url("/moved")], { stdin: s.url("/ok") })).stdout);
    expect(dash.map((r) => r.status)).toEqual([301, 200]);
  });

  it("--order completion, --follow, --timeout, --retries and --method", async () => {
    const completion = jsonl((await runCli(["--order", "completion", s.url("/slow"), s.url("/ok")])).stdout);
    expect(completion.map((r) => r.url)).toEqual([s.url("/ok"), s.url("/slow")]);
    const followed = jsonl((await runCli(["--follow", s.url("/moved")])).stdout)[0];
    expect(followed).toMatchObject({ status: 200, redirects: [s.url("/ok")] });
    const timedOut = jsonl((await runCli(["--timeout", "0.2", "--retries", "0", s.url("/hang")])).stdout)[0];
    expect(timedOut.error).toEqual({ code: "TIMEOUT", message: "no response within 0.2 s" });
    const before = s.requests.length;
    await runCli(["--method", "get", s.url("/ok")]);
    expect(s.requests[before].method).toBe("GET");
  });

  it("--sequential checks one URL at a time; -c sets the concurrency", async () => {
    const urls = Array.from({ length: 4 }, () => s.url("/slow"));
    const t0 = performance.now();
    await runCli(["--sequential", ...urls]);
    const sequential = performance.now() - t0;
    const t1 = performance.now();
    await runCli(["-c", "4", ...urls]);
    const concurrent = performance.now() - t1;
    expect(sequential).toBeGreaterThan(1200);
    expect(concurrent).toBeLessThan(sequential - 600);
  });

  it("Ctrl-C stops cleanly: what finished is printed, the summary says so, exit 130", async () => {
    const urls = [s.url("/ok"), s.url("/ok2"), ...Array.from({ length: 20 }, () => s.url("/hang"))];
    const outcome = await runCli(["-c", "4", ...urls], {
      onSpawn: (child) => {
        let seen = "";
        child.stdout!.on("data", (d: Buffer) => {
          seen += String(d);
          if (seen.split("\n").length > 2) setTimeout(() => child.kill("SIGINT"), 100);
        });
      },
    });
    expect(outcome.code).toBe(130);
    const results = jsonl(outcome.stdout);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    expect(outcome.stderr).toMatch(/Interrupted: checked 2 URLs/);
  });

  it("Ctrl-C also stops a run waiting for more URLs on an open stdin", async () => {
    const started = performance.now();
    const outcome = await runCli(["-o", "json"], {
      stdin: `${s.url("/ok")}\n`,
      keepStdinOpen: true,
      onSpawn: (child) => {
        child.stdout!.once("data", () => setTimeout(() => child.kill("SIGINT"), 200));
      },
    });
    expect(outcome.code).toBe(130);
    expect((JSON.parse(outcome.stdout) as StatusResult[]).map((r) => r.status)).toEqual([200]);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
