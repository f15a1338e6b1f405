// Scaffolds packages/<folder> with the uniform layout every package shares:
// ESM + CJS + .d.ts via tsup, an exports map whose conditions each carry their own
// types, and a "asyncio-ts-source" condition so tests and type checks use src/.
// Usage: node scripts/new-package.mjs <folder> <npm-name> "<description>" [dep ...]
import { mkdirSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";

const [folder, name, description, ...deps] = process.argv.slice(2);
if (!folder || !name || !description) {
  console.error('usage: node scripts/new-package.mjs <folder> <npm-name> "<description>" [dep ...]');
  process.exit(2);
}
const dir = join("packages", folder);
mkdirSync(join(dir, "src"), { recursive: true });
mkdirSync(join(dir, "test"), { recursive: true });
const entry = (base) => ({
  "asyncio-ts-source": `./src/${base}.ts`,
  import: { types: `./dist/${base}.d.ts`, default: `./dist/${base}.js` },
  require: { types: `./dist/${base}.d.cts`, default: `./dist/${base}.cjs` },
});
const pkg = {
  name,
  version: "0.1.0",
  description,
  license: "MIT",
  type: "module",
  sideEffects: false, // a package whose import registers something must set this to true
  engines: { node: ">=20" },
  main: "./dist/index.cjs",
  module: "./dist/index.js",
  types: "./dist/index.d.cts",
  exports: { ".": entry("index"), "./package.json": "./package.json" },
  files: ["dist", "src", "README.md"],
  scripts: {
    build: "tsup",
    typecheck: "tsc -p tsconfig.json",
    lint: "publint --strict && attw --pack . --profile node16",
  },
  dependencies: Object.fromEntries(deps.map((d) => [d, "workspace:^"])),
  repository: { type: "git", directory: dir },
};
writeFileSync(join(dir, "package.json"), JSON.stringify(pkg, null, 2) + "\n");
writeFileSync(
  join(dir, "tsup.config.ts"),
  `import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
  splitting: true,
});
`,
);
writeFileSync(
  join(dir, "tsconfig.json"),
  JSON.stringify({ extends: "../../tsconfig.base.json", include: ["src", "test"] }, null, 2) + "\n",
);
writeFileSync(
  join(dir, "vitest.config.ts"),
  `import { defineProject } from "vitest/config";

export default defineProject({
  resolve: { conditions: ["asyncio-ts-source"] },
  ssr: { resolve: { conditions: ["asyncio-ts-source"] } },
  test: { name: "${folder}", include: ["test/**/*.test.ts"] },
});
`,
);
if (!existsSync(join(dir, "src", "index.ts"))) writeFileSync(join(dir, "src", "index.ts"), "export {};\n");
console.log(`scaffolded ${dir} (${name})`);
