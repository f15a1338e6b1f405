"""Workload 4 (CPython): memory per pending task.

Creates N tasks that sleep an hour, lets each reach its sleep, and reports
(RSS after - RSS before) / N with gc.collect() before each reading.
"bare-coro" holds N suspended coroutine objects of the same shape with no
task and no loop: the coroutine's own cost.
"""

import asyncio
import gc
import os
import resource

from _bench import check, run_workload

HOUR = 3600
PAGE = resource.getpagesize()


def rss():
    """Current resident set size in bytes (Linux /proc; else the peak from getrusage)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * PAGE
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def snapshot():
    gc.collect()
    return rss()


def per_item(before, after, n, held):
    check("items held", len(held), n)
    return {"bytes": (after - before) / n}


def cpython(n):
    async def sleeper():
        await asyncio.sleep(HOUR)

    async def main():
        before = snapshot()
        tasks = [None] * n
        for i in range(n):
            tasks[i] = asyncio.create_task(sleeper())
        await asyncio.sleep(0)  # every task reaches its sleep
        result = per_item(before, snapshot(), n, tasks)
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        return result

    return asyncio.run(main())


class _Parked:
    """An awaitable that suspends once, like a future that is not done."""

    def __await__(self):
        yield


PARKED = _Parked()


def bare_coro(n):
    async def sleeper():
        await PARKED

    before = snapshot()
    coros = [None] * n
    for i in range(n):
        coros[i] = sleeper()
        coros[i].send(None)  # run to the suspension point
    result = per_item(before, snapshot(), n, coros)
    for c in coros:
        c.close()
    return result


run_workload({"cpython": cpython, "bare-coro": bare_coro})
