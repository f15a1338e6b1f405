# Seed: "Python Concurrency with asyncio", listing 2.3: a coroutine that sleeps
# then returns a message (hello_world_message), awaited in main.
import asyncio


async def hello_world_message() -> str:
    await asyncio.sleep(1)
    return 'Hello World!'


async def main() -> None:
    message = await hello_world_message()
    print(message)


asyncio.run(main())
