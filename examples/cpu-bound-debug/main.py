# Seed: "Python Concurrency with asyncio", listing 2.20: a CPU-bound task run
# in debug mode, which makes asyncio warn "Executing <Task ...> took N seconds".
# The book counts to 100,000,000 (about 4 s on CPython); 10,000,000 (about
# 0.4 s) is plenty to cross the 0.1 s slow_callback_duration.
import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / 'shared'))
from async_timed import async_timed  # noqa: E402


@async_timed()
async def cpu_bound_work() -> int:
    counter = 0
    for i in range(10000000):
        counter = counter + 1
    return counter


async def main() -> None:
    task_one = asyncio.create_task(cpu_bound_work())
    await task_one


asyncio.run(main(), debug=True)
