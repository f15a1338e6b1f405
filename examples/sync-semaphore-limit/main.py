# Seed: asyncio docs, Synchronization Primitives / Semaphore: limiting how many jobs run at once.
# Twin: ./main.ts.
import asyncio

running = 0
peak = 0


async def job(n, sem, duration):
    global running, peak
    async with sem:             # at most 2 jobs inside at once
        running += 1
        peak = max(peak, running)
        print(f"job {n} starts ({running} running)")
        await asyncio.sleep(duration)
        running -= 1
        print(f"job {n} ends")


async def main():
    sem = asyncio.Semaphore(2)
    durations = [0.4, 0.1, 0.4, 0.2, 0.3, 0.25]
    tasks = [asyncio.create_task(job(n, sem, d)) for n, d in enumerate(durations)]
    for task in tasks:
        await task
    print(f"peak concurrency: {peak}")


asyncio.run(main())
