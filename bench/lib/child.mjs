/**
 * The child side of the benchmark protocol. A workload script is run as
 * `node <script> <impl> <n>` and prints exactly one JSON line on stdout:
 * `{ impl, n, seconds }` for timings or `{ impl, n, bytes, heapBytes }` for
 * memory. Anything else goes to stderr. `bench/run.mjs` parses that line.
 */

/**
 * Runs the implementation named by argv[2] with N = argv[3].
 * @param {Record<string, (n: number) => Promise<object>>} impls
 */
export async function runWorkload(impls) {
  const [impl, nArg] = process.argv.slice(2);
  const n = Number(nArg);
  const fn = Object.hasOwn(impls, impl ?? "") ? impls[impl] : undefined;
  if (fn === undefined || !Number.isSafeInteger(n) || n <= 0) {
    console.error(`usage: node ${process.argv[1]} <${Object.keys(impls).join("|")}> <n>`);
    process.exit(2);
  }
  const result = await fn(n);
  process.stdout.write(JSON.stringify({ impl, n, ...result }) + "\n");
}

/** Wall-clock seconds taken by `fn()` (awaited). */
export async function timed(fn) {
  const start = performance.now();
  await fn();
  return { seconds: (performance.now() - start) / 1000 };
}

/** Throws unless `actual === expected`: a benchmark that did not do its work must not report a time. */
export function check(what, actual, expected) {
  if (actual !== expected) throw new Error(`sanity check failed: ${what} = ${actual}, expected ${expected}`);
}
