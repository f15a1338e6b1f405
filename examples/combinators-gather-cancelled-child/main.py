# Seed: asyncio docs, gather(): a cancelled child is a CancelledError result, the others go on.
import asyncio


async def worker(n):
    await asyncio.sleep(n)
    print(f"worker {n} done")
    return n


async def main():
    t = asyncio.create_task(worker(2))
    g = asyncio.gather(worker(1), t, worker(3), return_exceptions=True)
    await asyncio.sleep(1.5)
    t.cancel()
    results = await g
    print([r if isinstance(r, int) else type(r).__name__ for r in results])

asyncio.run(main())
