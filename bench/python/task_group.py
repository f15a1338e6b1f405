"""Issue 3, TaskGroup (CPython): one asyncio.TaskGroup with N children that
each sleep(0) once. Times the whole asyncio.run (twin of workloads/task-group.mjs)."""

import asyncio

from _bench import check, run_workload, timed


def cpython(n):
    woke = 0

    async def child():
        nonlocal woke
        await asyncio.sleep(0)
        woke += 1

    async def main():
        async with asyncio.TaskGroup() as tg:
            for _ in range(n):
                tg.create_task(child())
        check("children finished when the group exits", woke, n)

    result = timed(lambda: asyncio.run(main()))
    check("children woken", woke, n)
    return result


run_workload({"cpython": cpython})
