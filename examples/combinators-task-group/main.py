# Seed: asyncio docs, "Coroutines and Tasks" > Task Groups: two tasks in a TaskGroup.
import asyncio



async def say_after(delay, what):
    await asyncio.sleep(delay)
    print(what)
    return what


async def main():
    async with asyncio.TaskGroup() as tg:
        task1 = tg.create_task(
            say_after(1, 'hello'))

        task2 = tg.create_task(
            say_after(2, 'world'))

        print("started")

    # The await is implicit when the context manager exits.

    print(f"finished: {task1.result()} {task2.result()}")

asyncio.run(main())
