import type { AddressInfo } from 'node:net';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startHealthServer } from '../../src/health-server.js';
import { hardenedServer } from '../../src/http/hardened-server.js';
import type { Server } from 'node:http';
import type { Store } from '../../src/store/ports.js';

let server: Server | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

const closed = (socket: Socket) => new Promise<void>((resolve) => socket.once('close', () => resolve()));
const open = (port: number) =>
  new Promise<Socket>((resolve) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', () => undefined);
    // Read (and drop) what the server sends, so that its closing is seen.
    socket.resume();
    sockets.push(socket);
  });

describe('HTTP servers a slow or hostile client cannot hold', () => {
  it('the health server listens on 127.0.0.1 unless told otherwise', async () => {
    server = await startHealthServer(0, { ping: async () => undefined } as unknown as Store);
    expect((server.address() as AddressInfo).address).toBe('127.0.0.1');
  });

  it('closes a connection whose headers never finish arriving', async () => {
    server = hardenedServer((_req, res) => res.end('ok'), { headersTimeoutMs: 200, requestTimeoutMs: 400, checkEveryMs: 50, maxConnections: 10 });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const socket = await open((server.address() as AddressInfo).port);
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
    await closed(socket);
    expect(socket.destroyed).toBe(true);
  });

  it('refuses connections beyond its cap', async () => {
    server = hardenedServer((_req, res) => res.end('ok'), { headersTimeoutMs: 5_000, requestTimeoutMs: 5_000, checkEveryMs: 1_000, maxConnections: 3 });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    for (let i = 0; i < 3; i++) await open(port);
    const extra = await open(port);
    await closed(extra);
    expect(extra.destroyed).toBe(true);
  });
});
