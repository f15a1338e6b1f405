# Seed: "wait for all background tasks": all_tasks() minus current_task(), then wait().
import asyncio

background = set()


async def job(n):
    await asyncio.sleep(n / 2)
    print(f"job {n} done")


async def main():
    for n in (3, 1, 2):
        background.add(asyncio.create_task(job(n)))
    pending = asyncio.all_tasks() - {asyncio.current_task()}
    print(f"waiting for {len(pending)} background tasks")
    done, pending = await asyncio.wait(pending)
    print(f"all done: {len(done)} done, {len(pending)} pending")

asyncio.run(main())
