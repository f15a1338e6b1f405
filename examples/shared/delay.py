# Seed: the `delay(seconds)` helper of "Python Concurrency with asyncio"
# (listing 2.4, util/delay_functions.py), shared by several examples.
import asyncio


async def delay(delay_seconds: int) -> int:
    print(f'sleeping for {delay_seconds} second(s)')
    await asyncio.sleep(delay_seconds)
    print(f'finished sleeping for {delay_seconds} second(s)')
    return delay_seconds
