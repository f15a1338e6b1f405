# Seed: none of its own; a TLS echo server and client (asyncio streams) with a
# certificate generated at run time by openssl.
import asyncio
import os
import ssl
import subprocess
import tempfile


def make_certificate(directory):
    key, cert = os.path.join(directory, 'key.pem'), os.path.join(directory, 'cert.pem')
    subprocess.run(['openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
                    '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost',
                    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
                   check=True, capture_output=True)
    return key, cert


async def handle_echo(reader, writer):
    async for line in reader:
        print(f'server got {line.decode().strip()!r} over TLS')
        writer.write(line.upper())
        await writer.drain()
    writer.close()
    await writer.wait_closed()


async def main():
    with tempfile.TemporaryDirectory() as directory:
        key, cert = make_certificate(directory)
        server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        server_context.load_cert_chain(cert, key)
        client_context = ssl.create_default_context(cafile=cert)
        server = await asyncio.start_server(handle_echo, '127.0.0.1', 0, ssl=server_context)
        port = server.sockets[0].getsockname()[1]
        async with server:
            reader, writer = await asyncio.open_connection('127.0.0.1', port, ssl=client_context,
                                                           server_hostname='localhost')
            print('server certificate is for', dict(x[0] for x in writer.get_extra_info('peercert')['subject'])['commonName'])
            for word in ['hello', 'secure', 'world']:
                writer.write(f'{word}\n'.encode())
                await writer.drain()
                print(f'client got {(await reader.readline()).decode().strip()!r}')
            writer.close()
            await writer.wait_closed()
    print('done')


asyncio.run(main())
