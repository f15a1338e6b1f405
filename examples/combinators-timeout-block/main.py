# Seed: asyncio docs, "Coroutines and Tasks" > Timeouts: an async with asyncio.timeout() block.
import asyncio


async def long_running_task():
    await asyncio.sleep(10)


async def main():
    try:
        async with asyncio.timeout(1):
            await long_running_task()
    except TimeoutError:
        print("The long operation timed out, but we've handled it.")

    print("This statement will run regardless.")

asyncio.run(main())
