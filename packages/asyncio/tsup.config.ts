import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
  splitting: true,
  // CJS through rollup, not sucrase: sucrase rewrote class fields, ?. and ?? into
  // helper calls (a closure per ?. on hot paths) and renamed classes (_class5).
  treeshake: true,
});
