#!/usr/bin/env node
// Seed: none of its own. Runs every example's TypeScript twin (main.ts, then
// main.gen.ts where there is one), in the order of examples.json, and prints
// each one's output under a header. The examples mostly sleep, so they run
// side by side as child processes and their outputs are printed in order,
// each as soon as it and those before it have finished: about 10 seconds in all.
//
//   node run-all.mjs                   every example (the package's `start` script)
//   node run-all.mjs cancel-me nested  only these folders
//   node run-all.mjs --source          import asyncio-ts from packages/*/src, even when built
//
// "asyncio-ts" is the built package (packages/asyncio/dist, made by `pnpm build`)
// when it exists, else its TypeScript sources (the "asyncio-ts-source" export
// condition). tsx (a root devDependency) runs the .ts files either way.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const manifest = JSON.parse(readFileSync(join(here, "examples.json"), "utf8"));

const args = process.argv.slice(2);
const forceSource = args.includes("--source");
const wanted = args.filter((a) => !a.startsWith("--"));
const unknown = wanted.filter((name) => !manifest.some((e) => e.dir === name));
if (unknown.length > 0) {
  console.error(`unknown example(s): ${unknown.join(", ")}\nknown: ${manifest.map((e) => e.dir).join(", ")}`);
  process.exit(2);
}

const built = existsSync(join(here, "..", "packages", "asyncio", "dist", "index.js"));
const useSource = forceSource || !built;
const nodeArgs = [...(useSource ? ["--conditions=asyncio-ts-source"] : []), "--import", "tsx"];

/** [{ entry, file }] in manifest order: main.ts first, then its variants. */
const jobs = manifest
  .filter((e) => wanted.length === 0 || wanted.includes(e.dir))
  .flatMap((entry) =>
    readdirSync(join(here, entry.dir))
      .filter((f) => /^main(\.[\w-]+)?\.ts$/.test(f))
      .sort((a, b) => (a === "main.ts" ? -1 : b === "main.ts" ? 1 : a.localeCompare(b)))
      .map((file) => ({ entry, file })),
  );

/** Runs one twin; resolves with its stdout and stderr interleaved as they came, its exit status and duration. */
function execute({ entry, file }) {
  return new Promise((resolve) => {
    const started = performance.now();
    const env = { ...process.env };
    delete env.ASYNCIO_TS_DEBUG;
    const child = spawn(process.execPath, [...nodeArgs, file], { cwd: join(here, entry.dir), env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk) => (output += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk) => (output += chunk));
    child.on("error", (error) => resolve({ output: `${output}could not start node: ${error.message}\n`, status: "error", seconds: 0 }));
    child.on("close", (code, signal) =>
      resolve({ output, status: signal ?? code, seconds: (performance.now() - started) / 1000 }),
    );
  });
}

// Start them all (a few at a time: node + tsx start-up costs CPU), longest first.
const limit = Math.max(6, availableParallelism() * 3);
const results = new Array(jobs.length);
const queue = jobs.map((job, index) => ({ job, index })).sort((a, b) => b.job.entry.seconds - a.job.entry.seconds);
async function worker() {
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    results[next.index].resolve(await execute(next.job));
  }
}
for (let i = 0; i < jobs.length; i++) {
  let resolve;
  const promise = new Promise((r) => (resolve = r));
  results[i] = { promise, resolve };
}
const workers = Array.from({ length: Math.min(limit, jobs.length) }, worker);

console.log(`asyncio-ts examples: ${jobs.length} programs, asyncio-ts from ${useSource ? "packages/*/src (tsx)" : "packages/asyncio/dist"}`);
const began = performance.now();
let failed = 0;
for (let i = 0; i < jobs.length; i++) {
  const { entry, file } = jobs[i];
  const { output, status, seconds } = await results[i].promise;
  console.log(`\n=== ${entry.dir}/${file}: ${entry.title} (${entry.seed})`);
  process.stdout.write(output.endsWith("\n") || output === "" ? output : `${output}\n`);
  if (status !== 0) {
    failed++;
    console.log(`--- FAILED (exit ${status}) after ${seconds.toFixed(1)} s`);
  }
}
await Promise.all(workers);

const total = ((performance.now() - began) / 1000).toFixed(1);
console.log(`\n${jobs.length - failed} of ${jobs.length} examples ran cleanly in ${total} s.`);
if (failed > 0) {
  console.log("Compare each with its Python original: python3 <example>/main.py");
  process.exitCode = 1;
}
