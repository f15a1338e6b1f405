# Seed: "Python Concurrency with asyncio", listing 2.7: three delay(3) tasks
# created, then awaited; they finish together after ~3 seconds, not 9.
import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / 'shared'))
from delay import delay  # noqa: E402


async def main():
    sleep_for_three = asyncio.create_task(delay(3))
    sleep_again = asyncio.create_task(delay(3))
    sleep_once_more = asyncio.create_task(delay(3))

    await sleep_for_three
    await sleep_again
    await sleep_once_more


asyncio.run(main())
