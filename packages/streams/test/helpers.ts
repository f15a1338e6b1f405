import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EventLoop } from "@asyncio-ts/loop";
import { getRunningLoop } from "@asyncio-ts/loop";
import { run, type Coroutine } from "@asyncio-ts/tasks";

export const HOST = "127.0.0.1";

/** Runs `main` on a fresh loop (asyncio.run), collecting what reaches the exception handler. */
export async function runLoop<T>(main: (ctx: { loop: EventLoop; errors: Record<string, unknown>[] }) => Promise<T> | Generator<unknown, T, unknown>): Promise<T> {
  return run((async () => {
    const loop = getRunningLoop();
    const errors: Record<string, unknown>[] = [];
    loop.setExceptionHandler((_loop, context) => void errors.push(context));
    const result = main({ loop, errors });
    if (result !== null && typeof result === "object" && typeof (result as Generator).next === "function" && typeof (result as Generator).throw === "function") {
      return (await loop.createTask(result as Coroutine<T>)) as T;
    }
    return await (result as Promise<T>);
  }) as Coroutine<T>);
}

/** A fresh temporary directory, removed by the returned function. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "asyncio-ts-streams-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TestCert {
  key: string;
  cert: string;
}

let cached: TestCert | null = null;

/** A self-signed certificate for localhost / 127.0.0.1, made now with openssl (no fixed files that expire). */
export function makeCert(): TestCert {
  if (cached !== null) return cached;
  const { dir, remove } = tempDir();
  try {
    execFileSync("openssl", [
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
      "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"), "-days", "1",
      "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
    ], { stdio: "ignore" });
    cached = { key: readFileSync(join(dir, "key.pem"), "utf8"), cert: readFileSync(join(dir, "cert.pem"), "utf8") };
    return cached;
  } finally {
    remove();
  }
}

/** Bytes from a string. */
export function b(text: string): Buffer {
  return Buffer.from(text, "latin1");
}
