# Seed: "Python Concurrency with asyncio", listings 2.20 and 7.x: two CPU-bound
# tasks in the loop take the sum of their times (debug mode names each slow
# step), then the same counting moved to threads with asyncio.to_thread.
# In CPython the GIL keeps pure-Python counting from running in parallel;
# the TypeScript twin's worker threads do run in parallel.
import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / 'shared'))
from async_timed import async_timed  # noqa: E402

COUNT = 10_000_000


def count(n: int) -> int:
    counter = 0
    for i in range(n):
        counter = counter + 1
    return counter


@async_timed()
async def cpu_bound_work() -> int:
    return count(COUNT)


@async_timed()
async def in_the_loop() -> None:
    task_one = asyncio.create_task(cpu_bound_work())
    task_two = asyncio.create_task(cpu_bound_work())
    results = [await task_one, await task_two]
    print(f"in the loop: both counts done: {results == [COUNT, COUNT]}")


@async_timed()
async def in_threads() -> None:
    results = await asyncio.gather(asyncio.to_thread(count, COUNT), asyncio.to_thread(count, COUNT))
    print(f"in threads: both counts done: {results == [COUNT, COUNT]}")


async def main() -> None:
    await in_the_loop()
    await in_threads()


asyncio.run(main(), debug=True)
