"""Issue 4, uncontended Lock (CPython): N `await lock.acquire(); lock.release()`
pairs in one task; times only the loop (twin of workloads/lock-pair.mjs)."""

import asyncio
import time

from _bench import check, run_workload


def cpython(n):
    result = {}

    async def main():
        lock = asyncio.Lock()
        pairs = 0
        start = time.perf_counter()
        for _ in range(n):
            await lock.acquire()
            pairs += 1
            lock.release()
        result["seconds"] = time.perf_counter() - start
        check("pairs", pairs, n)
        check("lock free at the end", lock.locked(), False)

    asyncio.run(main())
    return result


run_workload({"cpython": cpython})
