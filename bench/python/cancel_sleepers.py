"""Workload 3 (CPython): create N tasks sleeping an hour, cancel all, wait for all."""

import asyncio

from _bench import check, run_workload, timed

HOUR = 3600


def cpython(n):
    cancelled = 0

    async def sleeper():
        await asyncio.sleep(HOUR)

    async def main():
        nonlocal cancelled
        tasks = []
        for _ in range(n):
            tasks.append(asyncio.create_task(sleeper()))
        await asyncio.sleep(0)  # every task reaches its sleep
        for t in tasks:
            t.cancel()
        for t in tasks:
            try:
                await t
            except asyncio.CancelledError:
                cancelled += 1

    result = timed(lambda: asyncio.run(main()))
    check("tasks cancelled", cancelled, n)
    return result


run_workload({"cpython": cpython})
