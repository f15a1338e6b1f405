"""Thread bridge: CPU-bound tasks moved off the loop (twin of workloads/threads-cpu.mjs).

    python3 python/threads_cpu.py <impl> <n>      one JSON line on stdout

impl: sequential    n CPU tasks one after the other
      to_thread     n CPU tasks with asyncio.to_thread, all at once (hashlib
                    releases the GIL for large inputs, so threads run in parallel)
      process_pool  n CPU tasks with loop.run_in_executor(ProcessPoolExecutor(os.cpu_count()))
      noop          n no-op to_thread calls at once: per-call overhead
      noop-serial   n no-op to_thread calls awaited one by one
"""

import asyncio
import hashlib
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor

sys.path.insert(0, os.path.dirname(__file__))
from _bench import check, run_workload  # noqa: E402

DATA = bytearray(b"\x07" * (64 * 1024))


def cpu_task(seed):
    digest = str(seed).encode()
    data = bytearray(DATA)
    for _ in range(50):
        data[: min(16, len(digest))] = digest[:16]
        digest = hashlib.sha256(data).digest()
    return digest[0]


def noop():
    return None


def timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def sequential(n):
    total = []
    seconds = timed(lambda: total.extend(cpu_task(i) for i in range(n)))
    check("tasks done", len(total), n)
    return {"seconds": seconds, "tasksPerSecond": n / seconds}


def to_thread(n):
    async def main():
        return await asyncio.gather(*(asyncio.to_thread(cpu_task, i) for i in range(n)))

    out = []
    seconds = timed(lambda: out.extend(asyncio.run(main())))
    check("tasks done", len(out), n)
    return {"seconds": seconds, "tasksPerSecond": n / seconds}


def process_pool(n):
    workers = os.cpu_count()

    async def main():
        loop = asyncio.get_running_loop()
        with ProcessPoolExecutor(workers) as pool:
            return await asyncio.gather(*(loop.run_in_executor(pool, cpu_task, i) for i in range(n)))

    out = []
    seconds = timed(lambda: out.extend(asyncio.run(main())))
    check("tasks done", len(out), n)
    check("every result a digest byte", all(0 <= x <= 255 for x in out), True)
    return {"seconds": seconds, "tasksPerSecond": n / seconds, "workers": workers}


def noop_calls(n):
    async def main():
        return await asyncio.gather(*(asyncio.to_thread(noop) for _ in range(n)))

    out = []
    seconds = timed(lambda: out.extend(asyncio.run(main())))
    check("calls done", len(out), n)
    return {"seconds": seconds, "microsecondsPerCall": seconds * 1e6 / n}


def noop_serial(n):
    async def main():
        for _ in range(n):
            await asyncio.to_thread(noop)

    seconds = timed(lambda: asyncio.run(main()))
    return {"seconds": seconds, "microsecondsPerCall": seconds * 1e6 / n}


if __name__ == "__main__":
    run_workload({
        "sequential": sequential,
        "to_thread": to_thread,
        "process_pool": process_pool,
        "noop": noop_calls,
        "noop-serial": noop_serial,
    })
