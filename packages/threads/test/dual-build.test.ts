// The built package works from both builds, and they share the default-executor hook and brands.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const dist = fileURLToPath(new URL("../dist/", import.meta.url));
const tasksDist = fileURLToPath(new URL("../../tasks/dist/", import.meta.url));

describe("ESM and CJS builds", () => {
  it("both run toThread() through their own worker entry, and agree on brands", () => {
    const script = `
      import { createRequire } from "node:module";
      const require = createRequire(${JSON.stringify(dist)});
      const esm = await import(${JSON.stringify(`${dist}index.js`)});
      const cjs = require(${JSON.stringify(`${dist}index.cjs`)});
      const tasks = await import(${JSON.stringify(`${tasksDist}index.js`)});
      if (esm.toThread === cjs.toThread) throw new Error("expected two copies");
      const out = await tasks.run(async () => [
        await esm.toThread((a, b) => a + b, 1, 2),
        await cjs.toThread((a, b) => a * b, 3, 4),
        new esm.TimeoutError() instanceof cjs.TimeoutError,
        esm.runCoroutineThreadsafe.length,
      ]);
      const pool = new cjs.ThreadPoolExecutor({ maxWorkers: 1 });
      out.push(pool.submit(() => "blocked").result(5));
      await pool.shutdown();
      console.log(JSON.stringify(out));
    `;
    const dir = mkdtempSync(join(tmpdir(), "threads-dual-"));
    try {
      writeFileSync(join(dir, "main.mjs"), script);
      const out = JSON.parse(execFileSync(process.execPath, [join(dir, "main.mjs")], { encoding: "utf8", timeout: 20_000 }));
      expect(out).toEqual([3, 12, true, 2, "blocked"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
