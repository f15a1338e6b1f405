// Every complete ```ts program in the READMEs runs, exits cleanly and prints something.
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const here = fileURLToPath(new URL(".", import.meta.url));
const repo = join(here, "..", "..", "..");
const scratch = join(here, "..", ".readme-examples");
// The repository's README and every package's: each imports only what the
// meta-package depends on, since the examples run from packages/asyncio.
const readmes = [
  "README.md",
  ...readdirSync(join(repo, "packages"))
    .map((folder) => `packages/${folder}/README.md`)
    .filter((file) => existsSync(join(repo, file))),
];

/** The complete programs among a README's ts blocks: those with an import (the rest are fragments). */
function examplesOf(file: string): string[] {
  const text = readFileSync(join(repo, file), "utf8");
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]).filter((code) => /^import\s/m.test(code));
}

mkdirSync(scratch, { recursive: true });
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("README examples run", () => {
  for (const readme of readmes) {
    examplesOf(readme).forEach((code, i) => {
      it(`${readme} #${i + 1}`, async () => {
        expect(existsSync(join(repo, readme))).toBe(true);
        const file = join(scratch, `${readme.replace(/\W+/g, "-")}-${i + 1}.ts`);
        writeFileSync(file, code);
        const { stdout } = await run(process.execPath, ["--conditions=asyncio-ts-source", "--import", "tsx", file], {
          cwd: join(here, ".."),
          timeout: 30_000,
        });
        expect(stdout.trim().length).toBeGreaterThan(0);
      }, 40_000);
    });
  }
});
