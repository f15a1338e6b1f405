"""Chatty: 200 connections x 500 request/response lines against a local
asyncio streams line-echo server.

Prints {"impl", "seconds", "roundTripsPerSecond", "peakRssMb"}. Usage:
python3 bench/python/streams_chatty.py [connections] [lines]
"""
import asyncio
import json
import resource
import sys
import time

CONNECTIONS = int(sys.argv[1]) if len(sys.argv) > 1 else 200
LINES = int(sys.argv[2]) if len(sys.argv) > 2 else 500
HOST = "127.0.0.1"


async def echo(reader, writer):
    while True:
        line = await reader.readline()
        if not line:
            break
        writer.write(line)
        await writer.drain()
    writer.close()


async def client(port, c):
    reader, writer = await asyncio.open_connection(HOST, port)
    request = f"request from client {c}\n".encode()
    for _ in range(LINES):
        writer.write(request)
        await writer.drain()
        reply = await reader.readline()
        assert len(reply) == len(request)
    writer.close()
    await writer.wait_closed()


async def main():
    server = await asyncio.start_server(echo, HOST, 0)
    port = server.sockets[0].getsockname()[1]
    start = time.perf_counter()
    await asyncio.gather(*(client(port, c) for c in range(CONNECTIONS)))
    seconds = time.perf_counter() - start
    server.close()
    await server.wait_closed()
    return seconds


seconds = asyncio.run(main())
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"impl": "cpython", "connections": CONNECTIONS, "lines": LINES, "seconds": seconds,
                  "roundTripsPerSecond": CONNECTIONS * LINES / seconds, "peakRssMb": round(rss / 1024)}))
