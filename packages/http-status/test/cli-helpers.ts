import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

export const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));

export interface CliOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function cliEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  for (const key of ["FORCE_COLOR", "NO_COLOR", "NODE_OPTIONS", "ASYNCIO_TS_DEBUG"]) if (!(key in extra)) delete env[key];
  return env;
}

/** Runs the built `http-status` with `args`; `stdin` is written then closed (default: nothing, closed) unless `keepStdinOpen`. */
export function runCli(args: string[], options: { stdin?: string; keepStdinOpen?: boolean; onSpawn?: (child: ChildProcess) => void } = {}): Promise<CliOutcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: cliEnv(), stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.stdin.on("error", () => {});
    if (options.keepStdinOpen) child.stdin.write(options.stdin ?? "");
    else child.stdin.end(options.stdin ?? "");
    options.onSpawn?.(child);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
