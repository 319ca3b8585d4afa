import { createHmac } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { hardenedServer } from '../../http/hardened-server.js';
import type { Logger } from '../../log/logger.js';
import { sameSecret } from '../../text/same-secret.js';
import { chatwootMessage, type ChatwootMessage } from './chatwoot-api.js';

export const CHATWOOT_WEBHOOK_PATH = '/helpdesk/chatwoot';
/** A signed request older or newer than this is refused: a captured one cannot be replayed later. */
export const SIGNATURE_TOLERANCE_S = 300;
/** Chatwoot's payloads are a few kilobytes; a body beyond this is not Chatwoot. */
const MAX_BODY_BYTES = 1024 * 1024;
/** Delivery ids remembered to drop a redelivery; messages are recorded once by id anyway. */
const SEEN_DELIVERIES = 10_000;
/** Webhooks acknowledged but not yet handled; beyond, Chatwoot is told to slow down (503). */
const MAX_QUEUED = 1_000;

/** The events Guichet acts on, as Chatwoot sends them. */
export type ChatwootEvent =
  | { readonly kind: 'message'; readonly conversationId: string; readonly message: ChatwootMessage }
  | { readonly kind: 'status'; readonly conversationId: string; readonly status: string };

const messageCreated = chatwootMessage.extend({ event: z.literal('message_created'), conversation: z.object({ id: z.union([z.number(), z.string()]) }).passthrough() });
const statusChanged = z.object({ event: z.literal('conversation_status_changed'), id: z.union([z.number(), z.string()]), status: z.string() }).passthrough();

/** "sha256=<hex>" of HMAC-SHA256 over "<timestamp>.<raw body>", as Chatwoot signs its webhooks. */
export function chatwootSignature(secret: string, timestamp: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

export function verifyChatwootSignature(secret: string, headers: IncomingMessage['headers'], body: Buffer, nowMs: number): boolean {
  const timestamp = header(headers['x-chatwoot-timestamp']);
  const signature = header(headers['x-chatwoot-signature']);
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > SIGNATURE_TOLERANCE_S) return false;
  const given = signature.startsWith('sha256=') ? signature : `sha256=${signature}`;
  return sameSecret(given, chatwootSignature(secret, timestamp, body));
}

/** The event in a webhook body, or undefined for the events and shapes Guichet ignores. */
export function parseChatwootEvent(body: unknown): ChatwootEvent | undefined {
  const message = messageCreated.safeParse(body);
  if (message.success) return { kind: 'message', conversationId: String(message.data.conversation.id), message: message.data };
  const status = statusChanged.safeParse(body);
  if (status.success) return { kind: 'status', conversationId: String(status.data.id), status: status.data.status };
  return undefined;
}

export interface WebhookReceiverOptions {
  readonly secret: string;
  readonly port: number;
  readonly host: string;
  readonly logger: Logger;
  readonly now?: () => number;
}

/**
 * Chatwoot's webhooks on POST /helpdesk/chatwoot: verified, de-duplicated on
 * their delivery id, acknowledged at once and handled one at a time from a
 * bounded queue, so a slow relay never makes Chatwoot wait or time out.
 */
export class ChatwootWebhookReceiver {
  private server: Server | undefined;
  private readonly seen = new Set<string>();
  private readonly queue: ChatwootEvent[] = [];
  private draining: Promise<void> | undefined;

  constructor(
    private readonly options: WebhookReceiverOptions,
    private readonly handle: (event: ChatwootEvent) => Promise<void>,
  ) {}

  async start(): Promise<number> {
    this.server = hardenedServer((req, res) => void this.receive(req, res).catch(() => res.writeHead(500).end()));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.options.port, this.options.host, resolve);
    });
    return (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server?.closeAllConnections();
    await this.draining;
  }

  /** Resolves when every queued event has been handled (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://x').pathname !== CHATWOOT_WEBHOOK_PATH) return void res.writeHead(404).end();
    const body = await readBody(req);
    if (!body) return void res.writeHead(413).end();
    if (!verifyChatwootSignature(this.options.secret, req.headers, body, (this.options.now ?? Date.now)())) {
      this.options.logger.warn('chatwoot: webhook with a wrong or stale signature refused');
      return void res.writeHead(401).end();
    }
    const delivery = header(req.headers['x-chatwoot-delivery']);
    if (delivery && this.seen.has(delivery)) return void res.writeHead(200).end();
    let event: ChatwootEvent | undefined;
    try {
      event = parseChatwootEvent(JSON.parse(body.toString('utf8')));
    } catch {
      return void res.writeHead(400).end();
    }
    if (event && this.queue.length >= MAX_QUEUED) return void res.writeHead(503).end();
    if (delivery) this.remember(delivery);
    res.writeHead(200).end();
    if (!event) return;
    this.queue.push(event);
    this.drain();
  }

  private remember(delivery: string): void {
    if (this.seen.size >= SEEN_DELIVERIES) this.seen.delete(this.seen.values().next().value!);
    this.seen.add(delivery);
  }

  private drain(): void {
    if (this.draining) return;
    this.draining = (async () => {
      for (let event = this.queue.shift(); event; event = this.queue.shift()) {
        try {
          await this.handle(event);
        } catch (error) {
          // Reconciliation reads the conversation again later: nothing a volunteer wrote is lost.
          this.options.logger.warn({ err: (error as Error).name }, 'chatwoot: a webhook event could not be handled');
        }
      }
    })().finally(() => (this.draining = undefined));
  }
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
