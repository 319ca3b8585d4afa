import type { Server } from 'node:http';
import { hardenedServer } from './http/hardened-server.js';
import type { Store } from './store/ports.js';

/**
 * GET /healthz answers 200 while the store answers, 503 otherwise. Used by
 * Docker's health check; it listens on 127.0.0.1 unless HEALTH_HOST says
 * otherwise (in a container, 0.0.0.0 behind the container's own network).
 */
export function startHealthServer(port: number, store: Store, host = '127.0.0.1'): Promise<Server> {
  const server = hardenedServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/healthz') {
      res.writeHead(404).end();
      return;
    }
    store.ping().then(
      () => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n'),
      () => res.writeHead(503, { 'content-type': 'text/plain' }).end('store unavailable\n'),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
