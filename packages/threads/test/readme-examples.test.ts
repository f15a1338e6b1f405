// Every ```ts example in this package's README runs, exits by itself and prints something.
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = fileURLToPath(new URL("..", import.meta.url));
const scratch = join(root, "test", ".readme-examples");
const examples = [...readFileSync(join(root, "README.md"), "utf8").matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);

mkdirSync(scratch, { recursive: true });
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("README examples run", () => {
  it("has examples", () => expect(examples.length).toBeGreaterThanOrEqual(5));
  examples.forEach((code, i) => {
    it(`README.md #${i + 1}`, async () => {
      const file = join(scratch, `example-${i + 1}.ts`);
      writeFileSync(file, code);
      const { stdout } = await run(process.execPath, ["--conditions=asyncio-ts-source", "--import", "tsx", file], { cwd: root, timeout: 30_000 });
      expect(stdout.trim().length).toBeGreaterThan(0);
    }, 40_000);
  });
});
