"""Issue 5, bulk (CPython): N chunks of 64 KiB echoed through a local asyncio
streams server on one connection (twin of workloads/streams-bulk.mjs).
Reports mbps (MB = 10**6 bytes, one way) and peakRssMb."""

import asyncio
import resource
import time

from _bench import check, run_workload

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


def cpython(n):
    total = n * CHUNK

    async def main():
        server = await asyncio.start_server(echo, HOST, 0)
        port = server.sockets[0].getsockname()[1]
        start = time.perf_counter()
        reader, writer = await asyncio.open_connection(HOST, port)
        chunk = b"a" * CHUNK

        async def send():
            for _ in range(n):
                writer.write(chunk)
                await writer.drain()
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
        check("bytes echoed back", received, total)
        return seconds

    seconds = asyncio.run(main())
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"seconds": seconds, "mbps": total / 1e6 / seconds, "peakRssMb": round(rss / 1024)}


run_workload({"cpython": cpython})
