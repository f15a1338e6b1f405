"""Bulk: 256 MiB echoed through a local asyncio streams server in 64 KiB chunks.

Prints {"impl", "seconds", "mbps", "peakRssMb"} (MB = 10**6 bytes). Usage:
python3 bench/python/streams_bulk.py [MiB]
"""
import asyncio
import json
import resource
import sys
import time

MIB = int(sys.argv[1]) if len(sys.argv) > 1 else 256
TOTAL = MIB * 1024 * 1024
CHUNK = 64 * 1024
HOST = "127.0.0.1"


async def echo(reader, writer):
    while True:
        data = await reader.read(CHUNK)
        if not data:
            break
        writer.write(data)
        await writer.drain()
    writer.close()


async def main():
    server = await asyncio.start_server(echo, HOST, 0)
    port = server.sockets[0].getsockname()[1]
    start = time.perf_counter()
    reader, writer = await asyncio.open_connection(HOST, port)
    chunk = b"a" * CHUNK

    async def send():
        sent = 0
        while sent < TOTAL:
            writer.write(chunk)
            await writer.drain()
            sent += CHUNK
        writer.write_eof()

    sending = asyncio.create_task(send())
    received = 0
    while True:
        data = await reader.read(1 << 20)
        if not data:
            break
        received += len(data)
    await sending
    seconds = time.perf_counter() - start
    writer.close()
    server.close()
    await server.wait_closed()
    assert received == TOTAL, received
    return seconds


seconds = asyncio.run(main())
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"impl": "cpython", "seconds": seconds, "mbps": TOTAL / 1e6 / seconds, "peakRssMb": round(rss / 1024)}))
