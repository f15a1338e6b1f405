import { fileURLToPath } from "node:url";
import { moduleFunction, type ModuleFunction } from "@asyncio-ts/threads";

export const WORK = new URL("./fixtures/jobs.mjs", import.meta.url);
export const MAIN_SIDE = new URL("./fixtures/main-side.mjs", import.meta.url);
export const WORK_PATH = fileURLToPath(WORK);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixtures are plain JS
export function work(name: string): ModuleFunction<(...args: any[]) => any> {
  return moduleFunction(WORK, name);
}

/** A shared Int32Array counter, and a function to read it. */
export function sharedCounter(): { buffer: SharedArrayBuffer; value: () => number } {
  const buffer = new SharedArrayBuffer(4);
  const view = new Int32Array(buffer);
  return { buffer, value: () => Atomics.load(view, 0) };
}

/** Resolves once the shared word becomes `value` (polling; real threads, no virtual time). */
export async function waitForWord(buffer: SharedArrayBuffer, value: number, timeoutMs = 5000): Promise<void> {
  const view = new Int32Array(buffer);
  const end = Date.now() + timeoutMs;
  while (Atomics.load(view, 0) !== value) {
    if (Date.now() > end) throw new Error(`shared word never became ${value}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
