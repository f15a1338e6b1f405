import { pathToFileURL } from "node:url";
import { Worker, type WorkerOptions } from "node:worker_threads";

/**
 * Where the worker entry is. The built package ships it as dist/worker.js next
 * to index.js (ESM) and index.cjs (CJS, where `__filename` is defined). When
 * this module runs from its TypeScript source (tests and examples under the
 * "asyncio-ts-source" condition), Node cannot load TypeScript in a worker
 * thread, so the built entry in ../../dist is used: build the package first.
 */
export function workerEntry(): URL {
  const here = typeof __filename === "string" ? pathToFileURL(__filename).href : import.meta.url;
  if (/\.[cm]?ts$/.test(new URL(here).pathname)) return new URL("../../dist/worker.js", here);
  return new URL("./worker.js", here);
}

/**
 * The worker's Node options: the parent's, without our source condition,
 * which would make the worker resolve our packages to TypeScript it cannot
 * load.
 */
export function workerExecArgv(): string[] {
  const out: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    // Heap sizes are process-wide: Node refuses them in a worker's execArgv
    // (ERR_WORKER_INVALID_EXEC_ARGV); workers share the process's heap limits.
    if (HEAP_FLAGS.some((flag) => arg === flag || arg.startsWith(`${flag}=`))) {
      if (!arg.includes("=")) i++;
      continue;
    }
    // How the main script was given (-e code, --input-type) is not the worker's
    // business: Node rejects --input-type for a worker's file entry.
    if (ENTRY_FLAGS.some((flag) => arg === flag || arg.startsWith(`${flag}=`))) {
      if (!arg.includes("=")) i++; // the value (the code, or the type) is the next argument
      continue;
    }
    if (arg === "--conditions=asyncio-ts-source" || arg === "-C=asyncio-ts-source") continue;
    if ((arg === "--conditions" || arg === "-C") && argv[i + 1] === "asyncio-ts-source") {
      i++;
      continue;
    }
    out.push(arg);
  }
  return out;
}

const HEAP_FLAGS = ["--max-old-space-size", "--max-semi-space-size", "--max-young-generation-size"];
const ENTRY_FLAGS = ["--input-type", "-e", "--eval", "-p", "--print"];

/** Flags of this process that Node refused in a worker's execArgv (V8 options such as --expose-gc). */
const refused = new Set<string>();

/**
 * Starts the worker entry with this process's Node options (see
 * workerExecArgv()). Node refuses V8 options in a worker's execArgv
 * (`--expose-gc`, `--stack-size`...; ERR_WORKER_INVALID_EXEC_ARGV), and there
 * is no list of them: the ones it names are dropped and the start tried again.
 */
export function startWorker(options: Omit<WorkerOptions, "execArgv">): Worker {
  for (;;) {
    const execArgv = workerExecArgv().filter((arg) => !refused.has(arg));
    try {
      return new Worker(workerEntry(), { ...options, execArgv });
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const named = code === "ERR_WORKER_INVALID_EXEC_ARGV" ? /flags: (.*)$/.exec((error as Error).message)?.[1]?.split(/,\s*/) ?? [] : [];
      const fresh = named.filter((flag) => execArgv.includes(flag));
      if (fresh.length === 0) throw error;
      for (const flag of fresh) refused.add(flag);
    }
  }
}
