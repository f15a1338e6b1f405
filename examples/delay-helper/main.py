# Seed: "Python Concurrency with asyncio", listings 2.4 and 2.5: the reusable
# delay(seconds) helper (../shared/delay.py) used by two coroutines.
import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / 'shared'))
from delay import delay  # noqa: E402


async def add_one(number: int) -> int:
    return number + 1


async def hello_world_message() -> str:
    await delay(1)
    return 'Hello World!'


async def main() -> None:
    message = await hello_world_message()
    one_plus_one = await add_one(1)
    print(one_plus_one)
    print(message)


asyncio.run(main())
