# Seed: asyncio docs, "Developing with asyncio" / the guide's common error 5: a race between coroutines sharing state across an await.
# Twin: ./main.ts.
import asyncio

counter = 0


async def increment_unsafely():
    global counter
    value = counter             # read ...
    await asyncio.sleep(0.1)   # ... other tasks run here ...
    counter = value + 1         # ... and this write loses their updates


async def increment_safely(lock):
    global counter
    async with lock:            # one task at a time in here
        value = counter
        await asyncio.sleep(0.1)
        counter = value + 1


async def main():
    global counter
    tasks = [asyncio.create_task(increment_unsafely()) for _ in range(10)]
    for task in tasks:
        await task
    print(f"without a lock: counter = {counter} (expected 10)")

    counter = 0
    lock = asyncio.Lock()
    tasks = [asyncio.create_task(increment_safely(lock)) for _ in range(10)]
    await asyncio.sleep(0.25)
    print(f"while running:  locked = {lock.locked()}, counter = {counter}")
    for task in tasks:
        await task
    print(f"with a lock:    counter = {counter} (expected 10)")


asyncio.run(main())
