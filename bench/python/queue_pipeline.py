"""Issue 4, queue pipeline (CPython): one producer puts N items into
asyncio.Queue(maxsize=100), 4 consumers add them up; join(), then one -1
sentinel per consumer (twin of workloads/queue-pipeline.mjs)."""

import asyncio
import time

from _bench import check, run_workload

CONSUMERS = 4


def cpython(n):
    result = {}

    async def main():
        start = time.perf_counter()
        queue = asyncio.Queue(maxsize=100)
        total = 0

        async def consumer():
            nonlocal total
            while True:
                item = await queue.get()
                if item < 0:
                    return
                total += item
                queue.task_done()

        consumers = [asyncio.create_task(consumer()) for _ in range(CONSUMERS)]
        for i in range(n):
            await queue.put(i)
        await queue.join()
        for _ in range(CONSUMERS):
            await queue.put(-1)
        for c in consumers:
            await c
        result["seconds"] = time.perf_counter() - start
        check("sum of consumed items", total, n * (n - 1) // 2)

    asyncio.run(main())
    return result


run_workload({"cpython": cpython})
