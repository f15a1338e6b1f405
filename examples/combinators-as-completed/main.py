# Seed: as_completed() over ten delays: results come back in completion order.
import asyncio


async def delayed(seconds):
    await asyncio.sleep(seconds)
    return seconds


async def main():
    delays = [0.5, 0.1, 0.9, 0.3, 0.7, 0.2, 1.0, 0.4, 0.8, 0.6]
    for next_done in asyncio.as_completed([delayed(d) for d in delays]):
        print(f"finished after {await next_done} second(s)")

asyncio.run(main())
