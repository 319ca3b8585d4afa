import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hardenedServer } from '../../http/hardened-server.js';
import type { Logger } from '../../log/logger.js';
import type { OutboundMessage } from '../../messages.js';
import type { SmsLogStore, SmsState } from '../../store/ports.js';
import { sameSecret } from '../../text/same-secret.js';
import type { Channel, InboundHandler } from '../channel.js';
import { InboundTurns, MAX_TURNS_IN_FLIGHT } from '../inbound-turns.js';
import { parseInbound, rawFields } from './kannel-inbound.js';
import type { KannelSendsms } from './kannel-sendsms.js';
import { encodeSms } from './sms-encoding.js';
import { packSms, smsTexts } from './sms-messages.js';

export const SMS_RECEIVE_PATH = '/sms/receive';
export const SMS_DLR_PATH = '/sms/dlr';
/** A form body from smsbox holds one SMS; far more is not smsbox. */
const MAX_BODY_BYTES = 256 * 1024;

/** Kannel's delivery report types (dlr-mask bits) and what they mean for the message. */
const DLR_STATES: Readonly<Record<string, SmsState>> = { '1': 'delivered', '2': 'failed', '4': 'accepted', '8': 'accepted', '16': 'failed' };

export interface SmsChannelOptions {
  readonly sendsms: Pick<KannelSendsms, 'send'>;
  readonly log: SmsLogStore;
  readonly logger: Logger;
  readonly host: string;
  readonly port: number;
  readonly secret: string;
  readonly maxParts: number;
  readonly dailyParts: number;
  readonly now: () => number;
  /** The HMAC the log keeps instead of the number. */
  readonly who: (address: string) => string;
  /** Start of the local day (epoch ms) and its date, for the daily budget. */
  readonly today: () => { readonly start: number; readonly day: string };
  /** "You have used today's SMS", in the person's language. */
  readonly budgetNotice: (address: string) => Promise<string>;
}

/**
 * SMS through Kannel. smsbox calls the receive URL for each incoming SMS and
 * the delivery-report URL for each report; replies go out through Kannel's
 * sendsms, cut into SMS of at most SMS_MAX_PARTS parts. A person who has
 * used SMS_DAILY_PARTS_PER_PERSON parts today is told once, and what they
 * send until the next day is not read: nothing they saw is left unanswered
 * and their place in the conversation waits for them.
 */
export class SmsChannel implements Channel {
  readonly name = 'sms' as const;
  private server: Server | undefined;
  private handler: InboundHandler | undefined;
  private readonly turns: InboundTurns;
  private stopped: (() => void) | undefined;

  constructor(private readonly options: SmsChannelOptions) {
    this.turns = new InboundTurns(MAX_TURNS_IN_FLIGHT, (error) => options.logger.error({ err: (error as Error).name }, 'sms: a turn failed'));
  }

  /** The port listened on (0 in the options picks a free one, for tests). */
  listeningPort(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  async start(handler: InboundHandler): Promise<void> {
    this.handler = handler;
    this.server = hardenedServer((req, res) => void this.receive(req, res).catch(() => res.headersSent || res.writeHead(500).end()));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.options.port, this.options.host, resolve);
    });
  }

  async run(handler: InboundHandler): Promise<void> {
    if (!this.server) await this.start(handler);
    await new Promise<void>((resolve) => (this.stopped = resolve));
  }

  async stop(): Promise<void> {
    // smsbox keeps its connections alive: they are closed, or close() would wait for them.
    const closed = new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server?.closeAllConnections();
    await closed;
    await this.turns.idle();
    this.stopped?.();
  }

  async send(address: string, messages: readonly OutboundMessage[]): Promise<void> {
    for (const text of packSms(smsTexts(messages), this.options.maxParts)) await this.sendOne(address, text);
  }

  /** A reminder: not today once the person's budget is used (the pump tries again later). */
  async sendProactive(address: string, messages: readonly OutboundMessage[]): Promise<boolean> {
    if (await this.overBudget(address)) return false;
    await this.send(address, messages);
    return true;
  }

  private async sendOne(address: string, text: string): Promise<void> {
    const id = randomUUID();
    const { log, sendsms, who } = this.options;
    await log.record({ id, who: who(address), parts: encodeSms(text).parts.length, createdAt: this.options.now() });
    try {
      await sendsms.send(id, address, text);
    } catch (error) {
      await log.setState(id, 'failed', this.options.now());
      throw error;
    }
  }

  private async overBudget(address: string): Promise<boolean> {
    const { start } = this.options.today();
    return (await this.options.log.partsSince(this.options.who(address), start)) >= this.options.dailyParts;
  }

  private async receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== SMS_RECEIVE_PATH && url.pathname !== SMS_DLR_PATH) return void res.writeHead(404).end();
    if (req.method !== 'GET' && req.method !== 'POST') return void res.writeHead(405).end();
    const query = (req.url ?? '').split('?')[1] ?? '';
    const body = req.method === 'POST' ? await readBody(req) : '';
    if (body === undefined) return void res.writeHead(413).end();
    const fields = rawFields(query);
    for (const [name, value] of rawFields(body)) if (!fields.has(name)) fields.set(name, value);
    const secret = fields.get('secret');
    if (!secret || !sameSecret(decodeURIComponent(secret), this.options.secret)) {
      this.options.logger.warn('sms: a request with a wrong secret was refused');
      return void res.writeHead(401).end();
    }
    if (url.pathname === SMS_DLR_PATH) return this.report(fields, res);
    const inbound = parseInbound(fields);
    if ('problem' in inbound) {
      this.options.logger.warn({ problem: inbound.problem }, 'sms: an incoming request was not an SMS');
      return void res.writeHead(400).end();
    }
    if (this.turns.full) return void res.writeHead(503).end();
    // Answered at once (max-messages 0 in the sms-service: the body is not an SMS); the turn runs on.
    res.writeHead(200, { 'content-type': 'text/plain' }).end('');
    this.turns.start(async () => {
      if (await this.overBudget(inbound.from)) {
        if (await this.options.log.claimNotice(this.options.who(inbound.from), this.options.today().day)) {
          await this.sendOne(inbound.from, await this.options.budgetNotice(inbound.from));
        }
        return;
      }
      const text = inbound.text.trim();
      await this.handler!({ channel: 'sms', address: inbound.from, messageId: inbound.id, ...(text ? { kind: 'text', text } : { kind: 'open' }) });
    });
  }

  private async report(fields: Map<string, string>, res: ServerResponse): Promise<void> {
    const id = fields.get('id');
    const state = DLR_STATES[fields.get('status') ?? ''];
    if (!id || !state) return void res.writeHead(400).end();
    const known = await this.options.log.get(decodeURIComponent(id));
    // A late "accepted" never hides a final report that came first.
    if (known && !(state === 'accepted' && (known.state === 'delivered' || known.state === 'failed'))) await this.options.log.setState(known.id, state, this.options.now());
    res.writeHead(known ? 200 : 404).end();
  }
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('latin1');
}

