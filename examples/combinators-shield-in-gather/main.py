# Seed: asyncio docs, shield(): a shielded task inside a cancelled gather survives.
import asyncio


async def worker(n):
    try:
        await asyncio.sleep(n)
        print(f"worker {n} done")
        return n
    except asyncio.CancelledError:
        print(f"worker {n} cancelled")
        raise


async def main():
    task1 = asyncio.create_task(worker(2))
    g = asyncio.gather(asyncio.shield(task1), worker(3))
    await asyncio.sleep(1)
    g.cancel()
    try:
        await g
    except asyncio.CancelledError:
        print("gather cancelled")
    print(f"task1 returned {await task1}")

asyncio.run(main())
