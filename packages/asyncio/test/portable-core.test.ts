// CONTRACT §0: loop, tasks, combinators and sync import no `node:` module and
// run where Node's globals are missing (browsers, Deno, Bun); §2: without
// AsyncLocalStorage, async coroutines still know their task at our awaits.
// The four packages are bundled for the browser (a `node:` import fails the
// build) and run in a fresh V8 context that has only web-standard globals:
// no `process`, `setImmediate`, `require` or AsyncLocalStorage.
import { MessageChannel } from "node:worker_threads";
import vm from "node:vm";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

async function bundleCore(): Promise<string> {
  const result = await build({
    stdin: {
      contents: ["loop", "tasks", "combinators", "sync"].map((p) => `export * from "@asyncio-ts/${p}";`).join("\n"),
      resolveDir: packageDir,
      loader: "js",
    },
    bundle: true,
    platform: "browser",
    format: "iife",
    globalName: "asyncio",
    conditions: ["asyncio-ts-source"],
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}

/** What the scenario below prints; each line is what CPython 3.12 does with the same program. */
const EXPECTED = [
  "runtime: process=undefined setImmediate=undefined",
  "gather: Task-2,gen",
  "after foreign microtask: Task-1",
  "plain callback sees: null",
  "cancel async: cancelled=true cleanup=true",
  "cancel gen: cancelled=true cleanup=true",
  "waitFor: TimeoutError inner-cancelled=true",
  "timeout scope: expired=true",
  "taskGroup: ExceptionGroup [boom] sibling-cancelled=true",
  "queue: 0,1,2,3,4 lock-held-by-one=true",
  "shield: inner=done outer-cancelled=true",
];

const SCENARIO = `
const { run, sleep, gather, createTask, currentTask, waitFor, timeout, taskGroup, shield, Lock, Queue,
        TimeoutError, ExceptionGroup, CancelledError, getRunningLoop } = asyncio;
run(async () => {
  print("runtime: process=" + typeof process + " setImmediate=" + typeof setImmediate);

  const r = await gather(
    async () => { await sleep(0.001); await sleep(0); return currentTask().getName(); },
    function* () { yield* sleep(0.002); return "gen"; },
  );
  print("gather: " + r.join(","));

  // Awaiting a promise that settles in the same drain keeps the task known.
  await Promise.resolve();
  await sleep(0);
  print("after foreign microtask: " + currentTask().getName());

  let seen = "unset";
  getRunningLoop().callSoon(() => { seen = currentTask(); });
  await sleep(0);
  await sleep(0);
  print("plain callback sees: " + seen);

  let cleanup = false;
  const a = createTask(async () => { try { await sleep(10); } finally { cleanup = true; } });
  await sleep(0);
  a.cancel();
  try { await a; } catch (e) { if (!(e instanceof CancelledError)) throw e; }
  print("cancel async: cancelled=" + a.cancelled() + " cleanup=" + cleanup);

  cleanup = false;
  const g = createTask(function* () { try { yield* sleep(10); } finally { cleanup = true; } });
  await sleep(0);
  g.cancel();
  try { await g; } catch (e) { if (!(e instanceof CancelledError)) throw e; }
  print("cancel gen: cancelled=" + g.cancelled() + " cleanup=" + cleanup);

  let innerCancelled = false;
  try {
    await waitFor(async () => { try { await sleep(10); } catch (e) { innerCancelled = e instanceof CancelledError; throw e; } }, 0.005);
  } catch (e) {
    print("waitFor: " + e.name + " inner-cancelled=" + innerCancelled);
  }

  let scope;
  try {
    await timeout(0.005, async (cm) => { scope = cm; await sleep(10); });
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    print("timeout scope: expired=" + scope.expired());
  }

  let sibling;
  try {
    await taskGroup(async (tg) => {
      sibling = tg.createTask(async () => { await sleep(10); });
      tg.createTask(async () => { await sleep(0.001); throw new Error("boom"); });
    });
  } catch (e) {
    print("taskGroup: " + e.name + " [" + e.exceptions.map((x) => x.message) + "] sibling-cancelled=" + sibling.cancelled());
  }

  const q = new Queue({ maxsize: 2 });
  const lock = new Lock();
  const got = [];
  let holders = 0, maxHolders = 0;
  const consumer = createTask(async () => {
    for (;;) {
      const item = await q.get();
      await lock.acquire();
      try { holders++; maxHolders = Math.max(maxHolders, holders); await sleep(0); got.push(item); holders--; }
      finally { lock.release(); }
      q.taskDone();
    }
  });
  for (let i = 0; i < 5; i++) await q.put(i);
  await q.join();
  consumer.cancel();
  try { await consumer; } catch (e) { if (!(e instanceof CancelledError)) throw e; }
  print("queue: " + got.join(",") + " lock-held-by-one=" + (maxHolders === 1));

  const inner = createTask(async () => { await sleep(0.002); return "done"; });
  const outer = createTask(async () => await shield(inner));
  await sleep(0);
  outer.cancel();
  try { await outer; } catch (e) { if (!(e instanceof CancelledError)) throw e; }
  print("shield: inner=" + (await inner) + " outer-cancelled=" + outer.cancelled());
});
`;

async function runScenario(globals: Record<string, unknown>): Promise<string[]> {
  const lines: string[] = [];
  const context = vm.createContext({
    setTimeout,
    clearTimeout,
    queueMicrotask,
    performance,
    AbortController,
    AbortSignal,
    EventTarget,
    Event,
    DOMException,
    print: (line: string) => lines.push(line),
    ...globals,
  });
  vm.runInContext(await bundleCore(), context);
  await (vm.runInContext(SCENARIO, context) as Promise<void>);
  return lines;
}

describe("the core packages without Node's globals", () => {
  it("bundle for the browser: no node: imports", async () => {
    const code = await bundleCore();
    expect(code).not.toMatch(/require\(["']node:/);
    expect(code).toContain("asyncio-ts.state");
  });

  it("run with setTimeout only (the loop's fallback for macrotasks)", async () => {
    expect(await runScenario({})).toEqual(EXPECTED);
  });

  it("run with MessageChannel (a browser's macrotask)", async () => {
    expect(await runScenario({ MessageChannel })).toEqual(EXPECTED);
  });
});
