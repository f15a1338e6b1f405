# Seed: asyncio docs, Subprocesses: run(cmd) with create_subprocess_shell, once, then 'ls /zzz' and 'sleep 1; echo "hello"' in parallel with gather.
import asyncio


async def run(cmd):
    proc = await asyncio.create_subprocess_shell(
        cmd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE)

    stdout, stderr = await proc.communicate()

    print(f'[{cmd!r} exited with {proc.returncode}]')
    if stdout:
        print(f'[stdout]\n{stdout.decode()}')
    if stderr:
        print(f'[stderr]\n{stderr.decode()}')


async def main():
    await run('ls /zzz')
    await asyncio.gather(
        run('ls /zzz'),
        run('sleep 1; echo "hello"'))
    # The shell interprets the whole string: quotes, ;, pipes.
    await run('echo one two three | wc -w')


asyncio.run(main())
