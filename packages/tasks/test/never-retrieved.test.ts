// "Task exception was never retrieved" is reported when such a task is collected.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const entry = fileURLToPath(new URL("../src/index.ts", import.meta.url));

describe("never-retrieved exceptions", () => {
  it("are reported through the exception handler when the task is collected", () => {
    const script = `
      import { run, createTask, sleep } from ${JSON.stringify(entry)};
      import { getRunningLoop } from "@asyncio-ts/loop";
      const seen = [];
      await run(async () => {
        getRunningLoop().setExceptionHandler((_l, c) => seen.push(c.message + " / " + c.exception.message));
        createTask(async function failing() { throw new Error("lost"); });
        const kept = createTask(async function retrieved() { throw new Error("kept"); });
        await sleep(0); await sleep(0);
        try { await kept; } catch {}
        for (let i = 0; i < 5 && seen.length === 0; i++) { globalThis.gc(); await sleep(0.01); }
      });
      console.log(JSON.stringify(seen));
    `;
    const out = execFileSync(process.execPath, ["--expose-gc", "--conditions=asyncio-ts-source", "--import", "tsx", "--input-type=module", "-e", script], {
      encoding: "utf8",
      cwd: fileURLToPath(new URL("..", import.meta.url)),
    });
    expect(JSON.parse(out)).toEqual(["Task exception was never retrieved / lost"]);
  });
});

describe("never-retrieved exceptions in debug mode", () => {
  // loop.set_debug(True); t = loop.create_task(bad()); run; del t; gc.collect()
  // -> ['exception', 'future', 'message', 'source_traceback'] 'Task exception was never retrieved'
  // Before the fix, ours: no source_traceback.
  it("carry the task's creation stack as source_traceback", () => {
    const script = `
      import { run, createTask, sleep } from ${JSON.stringify(entry)};
      import { getRunningLoop } from "@asyncio-ts/loop";
      const seen = [];
      await run(async () => {
        getRunningLoop().setExceptionHandler((_l, c) => seen.push([Object.keys(c).sort(), c.message, String(c.source_traceback).includes("[eval")]));
        createTask(async function failing() { throw new Error("lost"); });
        await sleep(0); await sleep(0);
        for (let i = 0; i < 5 && seen.length === 0; i++) { globalThis.gc(); await sleep(0.01); }
      }, { debug: true });
      console.log(JSON.stringify(seen));
    `;
    const out = execFileSync(process.execPath, ["--expose-gc", "--conditions=asyncio-ts-source", "--import", "tsx", "--input-type=module", "-e", script], {
      encoding: "utf8",
      cwd: fileURLToPath(new URL("..", import.meta.url)),
    });
    expect(JSON.parse(out)).toEqual([[["exception", "future", "message", "source_traceback"], "Task exception was never retrieved", true]]);
  });
});
