# Seed: the guide's section 21, "check the HTTP status of many websites" with
# asyncio streams, sequential and concurrent (gather), pointed at a local HTTP
# server that this program starts itself (no network).
import asyncio
import time

PAGES = {'/': '200 OK', '/about': '200 OK', '/old': '301 Moved Permanently',
         '/secret': '403 Forbidden', '/missing': '404 Not Found', '/broken': '500 Internal Server Error'}
DELAY = 0.2  # every response takes this long


async def handle_http(reader, writer):
    request_line = (await reader.readline()).decode('latin-1')
    while (await reader.readline()) not in (b'\r\n', b'\n', b''):
        pass  # skip the headers
    path = request_line.split()[1]
    await asyncio.sleep(DELAY)
    writer.write(f'HTTP/1.0 {PAGES.get(path, "404 Not Found")}\r\nContent-Length: 0\r\n\r\n'.encode('latin-1'))
    await writer.drain()
    writer.close()
    await writer.wait_closed()


async def get_status(host, port, path):
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(f'HEAD {path} HTTP/1.0\r\nHost: {host}\r\n\r\n'.encode('latin-1'))
    await writer.drain()
    status_line = (await reader.readline()).decode('latin-1').rstrip()
    writer.close()
    await writer.wait_closed()
    return status_line


async def main():
    server = await asyncio.start_server(handle_http, '127.0.0.1', 0)
    port = server.sockets[0].getsockname()[1]
    paths = list(PAGES) + ['/nowhere']
    async with server:
        start = time.perf_counter()
        for path in paths:
            print(f'{path}: {await get_status("127.0.0.1", port, path)}')
        print(f'sequential: {len(paths)} pages in about {round(time.perf_counter() - start, 1)} s')

        start = time.perf_counter()
        statuses = await asyncio.gather(*(get_status('127.0.0.1', port, path) for path in paths))
        for path, status in zip(paths, statuses):
            print(f'{path}: {status}')
        print(f'concurrent: {len(paths)} pages in about {round(time.perf_counter() - start, 1)} s')


asyncio.run(main())
