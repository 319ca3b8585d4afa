import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Telegram Bot API, spoken to over real HTTP by
 * grammY through `apiRoot`. It keeps a queue of updates for getUpdates (with
 * offsets and long polling), records every call, serves files for download,
 * and can be told to answer the next calls with 429, 5xx or 403.
 */
export interface RecordedCall {
  readonly method: string;
  readonly payload: Record<string, unknown>;
  /** Files sent in multipart requests: field name → bytes and file name. */
  readonly files: Record<string, { name: string; bytes: Uint8Array }>;
}

type Failure = { status: 429; retryAfter: number } | { status: 500 } | { status: 403 };

export class FakeTelegram {
  readonly token = '123456:TEST-token-for-the-fake-bot-api-server';
  readonly calls: RecordedCall[] = [];
  private server: Server | undefined;
  private updates: { update_id: number; [key: string]: unknown }[] = [];
  private nextUpdateId = 1;
  private waiters: (() => void)[] = [];
  private failures = new Map<string, Failure[]>();
  private files = new Map<string, Uint8Array>();
  private messageId = 1000;
  private threadId = 500;
  /** Forum topics of supergroups, as the bot made them. */
  readonly topics = new Map<number, { chatId: number; name: string; closed: boolean }>();
  /** Group membership as getChatMember answers it: user id → status ("member", "administrator", "left"…). */
  readonly members = new Map<number, string>();
  apiRoot = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res).catch(() => res.writeHead(500).end()));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.apiRoot = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const wake of this.waiters.splice(0)) wake();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Queue an update as Telegram would deliver it; returns its update_id. */
  push(update: Record<string, unknown>, updateId = this.nextUpdateId++): number {
    this.nextUpdateId = Math.max(this.nextUpdateId, updateId + 1);
    this.updates.push({ update_id: updateId, ...update });
    for (const wake of this.waiters.splice(0)) wake();
    return updateId;
  }

  /** The next `count` calls of `method` fail this way. */
  failNext(method: string, failure: Failure, count = 1): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...Array.from({ length: count }, () => failure)]);
  }

  /** Make a file available for getFile and download. */
  addFile(fileId: string, bytes: Uint8Array): void {
    this.files.set(fileId, bytes);
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Resolve once `predicate` holds for the recorded calls (polls; bounded). */
  async waitFor(predicate: (calls: RecordedCall[]) => boolean, timeoutMs = 5000): Promise<void> {
    const started = Date.now();
    while (!predicate(this.calls)) {
      if (Date.now() - started > timeoutMs) throw new Error('fake Telegram: condition not met in time');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url!, this.apiRoot);
    const download = url.pathname.match(/^\/file\/bot([^/]+)\/(.+)$/);
    if (download) {
      const bytes = download[1] === this.token ? this.files.get(decodeURIComponent(download[2]!).replace(/^files\//, '')) : undefined;
      if (!bytes) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      return void res.end(Buffer.from(bytes));
    }
    const match = url.pathname.match(/^\/bot([^/]+)\/(\w+)$/);
    if (!match || match[1] !== this.token) return this.reply(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const method = match[2]!;
    const { payload, files } = await readPayload(req);
    this.calls.push({ method, payload, files });

    const failure = this.failures.get(method)?.shift();
    if (failure?.status === 429) {
      return this.reply(res, 429, { ok: false, error_code: 429, description: 'Too Many Requests: retry later', parameters: { retry_after: failure.retryAfter } });
    }
    if (failure?.status === 500) return this.reply(res, 500, { ok: false, error_code: 500, description: 'Internal Server Error' });
    if (failure?.status === 403) return this.reply(res, 403, { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' });

    switch (method) {
      case 'getMe':
        return this.ok(res, { id: 123456, is_bot: true, first_name: 'Guichet', username: 'guichet_test_bot', can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false });
      case 'deleteWebhook':
      case 'setWebhook':
      case 'answerCallbackQuery':
        return this.ok(res, true);
      case 'getUpdates':
        return this.ok(res, await this.getUpdates(Number(payload.offset ?? 0), Number(payload.timeout ?? 0)));
      case 'sendMessage':
        // As the real Bot API: a text over 4,096 characters is refused.
        if (String(payload.text ?? '').length > 4096) return this.reply(res, 400, { ok: false, error_code: 400, description: 'Bad Request: message is too long' });
        return this.ok(res, { message_id: ++this.messageId, date: Math.floor(Date.now() / 1000), chat: { id: Number(payload.chat_id), type: 'private' } });
      case 'sendDocument':
      case 'sendPhoto':
        return this.ok(res, { message_id: ++this.messageId, date: Math.floor(Date.now() / 1000), chat: { id: Number(payload.chat_id), type: 'private' } });
      case 'createForumTopic': {
        const id = ++this.threadId;
        this.topics.set(id, { chatId: Number(payload.chat_id), name: String(payload.name), closed: false });
        return this.ok(res, { message_thread_id: id, name: String(payload.name), icon_color: 7322096 });
      }
      case 'closeForumTopic':
      case 'reopenForumTopic':
      case 'deleteForumTopic': {
        const topic = this.topics.get(Number(payload.message_thread_id));
        if (!topic) return this.reply(res, 400, { ok: false, error_code: 400, description: 'Bad Request: TOPIC_ID_INVALID' });
        if (method === 'deleteForumTopic') this.topics.delete(Number(payload.message_thread_id));
        else if (topic.closed === (method === 'closeForumTopic')) return this.reply(res, 400, { ok: false, error_code: 400, description: 'Bad Request: TOPIC_NOT_MODIFIED' });
        else topic.closed = method === 'closeForumTopic';
        return this.ok(res, true);
      }
      case 'getChatMember': {
        const userId = Number(payload.user_id);
        return this.ok(res, { status: this.members.get(userId) ?? 'left', user: { id: userId, is_bot: false, first_name: 'X' } });
      }
      case 'getFile': {
        const fileId = String(payload.file_id);
        const bytes = this.files.get(fileId);
        if (!bytes) return this.reply(res, 400, { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' });
        return this.ok(res, { file_id: fileId, file_unique_id: `u-${fileId}`, file_size: bytes.length, file_path: `files/${fileId}` });
      }
      default:
        return this.reply(res, 404, { ok: false, error_code: 404, description: `Not Found: method ${method} not in the fake` });
    }
  }

  private async getUpdates(offset: number, timeoutSeconds: number): Promise<unknown[]> {
    // Telegram forgets updates below the offset: they were confirmed.
    this.updates = this.updates.filter((u) => u.update_id >= offset);
    if (this.updates.length === 0 && timeoutSeconds > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(timeoutSeconds, 1) * 1000);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.updates.filter((u) => u.update_id >= offset);
  }

  private ok(res: ServerResponse, result: unknown): void {
    this.reply(res, 200, { ok: true, result });
  }

  private reply(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }
}

export async function readPayload(req: IncomingMessage): Promise<{ payload: Record<string, unknown>; files: RecordedCall['files'] }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('multipart/form-data')) return parseMultipart(body, /boundary=("?)([^";]+)\1/.exec(type)![2]!);
  if (body.length === 0) return { payload: {}, files: {} };
  return { payload: JSON.parse(body.toString('utf8')) as Record<string, unknown>, files: {} };
}

/** A small multipart/form-data reader: enough for what grammY sends (fields and files). */
function parseMultipart(body: Buffer, boundary: string): { payload: Record<string, unknown>; files: RecordedCall['files'] } {
  const payload: Record<string, unknown> = {};
  const files: RecordedCall['files'] = {};
  const delimiter = Buffer.from(`--${boundary}`);
  let position = body.indexOf(delimiter);
  while (position !== -1) {
    const start = position + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    const part = body.subarray(start + 2, next - 2); // drop the CRLF after the delimiter and before the next
    const headerEnd = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, headerEnd).toString('utf8');
    const content = part.subarray(headerEnd + 4);
    const name = /[;\s]name="?([^";\r\n]*)"?/.exec(headers)?.[1] ?? '';
    const fileName = /filename="?([^";\r\n]*)"?/.exec(headers)?.[1];
    if (fileName !== undefined) files[name] = { name: fileName, bytes: new Uint8Array(content) };
    else payload[name] = tryJson(content.toString('utf8'));
    position = next;
  }
  return { payload, files };
}

function tryJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
