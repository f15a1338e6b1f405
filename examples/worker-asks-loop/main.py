# Seed: asyncio docs, "Scheduling From Other Threads"
# (asyncio.run_coroutine_threadsafe): a worker thread asks the main loop for
# data and blocks on future.result(timeout); a lookup too slow for the
# timeout is cancelled from the worker.
import asyncio
import concurrent.futures


async def lookup(item: str) -> int:
    await asyncio.sleep(0.2)
    return {"apples": 3, "pears": 0}[item]


async def slow_lookup(item: str) -> int:
    await asyncio.sleep(10)
    return 0


def restock(loop: asyncio.AbstractEventLoop, item: str) -> str:
    # Runs in a worker thread: blocks it, not the loop.
    future = asyncio.run_coroutine_threadsafe(lookup(item), loop)
    stock = future.result(timeout=2)
    return f"worker: {item} in stock: {stock}, ordering {10 - stock}"


def impatient(loop: asyncio.AbstractEventLoop, item: str) -> str:
    future = asyncio.run_coroutine_threadsafe(slow_lookup(item), loop)
    try:
        return f"worker: got {future.result(timeout=0.3)}"
    except TimeoutError:
        return f"worker: no answer for {item} in 0.3 s, cancelled: {future.cancel()}"


async def main() -> None:
    loop = asyncio.get_running_loop()
    for item in ["apples", "pears"]:
        print(f"main: asking a worker to restock {item}")
        print(await asyncio.to_thread(restock, loop, item))
    print(await asyncio.to_thread(impatient, loop, "plums"))


asyncio.run(main())
