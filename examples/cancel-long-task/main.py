# Seed: "Python Concurrency with asyncio", listing 2.9 "Canceling a task":
# a delay(10) task polled every second and cancelled after 5 seconds.
import asyncio
import sys
from asyncio import CancelledError
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / 'shared'))
from delay import delay  # noqa: E402


async def main():
    long_task = asyncio.create_task(delay(10))

    seconds_elapsed = 0

    while not long_task.done():
        print('Task not finished, checking again in a second.')
        await asyncio.sleep(1)
        seconds_elapsed = seconds_elapsed + 1
        if seconds_elapsed == 5:
            long_task.cancel()

    try:
        await long_task
    except CancelledError:
        print('Our task was cancelled')


asyncio.run(main())
