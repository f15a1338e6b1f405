# Seed: none of its own; a pipeline between two child processes, read line by line while they run: a producer's lines are pumped into a consumer, whose replies are printed as they come.
import asyncio

PRODUCER = 'for i in 1 2 3 4 5; do echo "item $i"; sleep 0.2; done'
CONSUMER = 'while read line; do echo "processed <$line>"; done'


async def pump(source, sink):
    # Each line as soon as the producer prints it, on to the consumer.
    async for line in source.stdout:
        print(f'pump: {line.decode().rstrip()}')
        sink.stdin.write(line.upper())
        await sink.stdin.drain()
    sink.stdin.close()


async def main():
    producer = await asyncio.create_subprocess_exec(
        'sh', '-c', PRODUCER, stdout=asyncio.subprocess.PIPE)
    consumer = await asyncio.create_subprocess_shell(
        CONSUMER, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
    pumping = asyncio.create_task(pump(producer, consumer))
    async for line in consumer.stdout:
        print(f'main: {line.decode().rstrip()}')
    await pumping
    print(f'producer exited with {await producer.wait()}, consumer with {await consumer.wait()}')


asyncio.run(main())
