import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts", "src/worker.ts"],
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
  splitting: true,
  // worker-path.ts locates dist/worker.js from import.meta.url (ESM) or __filename (CJS).
  shims: true,
});
