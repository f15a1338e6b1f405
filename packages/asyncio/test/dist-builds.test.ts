// What users load is dist/, built by tsup for ESM and CJS. Two build defects
// that no source-level test can see: a bundler renaming classes (`_Future`,
// `_class5` in stack traces and util.inspect), and CJS downlevelled by a
// transform (class fields as `__init` calls, every `?.` as a helper call that
// allocates closures: slower on the hot paths than the ESM build).
import { readdirSync, readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const packagesDir = fileURLToPath(new URL("../../", import.meta.url));
const PACKAGES = ["loop", "tasks", "combinators", "sync", "streams", "threads", "subprocess", "http-status", "asyncio"];

function entries(pkg: string): string[] {
  const files = readdirSync(`${packagesDir}${pkg}/dist`);
  return files.filter((f) => /^(index|lowlevel)\.js$/.test(f)).map((f) => f.slice(0, -3));
}

/**
 * Exported functions and classes whose `name` is not the name they are exported
 * under, for the ESM and the CJS build of each entry: in a plain Node child
 * process, so that the packages import each other's dist/ (vitest resolves them
 * to src/).
 */
function misnamedInBuilds(): Record<string, string[]> {
  const files = PACKAGES.flatMap((pkg) => entries(pkg).map((entry) => `${packagesDir}${pkg}/dist/${entry}`));
  const script = `
    import { createRequire } from "node:module";
    import { pathToFileURL } from "node:url";
    const requireCjs = createRequire(import.meta.url);
    const misnamed = (m) => Object.entries(m).filter(([k, v]) => typeof v === "function" && v.name !== k).map(([k, v]) => k + " is named " + JSON.stringify(v.name));
    const out = {};
    for (const base of ${JSON.stringify(files)}) {
      const esm = await import(pathToFileURL(base + ".js").href);
      if (Object.keys(esm).length === 0) throw new Error(base + ".js exports nothing");
      out[base + ".js"] = misnamed(esm);
      out[base + ".cjs"] = misnamed(requireCjs(base + ".cjs"));
    }
    console.log(JSON.stringify(out));
  `;
  return JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" })) as Record<string, string[]>;
}

describe("the built packages", () => {
  it("every exported class and function keeps its name, in ESM and CJS", () => {
    const found = misnamedInBuilds();
    expect(Object.keys(found).length).toBe(2 * PACKAGES.flatMap(entries).length);
    for (const [file, names] of Object.entries(found)) expect(names, file).toEqual([]);
  });

  it("CJS is the same code as ESM: no downlevelled class fields, ?. or ??", () => {
    for (const pkg of PACKAGES) {
      const dir = `${packagesDir}${pkg}/dist/`;
      for (const file of readdirSync(dir).filter((f) => f.endsWith(".cjs"))) {
        const code = readFileSync(dir + file, "utf8");
        expect(code, `${pkg}/dist/${file}`).not.toMatch(/\b_optionalChain\(|\b_nullishCoalesce\(|\.prototype\.__init\d*\.call\(/);
      }
    }
  });
});
