// Seed: asyncio docs, Subprocesses: run(cmd) with create_subprocess_shell, once, then 'ls /zzz' and 'sleep 1; echo "hello"' in parallel with gather.
// Twin of ./main.py.
import { createSubprocessShell, gather, PIPE, run } from "asyncio-ts";

async function runCommand(cmd: string): Promise<void> {
  const proc = await createSubprocessShell(cmd, { stdout: PIPE, stderr: PIPE });

  const [stdout, stderr] = await proc.communicate();

  console.log(`['${cmd}' exited with ${proc.returncode}]`); // Python's {cmd!r}
  if (stdout !== null && stdout.length > 0) console.log(`[stdout]\n${stdout.toString()}`);
  if (stderr !== null && stderr.length > 0) console.log(`[stderr]\n${stderr.toString()}`);
}

async function main(): Promise<void> {
  await runCommand("ls /zzz");
  await gather(
    () => runCommand("ls /zzz"),
    () => runCommand('sleep 1; echo "hello"'),
  );
  // The shell interprets the whole string: quotes, ;, pipes.
  await runCommand("echo one two three | wc -w");
}

await run(main);
