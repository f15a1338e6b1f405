# Seed: asyncio docs, "Running in Threads" (asyncio.to_thread): a blocking call
# moved off the loop, while the loop keeps printing "still responsive".
import asyncio
import time


def blocking_io():
    print(f"start blocking_io at {time.strftime('%X')}")
    # time.sleep() stands for any blocking call, such as file I/O.
    time.sleep(1)
    return f"blocking_io complete at {time.strftime('%X')}"


async def still_responsive():
    for _ in range(2):
        await asyncio.sleep(0.4)
        print("still responsive")


async def main():
    # Start the pool's thread first, so that the timing below is the call's alone.
    await asyncio.to_thread(lambda: None)
    print(f"started main at {time.strftime('%X')}")
    done, _ = await asyncio.gather(asyncio.to_thread(blocking_io), still_responsive())
    print(done)
    print(f"finished main at {time.strftime('%X')}")


asyncio.run(main())
