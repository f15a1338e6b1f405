// Runs every vitest project once and ends with the plain summary line CI reads
// ("vitest: N passed, N failed, N skipped"). Exits with vitest's own status.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dir = mkdtempSync(join(tmpdir(), "asyncio-ts-vitest-"));
const report = join(dir, "report.json");
const result = spawnSync(
  process.execPath,
  ["node_modules/vitest/vitest.mjs", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { stdio: "inherit" },
);
let summary = null;
try {
  summary = JSON.parse(readFileSync(report, "utf8"));
} catch {
  // vitest died before writing its report: its exit status says why.
}
rmSync(dir, { recursive: true, force: true });
if (summary !== null) {
  const skipped = summary.numPendingTests + summary.numTodoTests;
  console.log(`vitest: ${summary.numPassedTests} passed, ${summary.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ""}`);
}
const status = result.status ?? 1;
process.exit(summary !== null && summary.numTotalTests === 0 ? 1 : status);
