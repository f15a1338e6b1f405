"""Issue 3, gather (CPython): N children that each sleep a pseudo-random
0-10 ms (the same delays as workloads/gather-sleep.mjs), all awaited with
asyncio.gather. Reports the mean wake-up lateness as latenessMs."""

import asyncio
import time

from _bench import check, run_workload, timed


def delay_ms(i):
    return (i * 2654435761) % 2**32 / 2**32 * 10


def cpython(n):
    woke = 0
    late = 0.0
    total = 0

    async def child(i):
        nonlocal woke, late
        d = delay_ms(i)
        t0 = time.perf_counter()
        await asyncio.sleep(d / 1000)
        late += (time.perf_counter() - t0) * 1000 - d
        woke += 1
        return i

    async def main():
        nonlocal total
        results = await asyncio.gather(*[child(i) for i in range(n)])
        total = sum(results)

    result = timed(lambda: asyncio.run(main()))
    check("children woken", woke, n)
    check("sum of gathered results", total, n * (n - 1) // 2)
    return {**result, "latenessMs": late / n}


run_workload({"cpython": cpython})
