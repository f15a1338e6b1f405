// Loading the ESM and the CJS builds in one process must give one running-loop
// registry and mutually recognisable objects (CONTRACT: Symbol.for brands).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const dist = fileURLToPath(new URL("../dist/", import.meta.url));
const built = existsSync(`${dist}index.js`) && existsSync(`${dist}index.cjs`);

describe("ESM and CJS builds in one process", () => {
  it("share the running loop, task numbering and brands", () => {
    expect(built, "packages/tasks/dist is missing: run `pnpm build` first (the test command does)").toBe(true);
    const script = `
      import { createRequire } from "node:module";
      const require = createRequire(${JSON.stringify(dist)});
      const esm = await import(${JSON.stringify(`${dist}index.js`)});
      const cjs = require(${JSON.stringify(`${dist}index.cjs`)});
      if (esm.Task === cjs.Task) throw new Error("expected two copies");
      const out = await esm.run(async () => {
        const t = cjs.createTask(async () => { await esm.sleep(10); });
        await cjs.sleep(0);
        t.cancel("bye");
        let caught;
        try { await t; } catch (e) { caught = e; }
        return {
          sameLoop: esm.currentTask().getLoop() === t.getLoop(),
          cjsSeesEsmTask: cjs.currentTask() instanceof cjs.Task,
          esmFuture: t instanceof esm.Future && cjs.isFuture(esm.ensureFuture(Promise.resolve(1))),
          cancelledBoth: caught instanceof esm.CancelledError && caught instanceof cjs.CancelledError && cjs.CancelledError.isInstance(caught),
          names: [esm.currentTask().getName(), t.getName()],
        };
      });
      console.log(JSON.stringify(out));
    `;
    const out = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" }));
    expect(out).toEqual({ sameLoop: true, cjsSeesEsmTask: true, esmFuture: true, cancelledBoth: true, names: ["Task-1", "Task-2"] });
  });
});
