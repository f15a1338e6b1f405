# Seed: none of its own; a line-based chat server (asyncio streams) with many clients, in one program.
import asyncio

NAMES = ['alice', 'bob', 'carol', 'dave', 'erin']
clients = {}


async def handle_client(reader, writer):
    name = (await reader.readline()).decode().strip()
    clients[name] = writer
    writer.write(f'welcome {name}, {len(clients)} online\n'.encode())
    await writer.drain()
    async for line in reader:
        message = f'{name}: {line.decode().strip()}\n'.encode()
        for other in clients.values():
            other.write(message)
        await asyncio.gather(*(other.drain() for other in clients.values()))
    del clients[name]
    writer.close()
    await writer.wait_closed()


async def main():
    server = await asyncio.start_server(handle_client, '127.0.0.1', 0)
    port = server.sockets[0].getsockname()[1]
    connections = []
    for name in NAMES:
        reader, writer = await asyncio.open_connection('127.0.0.1', port)
        writer.write(f'{name}\n'.encode())
        print((await reader.readline()).decode().strip())
        connections.append((name, reader, writer))
    for name, _, writer in connections:
        writer.write(f'hello from {name}\n'.encode())
        await writer.drain()
        lines = await asyncio.gather(*(r.readline() for _, r, _ in connections))
        for (who, _, _), line in zip(connections, lines):
            print(f'  {who} sees {line.decode().strip()!r}')
    for _, reader, writer in connections:
        writer.close()
        await writer.wait_closed()
    server.close()
    await server.wait_closed()
    print(f'{len(clients)} online at the end')


asyncio.run(main())
