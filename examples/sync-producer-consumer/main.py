# Seed: asyncio docs, Queues: a producer/consumer pipeline with a bounded Queue, join() and task_done().
# Twin: ./main.ts.
import asyncio


async def producer(queue):
    for item in range(6):
        await queue.put(item)   # waits while the queue is full
        print(f"produced {item} (qsize {queue.qsize()})")
        await asyncio.sleep(0.3)


async def consumer(name, queue, delay):
    while True:
        item = await queue.get()
        print(f"{name} got {item}")
        await asyncio.sleep(delay)
        print(f"{name} done with {item}")
        queue.task_done()


async def main():
    queue = asyncio.Queue(maxsize=2)
    consumers = [
        asyncio.create_task(consumer("fast", queue, 0.4)),
        asyncio.create_task(consumer("slow", queue, 1.3)),
    ]
    await producer(queue)
    await queue.join()          # every item got and marked done
    print("all items processed")
    for task in consumers:
        task.cancel()
    for task in consumers:
        try:
            await task
        except asyncio.CancelledError:
            pass
    print(f"consumers cancelled: {all(t.cancelled() for t in consumers)}")


asyncio.run(main())
