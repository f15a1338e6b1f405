# Seed: asyncio docs, wait_for(): shield() keeps the task running after the timeout.
import asyncio


async def slow_operation():
    await asyncio.sleep(2)
    print("slow operation finished")
    return 42


async def main():
    task = asyncio.create_task(slow_operation())
    try:
        await asyncio.wait_for(asyncio.shield(task), 1)
    except TimeoutError:
        print(f"timed out; the task is still running: {not task.done()}")
    print(f"the task returned {await task}")

asyncio.run(main())
