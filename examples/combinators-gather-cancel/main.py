# Seed: asyncio docs, gather(): cancelling the gather cancels the children still running.
import asyncio


async def worker(n):
    try:
        await asyncio.sleep(n)
        print(f"worker {n} done")
    except asyncio.CancelledError:
        print(f"worker {n} cancelled")
        raise


async def main():
    g = asyncio.gather(worker(1), worker(2), worker(3))
    await asyncio.sleep(1.5)
    g.cancel()
    try:
        await g
    except asyncio.CancelledError:
        print("gather cancelled")

asyncio.run(main())
