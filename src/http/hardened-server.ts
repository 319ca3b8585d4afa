import { createServer, type RequestListener, type Server } from 'node:http';

export interface ServerLimits {
  /** Time for the request's headers to arrive. */
  readonly headersTimeoutMs: number;
  /** Time for the whole request. */
  readonly requestTimeoutMs: number;
  /** How often Node checks those two (its default, 30 s, would let a slow client stay that long). */
  readonly checkEveryMs: number;
  readonly maxConnections: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, checkEveryMs: 2_000, maxConnections: 256 };

/**
 * An HTTP server that a slow or hostile client cannot hold open: headers
 * must arrive within 10 s and a whole request within 30 s, idle keep-alive
 * connections close after 5 s, and at most 256 connections are open at once
 * (Node closes the ones beyond).
 */
export function hardenedServer(listener: RequestListener, limits: ServerLimits = DEFAULT_SERVER_LIMITS): Server {
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: limits.checkEveryMs,
      keepAliveTimeout: 5_000,
      maxHeaderSize: 16 * 1024,
    },
    listener,
  );
  server.maxConnections = limits.maxConnections;
  server.maxHeadersCount = 100;
  return server;
}
