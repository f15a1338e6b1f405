// Worker threads cannot load TypeScript, so the worker side of these tests
// (the worker entry, and fixtures importing "@asyncio-ts/threads") runs the
// built dist/ while the test files run src/. Build first when dist/ is
// missing or older than src/.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

export default function setup(): void {
  const built = join(root, "dist", "worker.js");
  if (existsSync(built) && statSync(built).mtimeMs >= newest(join(root, "src"))) return;
  execFileSync(process.execPath, [join(root, "..", "..", "node_modules", "tsup", "dist", "cli-default.js")], { cwd: root, stdio: "ignore" });
}
