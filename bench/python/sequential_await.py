"""Workload 2 (CPython): N sequential awaits of a trivial coroutine in one task."""

import asyncio
import time

from _bench import check, run_workload


async def trivial():
    return 1


def cpython(n):
    """`await trivial()` of an `async def` that returns at once."""
    result = {}

    async def main():
        start = time.perf_counter()
        total = 0
        for _ in range(n):
            total += await trivial()
        result["seconds"] = time.perf_counter() - start
        check("sum of awaited values", total, n)

    asyncio.run(main())
    return result


def cpython_future(n):
    """`await fut` of an already-done Future."""
    result = {}

    async def main():
        fut = asyncio.get_running_loop().create_future()
        fut.set_result(1)
        start = time.perf_counter()
        total = 0
        for _ in range(n):
            total += await fut
        result["seconds"] = time.perf_counter() - start
        check("sum of awaited values", total, n)

    asyncio.run(main())
    return result


run_workload({"cpython": cpython, "cpython-future": cpython_future})
