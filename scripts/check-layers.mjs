// Checks the package layering of CONTRACT §3: dependencies only point down
// (loop <- tasks <- combinators, sync; streams, subprocess, threads, http-status
// on top; the meta-package re-exports), siblings are imported by package name
// only, there are no cycles, and the portable core imports no `node:` module.
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join, relative } from "node:path";

const ALLOWED = {
  loop: [],
  tasks: ["loop"],
  combinators: ["loop", "tasks"],
  sync: ["loop", "tasks"],
  streams: ["loop", "tasks", "combinators", "sync"],
  subprocess: ["loop", "tasks", "combinators", "sync", "streams"],
  threads: ["loop", "tasks", "combinators", "sync"],
  "http-status": ["loop", "tasks", "combinators", "sync", "streams"],
  asyncio: ["loop", "tasks", "combinators", "sync", "streams", "subprocess", "threads", "http-status"],
};
const PORTABLE = new Set(["loop", "tasks", "combinators", "sync"]);

const root = new URL("..", import.meta.url).pathname;
const folders = readdirSync(join(root, "packages")).filter((f) => existsSync(join(root, "packages", f, "package.json")));
const nameToFolder = new Map();
for (const f of folders) nameToFolder.set(JSON.parse(readFileSync(join(root, "packages", f, "package.json"), "utf8")).name, f);

const problems = [];
const graph = new Map();
for (const folder of folders) {
  const pkg = JSON.parse(readFileSync(join(root, "packages", folder, "package.json"), "utf8"));
  const allowed = ALLOWED[folder];
  if (!allowed) {
    problems.push(`packages/${folder}: not in the layering table of scripts/check-layers.mjs (add it, following CONTRACT §3)`);
    continue;
  }
  const deps = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies, ...pkg.devDependencies }).filter((d) => nameToFolder.has(d));
  graph.set(folder, deps.map((d) => nameToFolder.get(d)));
  for (const dep of deps) {
    if (!allowed.includes(nameToFolder.get(dep))) problems.push(`packages/${folder} depends on ${dep}: not allowed by CONTRACT §3`);
  }
  for (const file of walk(join(root, "packages", folder, "src"))) {
    const text = readFileSync(file, "utf8");
    const where = relative(root, file);
    // Import and export statements at the start of a line, and dynamic import():
    // not the words inside comments, doc examples or error messages.
    const specs = [...text.matchAll(/^\s*(?:import|export)\s[^"';]*?from\s*["']([^"']+)["']|^\s*import\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/gm)].map((m) => m[1] ?? m[2] ?? m[3]);
    for (const spec of specs) {
      if (spec.startsWith("@asyncio-ts/") || spec === "asyncio-ts") {
        const name = spec.startsWith("@asyncio-ts/") ? spec.split("/").slice(0, 2).join("/") : spec;
        if (!deps.includes(name)) problems.push(`${where} imports ${spec}, which packages/${folder}/package.json does not depend on`);
        if (/\/(dist|src)\//.test(spec)) problems.push(`${where} imports ${spec}: import siblings by package name, not by path`);
      } else if (spec.startsWith(".") && !join(file, "..", spec).startsWith(join(root, "packages", folder, "src"))) {
        problems.push(`${where} imports ${spec}: relative imports must stay inside the package`);
      } else if (spec.startsWith("node:") && PORTABLE.has(folder)) {
        problems.push(`${where} imports ${spec}: ${folder} must run outside Node (CONTRACT §0); detect the feature at run time`);
      }
    }
  }
}

// Cycles (depth-first search over package dependencies).
const state = new Map();
function visit(node, path) {
  if (state.get(node) === "done") return;
  if (state.get(node) === "active") {
    problems.push(`dependency cycle: ${[...path.slice(path.indexOf(node)), node].join(" -> ")}`);
    return;
  }
  state.set(node, "active");
  for (const next of graph.get(node) ?? []) visit(next, [...path, node]);
  state.set(node, "done");
}
for (const node of graph.keys()) visit(node, []);

function* walk(dir) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (/\.(ts|mts|cts|js|mjs)$/.test(entry.name)) yield path;
  }
}

if (problems.length > 0) {
  console.error(`layering check failed:\n- ${problems.join("\n- ")}`);
  process.exit(1);
}
console.log(`layering check: ${graph.size} packages, dependencies point down, no cycles`);
