// `http-status --demo`: the guide's ten sites, offline, sequential then concurrent.
import { describe, expect, it } from "vitest";
import { runCli } from "./cli-helpers.js";

describe("http-status --demo", () => {
  it("prints both tables and the speed-up (the guide: 5.6 s vs 1.4 s)", { timeout: 30_000 }, async () => {
    const { code, stdout, stderr } = await runCli(["--demo"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const rows = stdout.split("\n").filter((l) => /^(\d{3} |TIMEOUT)/.test(l));
    expect(rows).toHaveLength(20);
    for (const status of ["200 OK", "301 Moved Permanently", "302 Found", "404 Not Found", "500 Internal Server Error", "TIMEOUT"]) {
      expect(rows.filter((r) => r.startsWith(status)).length, status).toBeGreaterThanOrEqual(2);
    }
    expect(stdout).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)[^/\s]+:\d+/); // only the local server is contacted
    const [sequential, concurrent] = [...stdout.matchAll(/([\d.]+) s for 10 sites/g)].map((m) => Number(m[1]));
    expect(sequential).toBeGreaterThanOrEqual(5.4);
    expect(sequential).toBeLessThan(7);
    expect(concurrent).toBeGreaterThanOrEqual(1.3);
    expect(concurrent).toBeLessThan(2.2);
    expect(stdout).toMatch(/Speed-up: \d\.\dx/);
    expect(stdout).toContain("the guide: 5.6 s vs 1.4 s");
  });
});
