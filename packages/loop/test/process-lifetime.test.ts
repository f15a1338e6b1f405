// An idle loop must not keep the process alive; a pending timer must.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const loopEntry = fileURLToPath(new URL("../src/index.ts", import.meta.url));

function runScript(body: string): string {
  const script = `import { EventLoop } from ${JSON.stringify(loopEntry)};\n${body}`;
  return execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    encoding: "utf8",
    timeout: 20_000,
  });
}

describe("process lifetime", () => {
  it("a running loop with nothing pending lets the process exit", () => {
    const out = runScript(`const loop = new EventLoop(); void loop.runForever(); console.log("started");`);
    expect(out.trim()).toBe("started");
  });

  it("a pending timer keeps the process alive until it fires", () => {
    const out = runScript(
      `const loop = new EventLoop(); loop.callLater(0.2, () => { console.log("fired"); loop.stop(); });\n` +
        `await loop.runForever(); console.log("stopped");`,
    );
    expect(out.trim().split("\n")).toEqual(["fired", "stopped"]);
  });

  it("a cancelled timer does not keep the process alive", () => {
    const started = Date.now();
    runScript(`const loop = new EventLoop(); const t = loop.callLater(3600, () => {}); void loop.runForever(); setTimeout(() => t.cancel(), 10);`);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
