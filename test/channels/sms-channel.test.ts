import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { KannelSendsms, SmsRefusedError, SmsUnavailableError } from '../../src/channels/sms/kannel-sendsms.js';
import { SMS_DLR_PATH, SMS_RECEIVE_PATH, SmsChannel } from '../../src/channels/sms/sms-channel.js';
import { packSms } from '../../src/channels/sms/sms-messages.js';
import { encodeSms } from '../../src/channels/sms/sms-encoding.js';
import type { InboundMessage } from '../../src/messages.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { memoryLogger } from '../helpers/silent-logger.js';
import { tempDir } from '../helpers/test-app.js';

const SECRET = 'unit-secret-0123456789';

function makeChannel(options: { dailyParts?: number } = {}) {
  const temp = tempDir();
  const store = openSqliteStore(temp.dir);
  const sent: { id: string; to: string; text: string }[] = [];
  const { logger, lines } = memoryLogger();
  const channel = new SmsChannel({
    sendsms: { send: async (id, to, text) => void sent.push({ id, to, text }) },
    log: store.sms,
    logger,
    now: () => Date.now(),
    host: '127.0.0.1',
    port: 0,
    secret: SECRET,
    maxParts: 3,
    dailyParts: options.dailyParts ?? 40,
    who: (address) => `who:${address}`,
    today: () => ({ day: '2026-12-02', start: 0 }),
    budgetNotice: async () => 'Budget reached: write again tomorrow.',
  });
  const inbound: InboundMessage[] = [];
  return {
    channel,
    store,
    sent,
    inbound,
    lines,
    async start() {
      await channel.start(async (message) => void inbound.push(message));
      return `http://127.0.0.1:${channel.listeningPort()}`;
    },
    async close() {
      await channel.stop();
      await store.close();
      temp.remove();
    },
  };
}

const utf16Percent = (text: string) => [...Buffer.from(text, 'utf16le').swap16()].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');

describe('SMS channel (Kannel receive and delivery-report URLs)', () => {
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const c of open.splice(0)) await c.close();
  });

  it('refuses a wrong or missing secret with 401 and hands nothing on', async () => {
    const c = makeChannel();
    open.push(c);
    const base = await c.start();
    expect((await fetch(`${base}${SMS_RECEIVE_PATH}?secret=wrong-secret-000000&id=1&from=0611&text=Bonjour`)).status).toBe(401);
    expect((await fetch(`${base}${SMS_RECEIVE_PATH}?id=1&from=0611&text=Bonjour`)).status).toBe(401);
    await c.channel.stop();
    expect(c.inbound).toEqual([]);
  });

  it('reads Arabic and Bengali sent as UTF-8 (mo-recode) and as UCS-2 (coding=2)', async () => {
    const c = makeChannel();
    open.push(c);
    const base = await c.start();
    const arabic = 'مرحبا، أريد موعدا';
    const bengali = 'আমি সাহায্য চাই';
    expect((await fetch(`${base}${SMS_RECEIVE_PATH}?secret=${SECRET}&id=a1&from=0611111111&text=${encodeURIComponent(arabic)}&coding=0&charset=UTF-8`)).status).toBe(200);
    expect((await fetch(`${base}${SMS_RECEIVE_PATH}?secret=${SECRET}&id=a2&from=0611111111&text=${utf16Percent(bengali)}&coding=2&charset=UTF-16BE`)).status).toBe(200);
    await c.channel.stop();
    expect(c.inbound.map((m) => (m.kind === 'text' ? m.text : m.kind))).toEqual([arabic, bengali]);
    expect(c.inbound.every((m) => m.channel === 'sms' && m.address === '0611111111')).toBe(true);
    expect(c.lines.join('\n')).not.toContain('0611111111');
  });

  it('records delivery reports, and a late "accepted" does not hide "delivered"', async () => {
    const c = makeChannel();
    open.push(c);
    const base = await c.start();
    await c.channel.send('0622222222', [{ kind: 'text', text: 'Bonjour', direction: 'ltr' }]);
    const id = c.sent[0]!.id;
    expect((await c.store.sms.get(id))?.state).toBe('queued');
    expect((await fetch(`${base}${SMS_DLR_PATH}?secret=${SECRET}&id=${id}&status=8`)).status).toBe(200);
    expect((await c.store.sms.get(id))?.state).toBe('accepted');
    await fetch(`${base}${SMS_DLR_PATH}?secret=${SECRET}&id=${id}&status=1`);
    await fetch(`${base}${SMS_DLR_PATH}?secret=${SECRET}&id=${id}&status=4`);
    expect((await c.store.sms.get(id))?.state).toBe('delivered');
    expect((await fetch(`${base}${SMS_DLR_PATH}?secret=${SECRET}&id=unknown&status=1`)).status).toBe(404);
    expect((await fetch(`${base}${SMS_DLR_PATH}?secret=nope-nope-nope-nope&id=${id}&status=2`)).status).toBe(401);
    expect((await c.store.sms.get(id))?.state).toBe('delivered');
  });

  it('once the day\'s parts are used, says so once and reads nothing more; reminders wait', async () => {
    const c = makeChannel({ dailyParts: 5 });
    open.push(c);
    const base = await c.start();
    await c.store.sms.record({ id: 'earlier', who: 'who:0633333333', parts: 5, createdAt: 1 });
    for (const id of ['b1', 'b2', 'b3']) await fetch(`${base}${SMS_RECEIVE_PATH}?secret=${SECRET}&id=${id}&from=0633333333&text=1`);
    await c.channel.stop();
    expect(c.inbound).toEqual([]);
    expect(c.sent.map((s) => s.text)).toEqual(['Budget reached: write again tomorrow.']);
    expect(await c.channel.sendProactive('0633333333', [{ kind: 'text', text: 'Reminder', direction: 'ltr' }])).toBe(false);
  });
});

describe('packing a reply into SMS', () => {
  it('keeps each SMS within the part limit and loses no word', () => {
    const long = Array.from({ length: 40 }, (_, i) => `Phrase ${i} : voici une information utile.`).join(' ');
    const arabic = Array.from({ length: 30 }, () => 'هذه معلومة مفيدة لك.').join(' ');
    for (const text of [long, arabic]) {
      const smss = packSms([text, 'Question ?\n1 Oui  2 Non'], 3);
      expect(smss.length).toBeGreaterThan(1);
      for (const sms of smss) expect(encodeSms(sms).parts.length).toBeLessThanOrEqual(3);
      expect(smss.join(' ').split(/\s+/).filter(Boolean)).toEqual(`${text} Question ? 1 Oui 2 Non`.split(/\s+/));
    }
  });
});

describe("Kannel's sendsms", () => {
  it('retries a 5xx a bounded number of times, does not retry a 4xx, and sends UCS-2 as coding=2', async () => {
    const seen: URLSearchParams[] = [];
    let answers = [503, 503, 202];
    const server = createServer((req, res) => {
      seen.push(new URL(req.url!, 'http://x').searchParams);
      res.writeHead(answers.shift() ?? 202).end('0: Accepted for delivery');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/cgi-bin/sendsms`;
    const sendsms = new KannelSendsms({ url, username: 'u', password: 'p', from: '1234', dlrUrl: (id) => `http://g/dlr?id=${id}&status=%d`, sleep: async () => undefined });
    await sendsms.send('m1', '0611', 'مرحبا بك');
    expect(seen).toHaveLength(3);
    expect(seen[2]!.get('coding')).toBe('2');
    expect(seen[2]!.get('text')).toBe('مرحبا بك');
    expect(seen[2]!.get('dlr-url')).toBe('http://g/dlr?id=m1&status=%d');
    answers = [];
    await sendsms.send('m2', '0611', 'Déjà « prêt »');
    expect(seen[3]!.get('coding')).toBeNull();
    expect(seen[3]!.get('text')).toBe('Déjà " pret "');
    answers = [503, 503, 503];
    await expect(sendsms.send('m3', '0611', 'x')).rejects.toBeInstanceOf(SmsUnavailableError);
    answers = [403];
    const before = seen.length;
    await expect(sendsms.send('m4', '0611', 'x')).rejects.toBeInstanceOf(SmsRefusedError);
    expect(seen.length - before).toBe(1);
    server.close();
  });
});
