import { defineConfig } from "tsup";

export default defineConfig([
  {
    entry: ["src/index.ts"],
    format: ["esm", "cjs"],
    dts: true,
    sourcemap: true,
    // Everything but the command, which the second build writes at the same time.
    clean: ["!cli.js", "!cli.js.map"],
    target: "es2022",
    splitting: true,
    // CJS through rollup, not sucrase: sucrase rewrote class fields, ?. and ?? into
    // helper calls (a closure per ?. on hot paths) and renamed classes (_class5).
    treeshake: true,
  },
  {
    // The `http-status` command: one ESM file with a shebang (package.json "bin").
    entry: { cli: "src/cli.ts" },
    format: ["esm"],
    dts: false,
    sourcemap: true,
    clean: false,
    target: "es2022",
    banner: { js: "#!/usr/bin/env node" },
  },
]);
