# Seed: "Python Concurrency with asyncio", listings 2.1 and 2.2: coroutines vs
# plain functions (add_one / coroutine_add_one), run with asyncio.run.
import asyncio


async def coroutine_add_one(number: int) -> int:
    return number + 1


def add_one(number: int) -> int:
    return number + 1


function_result = add_one(1)
coroutine_result = asyncio.run(coroutine_add_one(1))

print(f'Function result is {function_result} and the type is {type(function_result)}')
print(f'Coroutine result is {coroutine_result} and the type is {type(coroutine_result)}')
