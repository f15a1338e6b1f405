"""Standalone: producer/consumer through asyncio.Queue(maxsize=100), N items
(default 1,000,000), 4 consumers; or (--lock) an uncontended Lock
acquire/release pair. Prints {"seconds": x, ...} as JSON."""

import asyncio
import json
import sys
import time

CONSUMERS = 4


async def pipeline(n):
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

    start = time.perf_counter()
    consumers = [asyncio.create_task(consumer()) for _ in range(CONSUMERS)]
    for i in range(n):
        await queue.put(i)
    await queue.join()
    for _ in range(CONSUMERS):
        await queue.put(-1)
    for c in consumers:
        await c
    seconds = time.perf_counter() - start
    assert total == n * (n - 1) // 2, total
    return seconds


async def lock_pairs(n):
    lock = asyncio.Lock()
    start = time.perf_counter()
    for _ in range(n):
        await lock.acquire()
        lock.release()
    return time.perf_counter() - start


def main():
    args = sys.argv[1:]
    n = int(next((a for a in args if a.isdigit()), 1_000_000))
    if "--lock" in args:
        seconds = asyncio.run(lock_pairs(n))
        print(json.dumps({"seconds": seconds, "nsPerPair": seconds * 1e9 / n, "pairs": n}))
    else:
        seconds = asyncio.run(pipeline(n))
        print(json.dumps({"seconds": seconds, "items": n, "consumers": CONSUMERS}))


if __name__ == "__main__":
    main()
