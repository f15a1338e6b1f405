// Every complete ```ts program of the README runs standalone, exits by itself and prints something.
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const exec = promisify(execFile);
const pkg = fileURLToPath(new URL("..", import.meta.url));
// Inside the package, so that "@asyncio-ts/http-status" resolves to itself.
const scratch = join(pkg, ".readme-examples");
// Complete programs (those with an import statement) run; fragments are only shown.
const blocks = [...readFileSync(join(pkg, "README.md"), "utf8").matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]).filter((code) => /^import /m.test(code));

mkdirSync(scratch, { recursive: true });
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("README examples", () => {
  it("has examples", () => expect(blocks.length).toBeGreaterThanOrEqual(4));
  blocks.forEach((code, i) => {
    it(`block #${i + 1} runs`, async () => {
      const file = join(scratch, `block-${i + 1}.ts`);
      writeFileSync(file, code);
      const { stdout } = await exec(process.execPath, ["--conditions=asyncio-ts-source", "--import", "tsx", file], { cwd: pkg, timeout: 20_000 });
      expect(stdout.trim().length).toBeGreaterThan(0);
    }, 30_000);
  });
});
