// Shared by the streams benchmarks: loading the packages (built dist, or the
// installed names once bench depends on them) and peak RSS.
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));

export async function loadAsyncio() {
  try {
    const streams = await import("@asyncio-ts/streams");
    const tasks = await import("@asyncio-ts/tasks");
    return { ...tasks, ...streams };
  } catch {
    // Not a bench dependency yet: the packages' builds (run `npx tsup` in packages/streams first).
    const tasks = await import(`${root}packages/tasks/dist/index.js`);
    const streams = await import(`${root}packages/streams/dist/index.js`);
    return { ...tasks, ...streams };
  }
}

export function peakRssMb() {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

export function report(result) {
  console.log(JSON.stringify({ ...result, peakRssMb: peakRssMb() }));
}
