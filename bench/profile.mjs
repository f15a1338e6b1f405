#!/usr/bin/env node
/**
 * Profiles one benchmark child with `node --cpu-prof` and prints the functions
 * with the most self time. Not part of `pnpm bench`.
 *
 *   node bench/profile.mjs spawn-sleep0 gen 1000000 [top=25]
 *
 * The .cpuprofile is kept in bench/profiles/ (git-ignored; open it in Chrome
 * DevTools or VS Code for the full picture).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const [workload, impl, n, top = "25"] = process.argv.slice(2);
if (!workload || !impl || !n) {
  console.error("usage: node bench/profile.mjs <workload> <impl> <n> [top]   e.g. spawn-sleep0 gen 1000000");
  process.exit(2);
}

const dir = path.join(here, "profiles");
const name = `${workload}-${impl}-${n}`;
mkdirSync(dir, { recursive: true });
for (const f of readdirSync(dir)) if (f.startsWith(name + ".")) rmSync(path.join(dir, f));
const p = spawnSync(
  process.execPath,
  [
    // Not for the thread-bridge children: Worker threads reject inherited V8 heap flags.
    ...(workload.startsWith("threads-") ? [] : ["--max-old-space-size=4096"]),
    "--expose-gc", "--cpu-prof", `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}.cpuprofile`,
    path.join(here, "workloads", `${workload}.mjs`), impl, n],
  { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" },
);
process.stdout.write(p.stdout);
if (p.status !== 0) process.exit(p.status ?? 1);

const profile = JSON.parse(readFileSync(path.join(dir, `${name}.cpuprofile`), "utf8"));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map();
let total = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  total += dt;
  const { functionName, url, lineNumber } = byId.get(id).callFrame;
  const file = url ? url.replace(/^file:\/\//, "").replace(/^.*\/(packages|node_modules|bench)\//, "$1/") : "";
  const key = `${functionName || "(anonymous)"}  ${file}${file ? `:${lineNumber + 1}` : ""}`;
  self.set(key, (self.get(key) ?? 0) + dt);
});
console.log(`\nself time, top ${top} of ${(total / 1e3).toFixed(0)} ms sampled (${path.relative(process.cwd(), dir)}/${name}.cpuprofile)`);
for (const [key, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) {
  console.log(`${((100 * t) / total).toFixed(1).padStart(5)}%  ${(t / 1e3).toFixed(0).padStart(6)} ms  ${key}`);
}
