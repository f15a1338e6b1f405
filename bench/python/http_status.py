"""http-status: the seed's program (asyncio.open_connection + a Semaphore)
checking N URLs at concurrency C against the local HTTP server of
bench/workloads/http-status-server.mjs, run in a separate process.

Prints {"impl", "n", "concurrency", "seconds", "urlsPerSecond", "cpuSeconds", "peakRssMb"}.
Usage: python3 bench/python/http_status.py [n=5000] [concurrency=100]
"""
import asyncio
import json
import os
import resource
import subprocess
import sys
import time
import urllib.parse

N = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
C = int(sys.argv[2]) if len(sys.argv) > 2 else 100
HERE = os.path.dirname(os.path.abspath(__file__))
SERVER = os.path.join(HERE, "..", "workloads", "http-status-server.mjs")


async def get_status(url):
    url = urllib.parse.urlsplit(url)
    if url.scheme == "https":
        reader, writer = await asyncio.open_connection(url.hostname, url.port or 443, ssl=True)
    else:
        reader, writer = await asyncio.open_connection(url.hostname, url.port or 80)
    path = url.path or "/"
    if url.query:
        path += "?" + url.query
    writer.write(f"HEAD {path} HTTP/1.1\r\nHost: {url.netloc}\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
    status_line = (await reader.readline()).decode().strip()
    writer.close()
    await writer.wait_closed()
    return status_line


async def main(port):
    semaphore = asyncio.Semaphore(C)

    async def limited(url):
        async with semaphore:
            return await get_status(url)

    urls = [f"http://127.0.0.1:{port}/page/{i}?q={i}" for i in range(N)]
    start = time.perf_counter()
    statuses = await asyncio.gather(*(limited(u) for u in urls))
    seconds = time.perf_counter() - start
    ok = sum(1 for s in statuses if s.split(" ")[1] == "200")
    if ok != N:
        raise AssertionError(f"only {ok} of {N} URLs gave 200")
    return seconds


server = subprocess.Popen(["node", SERVER], stdout=subprocess.PIPE)
try:
    port = int(server.stdout.readline())
    seconds = asyncio.run(main(port))
finally:
    server.terminate()
    server.wait()
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"impl": "cpython", "n": N, "concurrency": C, "seconds": seconds, "urlsPerSecond": N / seconds,
                  "cpuSeconds": usage.ru_utime + usage.ru_stime, "peakRssMb": round(usage.ru_maxrss / 1024)}))
