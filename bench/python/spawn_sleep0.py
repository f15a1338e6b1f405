"""Workload 1 (CPython): spawn N tasks that each sleep(0) once, then await each."""

import asyncio

from _bench import check, run_workload, timed


def cpython(n):
    woke = 0

    async def child():
        nonlocal woke
        await asyncio.sleep(0)
        woke += 1

    async def main():
        tasks = []
        for _ in range(n):
            tasks.append(asyncio.create_task(child()))
        for t in tasks:
            await t

    result = timed(lambda: asyncio.run(main()))
    check("tasks woken", woke, n)
    return result


run_workload({"cpython": cpython})
