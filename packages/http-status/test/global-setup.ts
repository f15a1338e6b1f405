// Builds the package (dist/cli.js, the `http-status` command) before the CLI
// tests, when the build is missing or older than the sources.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const pkg = fileURLToPath(new URL("..", import.meta.url));

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

export default function setup(): void {
  const cli = join(pkg, "dist", "cli.js");
  const stale = !existsSync(cli) || statSync(cli).mtimeMs < Math.max(newest(join(pkg, "src")), statSync(join(pkg, "tsup.config.ts")).mtimeMs);
  if (!stale) return;
  const tsup = join(pkg, "..", "..", "node_modules", "tsup", "dist", "cli-default.js");
  execFileSync(process.execPath, [tsup], { cwd: pkg, stdio: "ignore" });
}
