# Seed: gather with and without return_exceptions: one division fails.
import asyncio


async def divide(a, b):
    await asyncio.sleep(0.1)
    return a // b


async def main():
    results = await asyncio.gather(divide(6, 3), divide(1, 0), divide(9, 3), return_exceptions=True)
    print([r if isinstance(r, int) else f"{type(r).__name__}: {r}" for r in results])
    try:
        await asyncio.gather(divide(6, 3), divide(1, 0), divide(9, 3))
    except ZeroDivisionError as e:
        print(f"gather raised {type(e).__name__}: {e}")

asyncio.run(main())
