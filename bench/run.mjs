#!/usr/bin/env node
/**
 * Runs the asyncio-ts benchmark suite: every measurement in its own child
 * process (node for JavaScript, python3 for CPython), each repeated and
 * reduced to its median, then one table with ratios and the issue's targets.
 *
 *   pnpm bench                       build, then the full suite (writes results/latest.*)
 *   node bench/run.mjs --quick       N / 100, one run each, prints only (a smoke test)
 *   node bench/run.mjs --only=spawn-sleep0,memory-pending --reps=5
 *
 * Only a full run (no --quick, no --only) writes bench/results/latest.md and .json.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { WORKLOADS } from "./lib/suite.mjs";
import { buildRows, formatRate, formatSeconds, kindOf, renderMarkdown, renderText, targetSummary } from "./lib/report.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const DEFAULT_REPS = 3;
const CHILD_TIMEOUT_MS = 300_000;
const NODE_FLAGS = ["--max-old-space-size=4096"];
/** For memory children: gc() and a young generation too small to move RSS (see workloads/memory-pending.mjs). */
const MEMORY_FLAGS = ["--expose-gc", "--max-semi-space-size=1"];

const opts = parseOptions(process.argv.slice(2));
const python = findPython();
const builtEntry = path.join(here, "..", "packages", "asyncio", "dist", "index.js");
if (!existsSync(builtEntry)) {
  console.error(`asyncio-ts is not built (${path.relative(process.cwd(), builtEntry)} is missing): run \`pnpm build\` first, or \`pnpm bench\`.`);
  process.exit(1);
}

const env = describeEnvironment();
log(`node ${env.node}, ${env.python}, ${env.cpus} x ${env.cpuModel}, load ${env.loadBefore}`);
const started = performance.now();
const suiteResults = [];
let childFailures = 0;

for (const workload of WORKLOADS.filter((w) => !opts.only || opts.only.includes(w.id))) {
  const reps = opts.reps ?? (opts.quick ? 1 : (workload.reps ?? DEFAULT_REPS));
  const measured = new Map();
  const workloadStart = performance.now();
  const impls = workload.impls.filter((i) => !i.derive && !i.best);
  const load = os.loadavg()[0].toFixed(2);
  log(`\n${workload.title}  (${reps} run${reps > 1 ? "s" : ""} each; load ${load})`);
  // Round-robin over implementations, so drift on a shared machine hits all alike.
  for (let rep = 0; rep < reps; rep++) {
    for (const impl of impls) {
      const n = opts.quick ? Math.max(1000, Math.round(impl.n / 100)) : impl.n;
      const m = measured.get(impl.id) ?? { n, runs: [] };
      measured.set(impl.id, m);
      if (m.error) continue; // one failure is enough
      const res = runChild(workload, impl, n);
      if (res.error) {
        m.error = res.error;
        childFailures++;
        log(`  ${impl.id.padEnd(16)} ERROR ${res.error}`);
      } else {
        m.runs.push(res.value);
        log(`  ${impl.id.padEnd(16)} ${describeRun(workload, res.value)}`);
      }
    }
  }
  suiteResults.push({ workload, rows: buildRows(workload, measured), load, seconds: (performance.now() - workloadStart) / 1000 });
}

const elapsed = (performance.now() - started) / 1000;
env.loadAfter = os.loadavg().map((l) => l.toFixed(2)).join(" ");
const summary = targetSummary(suiteResults);
console.log(renderText(suiteResults));
console.log(`\nTargets met: ${summary.passed} / ${summary.total}. Suite took ${elapsed.toFixed(0)} s.`);

if (!opts.quick && !opts.only) {
  const dir = path.join(here, "results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "latest.md"), markdownReport(suiteResults, env, elapsed, summary));
  writeFileSync(path.join(dir, "latest.json"), JSON.stringify(jsonReport(suiteResults, env, elapsed, summary), null, 2) + "\n");
  console.log(`Wrote ${path.relative(process.cwd(), path.join(dir, "latest.md"))} and latest.json.`);
} else {
  console.log("(Partial or quick run: results/latest.* left as they were.)");
}
process.exitCode = childFailures ? 1 : 0;

// ---- helpers ---------------------------------------------------------------

function parseOptions(args) {
  const o = { quick: false, only: null, reps: null };
  for (const a of args) {
    if (a === "--quick") o.quick = true;
    else if (a.startsWith("--only=")) o.only = a.slice(7).split(",").filter(Boolean);
    else if (a.startsWith("--reps=") && Number(a.slice(7)) >= 1) o.reps = Math.floor(Number(a.slice(7)));
    else {
      console.error(`unknown option ${a}\nusage: node bench/run.mjs [--quick] [--only=${WORKLOADS.map((w) => w.id).join(",")}] [--reps=N]`);
      process.exit(2);
    }
  }
  const unknown = (o.only ?? []).filter((id) => !WORKLOADS.some((w) => w.id === id));
  if (unknown.length) {
    console.error(`unknown workload ${unknown.join(", ")}; known: ${WORKLOADS.map((w) => w.id).join(", ")}`);
    process.exit(2);
  }
  return o;
}

function findPython() {
  const pinned = path.join(os.homedir(), ".pyenv", "versions", "3.12.1", "bin", "python3");
  return existsSync(pinned) ? pinned : "python3";
}

/** Runs one measurement; returns { value } (the child's JSON) or { error }. */
function runChild(workload, impl, n) {
  // `args(n)` overrides the usual `<impl> <n>` for a script with its own command line (http-status).
  const childArgs = impl.args ? impl.args(n) : [impl.id, String(n)];
  const [cmd, args] =
    impl.lang === "python"
      ? [python, [path.join(here, "python", impl.script), ...childArgs]]
      : [
          process.execPath,
          [...(workload.nodeFlags ?? NODE_FLAGS), ...(workload.metric === "bytes" ? MEMORY_FLAGS : []), path.join(here, "workloads", impl.script), ...childArgs],
        ];
  const p = spawnSync(cmd, args, {
    cwd: here,
    encoding: "utf8",
    timeout: CHILD_TIMEOUT_MS,
    maxBuffer: 16 << 20,
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" },
  });
  if (p.error) return { error: p.error.code === "ETIMEDOUT" ? `timed out after ${CHILD_TIMEOUT_MS / 1000} s` : p.error.message };
  const lastLine = p.stdout.trim().split("\n").pop() ?? "";
  let value = null;
  try {
    value = JSON.parse(lastLine);
  } catch {
    // fall through to the error below
  }
  if (p.status !== 0 || value === null || typeof value[workload.metric] !== "number") {
    const errLines = p.stderr.split("\n").map((l) => l.trim()).filter(Boolean);
    const errorish = errLines.filter((l) => /^[\w.]*(Error|Exception)( \[\w+\])?(:|$)/.test(l));
    const thrown = impl.lang === "python" ? errorish.at(-1) : errorish[0]; // Python prints the error last
    const why = (thrown ?? (errLines.slice(-3).join(" / ") || lastLine || `exit ${p.status}`)).slice(0, 300);
    return { error: `${p.signal ? `killed by ${p.signal}: ` : p.status ? `exit ${p.status}: ` : ""}${why}` };
  }
  // A script that checks its own work throws; `verify` is a second look from here (e.g. at counts it reports).
  const bad = impl.verify?.(value, n) ?? workload.verify?.(value, n) ?? null;
  if (bad) return { error: `sanity check failed: ${bad}` };
  return { value };
}

function describeRun(workload, v) {
  const extras = (workload.extras ?? [])
    .filter(({ key }) => typeof v[key] === "number")
    .map(({ key, label, format }) => `, ${label} ${format ? format(v[key]) : v[key]}`)
    .join("");
  const kind = kindOf(workload);
  if (kind === "time") return `${v.seconds.toFixed(3)} s${extras}  (N=${v.n})`;
  if (kind === "rate") return `${formatRate(v[workload.metric], workload.unit)} (${formatSeconds(v.seconds)})${extras}  (N=${v.n})`;
  return `${v.bytes.toFixed(0)} B/task${typeof v.heapBytes === "number" ? `, heap ${v.heapBytes.toFixed(0)} B` : ""}${extras}  (N=${v.n})`;
}

function describeEnvironment() {
  const py = spawnSync(python, ["-c", "import sys, platform; print(platform.python_implementation(), sys.version.split()[0])"], {
    encoding: "utf8",
  });
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    node: process.version,
    python: py.status === 0 ? py.stdout.trim() : `${python} not runnable`,
    pythonPath: python,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model?.trim() ?? "unknown",
    memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    loadBefore: os.loadavg().map((l) => l.toFixed(2)).join(" "),
    nodeFlags: NODE_FLAGS.join(" "),
    memoryFlags: MEMORY_FLAGS.join(" "),
  };
}

function markdownReport(results, env, elapsed, summary) {
  const failed = summary.all.filter((t) => t.pass !== true);
  return [
    "# asyncio-ts benchmarks: latest run",
    "",
    `Written by bench/run.mjs (\`pnpm bench\`) on ${env.date}. See bench/README.md for what each workload measures.`,
    "",
    `- Node ${env.node} (${env.nodeFlags}; memory children add ${env.memoryFlags}), ${env.python} (${env.pythonPath})`,
    `- ${env.platform}, ${env.cpus} x ${env.cpuModel}, ${env.memoryGiB} GiB; load average ${env.loadBefore} before, ${env.loadAfter} after`,
    `- Each figure is the median of several runs, each in a fresh process (${DEFAULT_REPS} by default; ${repsNote()}); the suite took ${elapsed.toFixed(0)} s`,
    `- 1-minute load average when each workload started (other work shares this machine): ${results.map((r) => `${r.workload.id} ${r.load}`).join(", ")}`,
    `- Ratios compare time (or bytes) per task/op, so a row with a smaller N still compares fairly; a ratio below 1 means faster (or smaller) than the named baseline, except in the rate workloads (MB/s, round trips/s, URLs/s, tasks/s), where above 1 means faster`,
    "",
    `**Targets met: ${summary.passed} / ${summary.total}.**${failed.length ? " Not met: " + failed.map((t) => `${t.row} (${t.text})`).join("; ") + "." : ""}`,
    "",
    renderMarkdown(results),
    "",
  ].join("\n");
}

function repsNote() {
  const odd = WORKLOADS.filter((w) => w.reps && w.reps !== DEFAULT_REPS);
  return odd.map((w) => `${w.reps} for ${w.id}`).join(", ") || "the same for every workload";
}

function jsonReport(results, env, elapsed, summary) {
  return {
    environment: env,
    elapsedSeconds: +elapsed.toFixed(1),
    targets: { passed: summary.passed, total: summary.total },
    workloads: results.map(({ workload, rows, load, seconds }) => ({
      id: workload.id,
      loadAtStart: Number(load),
      elapsedSeconds: +seconds.toFixed(1),
      group: workload.group ?? null,
      title: workload.title,
      metric: workload.metric,
      kind: kindOf(workload),
      unit: workload.unit ?? null,
      reps: workload.reps ?? DEFAULT_REPS,
      baseline: workload.baseline,
      rows: rows.map((r) => ({
        id: r.id,
        label: r.label,
        n: r.n,
        median: r.value,
        perOp: r.perOp,
        runs: r.runs ?? null,
        heapBytes: r.heap,
        extras: r.extras ?? {},
        timePerOp: r.timePerOp ?? null,
        derived: r.derived ?? null,
        ratios: r.ratios.map(({ vs, value }) => ({ vs, value })),
        targets: r.targets,
        picked: r.picked ?? null,
        note: r.note,
        error: r.error,
      })),
    })),
  };
}

function log(msg) {
  process.stderr.write(msg + "\n");
}
