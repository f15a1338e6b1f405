# Seed: the asyncio guide's "run commands in non-blocking subprocesses": echo and ls run directly with create_subprocess_exec (no shell), on a folder this program creates.
import asyncio
import os
import tempfile


async def run(program, *args):
    # No shell: every argument reaches the program exactly as written.
    proc = await asyncio.create_subprocess_exec(
        program, *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE)

    stdout, stderr = await proc.communicate()

    print(f'[{" ".join((program, *args))} exited with {proc.returncode}]')
    if stdout:
        print(f'[stdout]\n{stdout.decode()}', end='')
    if stderr:
        print(f'[stderr]\n{stderr.decode()}', end='')


async def main():
    await run('echo', 'Hello World')
    await run('echo', 'not expanded: $HOME *.txt')
    with tempfile.TemporaryDirectory() as folder:
        for name in ('beta.txt', 'alpha.txt', 'gamma.txt'):
            with open(os.path.join(folder, name), 'w'):
                pass
        os.chdir(folder)
        await run('ls')
        await run('ls', 'alpha.txt', 'missing.txt')


asyncio.run(main())
