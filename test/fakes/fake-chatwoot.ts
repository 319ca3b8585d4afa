import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chatwootSignature } from '../../src/helpdesk/chatwoot/chatwoot-webhook.js';
import { readPayload } from './fake-telegram-server.js';

export interface FakeContact {
  readonly id: number;
  readonly sourceId: string;
  readonly name: string;
  readonly attributes: Record<string, unknown>;
}

export interface FakeMessage {
  readonly id: number;
  readonly conversationId: number;
  readonly content: string;
  /** 0 incoming (the person), 1 outgoing (volunteers, notes). */
  readonly messageType: 0 | 1;
  readonly private: boolean;
  readonly senderType: 'Contact' | 'User' | 'AgentBot';
  readonly senderName: string;
  readonly attachments: { readonly name: string; readonly bytes: Uint8Array; readonly url?: string }[];
}

export interface FakeConversation {
  readonly id: number;
  readonly contactId: number;
  readonly attributes: Record<string, unknown>;
  status: 'open' | 'resolved';
}

/**
 * A local Chatwoot over real HTTP: the public API of one API inbox (contacts,
 * conversations, incoming messages with attachments) and the application
 * API Guichet uses (private notes, toggle_status, messages, deletions), with
 * an access token checked. Volunteers' replies and resolutions are sent to
 * Guichet as signed webhooks, which tests can also forge, replay or lose.
 */
export class FakeChatwoot {
  readonly accountId = '3';
  readonly inboxIdentifier = 'inbox-ident-abc';
  readonly apiToken = 'cw-token-for-tests';
  readonly webhookSecret = 'cw-webhook-secret-for-tests';
  readonly contacts = new Map<number, FakeContact>();
  readonly conversations = new Map<number, FakeConversation>();
  readonly messages: FakeMessage[] = [];
  /** Files volunteers attached, served at their data_url. */
  private readonly files = new Map<string, Uint8Array>();
  private server: Server | undefined;
  private nextId = 100;
  private deliveries = 0;
  url = '';
  /** Where Guichet listens for webhooks. */
  webhookUrl = '';
  /** The next this many DELETE requests fail with 503 (Chatwoot down). */
  failDeletes = 0;
  /** The next this many incoming messages (the person's) fail with 503. */
  failIncoming = 0;
  /** Chatwoot's clock, for the webhooks' timestamps (a test's fixed clock). */
  now: () => number = Date.now;

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res).catch(() => res.writeHead(500).end()));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** The settings Guichet needs to talk to this Chatwoot, webhooks on a free local port. */
  helpdeskSettings() {
    return {
      url: this.url,
      accountId: this.accountId,
      apiToken: this.apiToken,
      inboxIdentifier: this.inboxIdentifier,
      webhookSecret: this.webhookSecret,
      timeoutMs: 5_000,
      maxFileBytes: 1024 * 1024,
      webhookPort: 0,
      webhookHost: '127.0.0.1',
    };
  }

  messagesIn(conversationId: number): FakeMessage[] {
    return this.messages.filter((m) => m.conversationId === conversationId);
  }

  /** A volunteer writes in the conversation; the webhook goes to Guichet unless `deliver` is false (a lost webhook). */
  async agentReply(conversationId: number, senderName: string, content: string, options: { deliver?: boolean; file?: { name: string; bytes: Uint8Array }; private?: boolean; senderType?: 'User' | 'AgentBot' } = {}): Promise<FakeMessage> {
    const id = ++this.nextId;
    const attachments = options.file ? [{ ...options.file, url: `${this.url}/rails/active_storage/${id}/${encodeURIComponent(options.file.name)}` }] : [];
    for (const a of attachments) this.files.set(new URL(a.url).pathname, a.bytes);
    const message: FakeMessage = { id, conversationId, content, messageType: 1, private: options.private ?? false, senderType: options.senderType ?? 'User', senderName, attachments };
    this.messages.push(message);
    if (options.deliver !== false) await this.sendWebhook(this.messageEvent(message));
    return message;
  }

  /** A volunteer resolves the conversation; the webhook goes to Guichet unless `deliver` is false (a lost webhook). */
  async resolve(conversationId: number, options: { deliver?: boolean } = {}): Promise<void> {
    this.conversations.get(conversationId)!.status = 'resolved';
    if (options.deliver !== false) await this.sendWebhook({ event: 'conversation_status_changed', id: conversationId, status: 'resolved' });
  }

  messageEvent(m: FakeMessage): Record<string, unknown> {
    return {
      event: 'message_created',
      id: m.id,
      content: m.content,
      message_type: m.messageType === 0 ? 'incoming' : 'outgoing',
      private: m.private,
      sender: { id: 7, name: m.senderName, type: m.senderType === 'User' ? 'user' : m.senderType === 'AgentBot' ? 'agent_bot' : 'contact' },
      conversation: { id: m.conversationId, status: this.conversations.get(m.conversationId)?.status ?? 'open' },
      attachments: m.attachments.map((a) => ({ data_url: a.url, file_type: 'image' })),
    };
  }

  /** POST a webhook as Chatwoot does; the options forge what an attacker could. */
  async sendWebhook(body: Record<string, unknown>, options: { secret?: string; timestamp?: number; delivery?: string } = {}): Promise<number> {
    const raw = JSON.stringify(body);
    const timestamp = String(options.timestamp ?? Math.floor(this.now() / 1000));
    const response = await fetch(this.webhookUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-chatwoot-timestamp': timestamp,
        'x-chatwoot-signature': chatwootSignature(options.secret ?? this.webhookSecret, timestamp, raw),
        'x-chatwoot-delivery': options.delivery ?? `delivery-${++this.deliveries}`,
      },
      body: raw,
    });
    return response.status;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url!, this.url);
    const path = url.pathname;
    if (req.method === 'GET' && this.files.has(path)) {
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      return void res.end(Buffer.from(this.files.get(path)!));
    }
    const { payload, files } = await readPayload(req);
    const inbox = `/public/api/v1/inboxes/${this.inboxIdentifier}`;
    let m: RegExpExecArray | null;
    if (req.method === 'POST' && path === `${inbox}/contacts`) {
      const contact: FakeContact = { id: ++this.nextId, sourceId: `src-${this.nextId}`, name: String(payload.name ?? ''), attributes: (payload.custom_attributes as Record<string, unknown>) ?? {} };
      this.contacts.set(contact.id, contact);
      return this.json(res, 200, { id: contact.id, source_id: contact.sourceId, name: contact.name, pubsub_token: 'pubsub' });
    }
    if (req.method === 'POST' && (m = new RegExp(`^${inbox}/contacts/([^/]+)/conversations$`).exec(path))) {
      const contact = [...this.contacts.values()].find((c) => c.sourceId === decodeURIComponent(m![1]!));
      if (!contact) return this.json(res, 404, { error: 'contact not found' });
      const conversation: FakeConversation = { id: ++this.nextId, contactId: contact.id, attributes: (payload.custom_attributes as Record<string, unknown>) ?? {}, status: 'open' };
      this.conversations.set(conversation.id, conversation);
      return this.json(res, 200, { id: conversation.id, inbox_id: '1', messages: [], contact: {} });
    }
    if (req.method === 'POST' && (m = new RegExp(`^${inbox}/contacts/([^/]+)/conversations/(\\d+)/messages$`).exec(path))) {
      if (this.failIncoming > 0) {
        this.failIncoming--;
        return this.json(res, 503, { error: 'unavailable' });
      }
      const contact = [...this.contacts.values()].find((c) => c.sourceId === decodeURIComponent(m![1]!));
      const conversation = this.conversations.get(Number(m[2]));
      if (!contact || !conversation || conversation.contactId !== contact.id) return this.json(res, 404, { error: 'not found' });
      const attachments = Object.values(files).map((f) => ({ name: f.name, bytes: f.bytes }));
      const message: FakeMessage = { id: ++this.nextId, conversationId: conversation.id, content: String(payload.content ?? ''), messageType: 0, private: false, senderType: 'Contact', senderName: contact.name, attachments };
      this.messages.push(message);
      return this.json(res, 200, { id: String(message.id), content: message.content, message_type: 'incoming' });
    }
    const account = `/api/v1/accounts/${this.accountId}`;
    if (path.startsWith('/api/v1/') && req.headers['api_access_token'] !== this.apiToken) return this.json(res, 401, { error: 'unauthorized' });
    if (req.method === 'GET' && (m = new RegExp(`^${account}/conversations/(\\d+)$`).exec(path))) {
      const conversation = this.conversations.get(Number(m[1]));
      if (!conversation) return this.json(res, 404, { error: 'not found' });
      return this.json(res, 200, { id: conversation.id, status: conversation.status, inbox_id: 1 });
    }
    if ((m = new RegExp(`^${account}/conversations/(\\d+)/messages$`).exec(path))) {
      const conversation = this.conversations.get(Number(m[1]));
      if (!conversation) return this.json(res, 404, { error: 'not found' });
      if (req.method === 'GET') {
        return this.json(res, 200, {
          payload: this.messagesIn(conversation.id).map((x) => ({
            id: x.id,
            content: x.content,
            message_type: x.messageType,
            private: x.private,
            sender_type: x.senderType,
            sender: { name: x.senderName, type: x.senderType.toLowerCase() },
            attachments: x.attachments.map((a) => ({ data_url: a.url ?? null, file_type: 'image' })),
          })),
        });
      }
      const message: FakeMessage = { id: ++this.nextId, conversationId: conversation.id, content: String(payload.content ?? ''), messageType: 1, private: payload.private === true, senderType: 'User', senderName: 'Guichet', attachments: [] };
      this.messages.push(message);
      return this.json(res, 200, { id: message.id });
    }
    if (req.method === 'POST' && (m = new RegExp(`^${account}/conversations/(\\d+)/toggle_status$`).exec(path))) {
      const conversation = this.conversations.get(Number(m[1]));
      if (!conversation) return this.json(res, 404, { error: 'not found' });
      conversation.status = payload.status === 'resolved' ? 'resolved' : 'open';
      return this.json(res, 200, { payload: { success: true, current_status: conversation.status } });
    }
    if (req.method === 'DELETE' && this.failDeletes > 0) {
      this.failDeletes--;
      return this.json(res, 503, { error: 'unavailable' });
    }
    if (req.method === 'DELETE' && (m = new RegExp(`^${account}/conversations/(\\d+)$`).exec(path))) {
      const id = Number(m[1]);
      if (!this.conversations.delete(id)) return this.json(res, 404, { error: 'not found' });
      for (let i = this.messages.length - 1; i >= 0; i--) if (this.messages[i]!.conversationId === id) this.messages.splice(i, 1);
      return this.json(res, 200, {});
    }
    if (req.method === 'DELETE' && (m = new RegExp(`^${account}/contacts/(\\d+)$`).exec(path))) {
      if (!this.contacts.delete(Number(m[1]))) return this.json(res, 404, { error: 'not found' });
      return this.json(res, 200, {});
    }
    return this.json(res, 404, { error: `no route ${req.method} ${path} in the fake` });
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }
}
