# Seed: "Python Concurrency with asyncio", listing 2.13 "Awaiting a future":
# make_request() returns a future whose result a task sets after 1 second.
import asyncio
from asyncio import Future


def make_request() -> Future:
    future = Future()
    asyncio.create_task(set_future_value(future))
    return future


async def set_future_value(future) -> None:
    await asyncio.sleep(1)
    future.set_result(42)


async def main():
    future = make_request()
    print(f'Is the future done? {future.done()}')
    value = await future
    print(f'Is the future done? {future.done()}')
    print(value)


asyncio.run(main())
