// Seed: the asyncio guide's "run commands in non-blocking subprocesses": echo and ls run directly with create_subprocess_exec (no shell), on a folder this program creates.
// Twin of ./main.py.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSubprocessExec, PIPE, run } from "asyncio-ts";

async function runCommand(program: string, ...args: string[]): Promise<void> {
  // No shell: every argument reaches the program exactly as written.
  const proc = await createSubprocessExec(program, ...args, { stdout: PIPE, stderr: PIPE });

  const [stdout, stderr] = await proc.communicate();

  console.log(`[${[program, ...args].join(" ")} exited with ${proc.returncode}]`);
  if (stdout !== null && stdout.length > 0) process.stdout.write(`[stdout]\n${stdout.toString()}`);
  if (stderr !== null && stderr.length > 0) process.stdout.write(`[stderr]\n${stderr.toString()}`);
}

async function main(): Promise<void> {
  await runCommand("echo", "Hello World");
  await runCommand("echo", "not expanded: $HOME *.txt");
  const folder = mkdtempSync(join(tmpdir(), "tmp"));
  try {
    for (const name of ["beta.txt", "alpha.txt", "gamma.txt"]) writeFileSync(join(folder, name), "");
    process.chdir(folder);
    await runCommand("ls");
    await runCommand("ls", "alpha.txt", "missing.txt");
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

await run(main);
