// For a package whose tests need its build (worker threads cannot load
// TypeScript; CLI tests run the built command): a vitest global setup builds
// it when the build is missing or older than its sources.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const tsup = fileURLToPath(new URL("../../node_modules/tsup/dist/cli-default.js", import.meta.url));

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** Runs tsup in `packageDir` when `builtFile` (relative to it) is missing or older than src/ and tsup.config.ts. */
export function buildIfStale(packageDir: string, builtFile: string): void {
  const built = join(packageDir, builtFile);
  const sources = Math.max(newest(join(packageDir, "src")), statSync(join(packageDir, "tsup.config.ts")).mtimeMs);
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  execFileSync(process.execPath, [tsup], { cwd: packageDir, stdio: "ignore" });
}
