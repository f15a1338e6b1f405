import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A fresh temporary directory (its name starts with `asyncio-ts-<label>-`), removed by the returned function. */
export function tempDir(label: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `asyncio-ts-${label}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
