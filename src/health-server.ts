import { createServer, type Server } from 'node:http';
import type { Store } from './store/ports.js';

/** GET /healthz answers 200 while the store answers, 503 otherwise. Used by Docker's health check. */
export function startHealthServer(port: number, store: Store): Promise<Server> {
  const server = createServer((req, res) => {
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
    server.listen(port, () => resolve(server));
  });
}
