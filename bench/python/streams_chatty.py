"""Issue 5, chatty (CPython): 200 concurrent connections to a local asyncio
streams line-echo server, each doing N / 200 request/response lines (twin of
workloads/streams-chatty.mjs). Reports roundTripsPerSecond and peakRssMb."""

import asyncio
import resource
import time

from _bench import check, run_workload

CONNECTIONS = 200
HOST = "127.0.0.1"


async def echo(reader, writer):
    while True:
        line = await reader.readline()
        if not line:
            break
        writer.write(line)
        await writer.drain()
    writer.close()


def cpython(n):
    check("round trips a multiple of the connections", n % CONNECTIONS, 0)
    lines = n // CONNECTIONS
    round_trips = 0

    async def client(port, c):
        nonlocal round_trips
        reader, writer = await asyncio.open_connection(HOST, port)
        request = f"request from client {c}\n".encode()
        for _ in range(lines):
            writer.write(request)
            await writer.drain()
            reply = await reader.readline()
            if reply != request:
                raise AssertionError("bad reply")
            round_trips += 1
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
    check("round trips completed", round_trips, n)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"seconds": seconds, "roundTripsPerSecond": n / seconds, "connections": CONNECTIONS,
            "peakRssMb": round(rss / 1024)}


run_workload({"cpython": cpython})
