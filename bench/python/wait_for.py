"""Issue 3, wait_for (CPython): N quick awaits in one task, bare and wrapped in
asyncio.wait_for(..., 60); the coroutine does sleep(0) once and returns 1.
Times only the loop (twin of workloads/wait-for.mjs)."""

import asyncio
import time

from _bench import check, run_workload

TIMEOUT = 60


async def quick():
    await asyncio.sleep(0)
    return 1


def measure(n, wrap):
    result = {}

    async def main():
        start = time.perf_counter()
        total = 0
        if wrap:
            for _ in range(n):
                total += await asyncio.wait_for(quick(), TIMEOUT)
        else:
            for _ in range(n):
                total += await quick()
        result["seconds"] = time.perf_counter() - start
        check("sum of awaited values", total, n)

    asyncio.run(main())
    return result


run_workload({"cpython-bare": lambda n: measure(n, False), "cpython-waitfor": lambda n: measure(n, True)})
