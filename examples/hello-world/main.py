# Seed: asyncio docs, the "Hello ... World!" program at the top of the asyncio page.
import asyncio


async def main():
    print('Hello ...')
    await asyncio.sleep(1)
    print('... World!')


asyncio.run(main())
