import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { BufferJSON, initAuthCreds, proto } from '@whiskeysockets/baileys';
import { createEngine } from '../../src/app.js';
import { ChannelRegistry } from '../../src/channels/registry.js';
import { decideReconnect } from '../../src/channels/whatsapp/reconnect-policy.js';
import { useStoreAuthState } from '../../src/channels/whatsapp/store-auth-state.js';
import { createWhatsAppChannel } from '../../src/channels/whatsapp/whatsapp-channel.js';
import { ProactivePacer } from '../../src/channels/whatsapp/proactive-pacer.js';
import { fixedClock } from '../../src/engine/clock.js';
import { FloodControl, type FloodPolicy } from '../../src/engine/flood-control.js';
import type { Store } from '../../src/store/ports.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { FakeWhatsAppSocket } from '../fakes/fake-whatsapp-socket.js';
import { fixtures } from '../fixtures/whatsapp/messages.js';
import { tempDir } from '../helpers/test-app.js';

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

function harness(options: { pairingNumber?: string; flood?: FloodPolicy } = {}) {
  const temp = tempDir();
  const store: Store = openSqliteStore(temp.dir);
  const sockets: FakeWhatsAppSocket[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const links: unknown[] = [];
  let downloads = 0;
  const logger = pino({ level: 'silent' });
  const channel = createWhatsAppChannel({
    authStore: store.channelAuth,
    logger,
    createSocket: (config) => {
      const socket = new FakeWhatsAppSocket(config);
      sockets.push(socket);
      return socket;
    },
    download: () => async () => {
      downloads++;
      return new Uint8Array([1, 2, 3]);
    },
    maxAttachmentBytes: 10 * 1024 * 1024,
    showLink: (link) => links.push(link),
    setTimer: (fn, ms) => void timers.push({ fn, ms }),
    random: () => 0.5,
    backoff: { baseMs: 1000, maxMs: 60_000 },
    pacer: new ProactivePacer({ minIntervalMs: 1000, jitterMs: 0, dailyCap: 2, now: () => 0, today: () => '2026-11-28', sleep: async () => undefined }),
    ...(options.pairingNumber ? { pairingNumber: options.pairingNumber } : {}),
  });
  const channels = new ChannelRegistry().add(channel);
  const flood = options.flood ? { flood: { control: new FloodControl(options.flood), channels: ['whatsapp'] as const } } : {};
  const { engine } = createEngine({ store, outbox: channels, logger, clock: fixedClock('2026-11-28T10:00:00+01:00'), config: { timeZone: 'Europe/Paris' }, vaultKey: randomBytes(32), ...flood });
  let finished = false;
  const running = channel.run((message) => engine.handle(message)).then(() => void (finished = true));
  return {
    store,
    channel,
    sockets,
    timers,
    links,
    downloads: () => downloads,
    finished: () => finished,
    socket: () => sockets[sockets.length - 1]!,
    /** Deliver messages and wait until Guichet has sent `replies` more messages. */
    async say(replies: number, ...messages: Parameters<FakeWhatsAppSocket['deliver']>) {
      const socket = sockets[sockets.length - 1]!;
      const before = socket.sent.length;
      socket.deliver(...messages);
      await until(() => socket.sent.length >= before + replies);
      await engine.idle();
      return socket.texts().slice(before);
    },
    async close() {
      await channel.stop();
      await running;
      await engine.idle();
      await store.close();
      temp.remove();
    },
  };
}

let h: ReturnType<typeof harness> | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('WhatsApp channel through the real adapter and a fake socket', () => {
  it('walks a whole route in numbered text menus', async () => {
    h = harness();
    await until(() => h!.sockets.length === 1);
    h.socket().open();
    const picker = await h.say(1, fixtures.text('salam'));
    expect(picker[0]).toMatch(/1\. العربية\n2\. বাংলা\n3\. Português\n4\. Français\n5\. English/);
    const menu = await h.say(2, fixtures.text('٥'));
    expect(menu[1]).toMatch(/3\. Ways to get an appointment/);
    await h.say(1, fixtures.extendedText('3'));
    await h.say(1, fixtures.text('1'));
    for (let i = 0; i < 4; i++) await h.say(1, fixtures.ephemeral('1'));
    const last = h.socket().texts().at(-1)!;
    expect(last).toMatch(/If they cannot help you/);
    expect(last).toMatch(/\n1\. Call the ANEF help line\n2\. Back\n0\. Main menu$/);
    expect(h.socket().sent.every((s) => s.jid === '33612345678@s.whatsapp.net')).toBe(true);
  });

  it('bounds one chat’s flood before queueing it, tells them once, and answers another chat meanwhile', async () => {
    h = harness({ flood: { burst: 2, perSecond: 5, maxQueued: 4 } });
    await until(() => h!.sockets.length === 1);
    h.socket().open();
    const flooder = '33700000001@s.whatsapp.net';
    const other = '33700000002@s.whatsapp.net';
    // 500 messages from one chat in one event, then one from someone else.
    h.socket().deliver(...Array.from({ length: 500 }, (_, n) => fixtures.text(`salut ${n}`, flooder)));
    h.socket().deliver(fixtures.text('bonjour', other));
    const to = (jid: string) => h!.socket().sent.filter((s) => s.jid === jid);
    await until(() => to(other).length >= 1 && to(flooder).length >= 5);
    await new Promise((r) => setTimeout(r, 300));
    const texts = (jid: string) => to(jid).map((s) => ('text' in s.content ? String(s.content.text) : ''));
    // Four accepted (the picker each time), one refusal for the other 496.
    expect(texts(flooder).filter((t) => /Choose your language/.test(t))).toHaveLength(4);
    expect(texts(flooder).filter((t) => /not read the last ones|pas lu les derniers/.test(t))).toHaveLength(1);
    // The other chat was answered before the flooder's slowed messages.
    const sent = h.socket().sent;
    expect(sent.indexOf(to(other)[0]!)).toBeLessThan(sent.indexOf(to(flooder).at(-1)!));
  });

  it('keys duplicates on the sender and the message id together: one sender cannot mask another', async () => {
    h = harness();
    await until(() => h!.sockets.length === 1);
    h.socket().open();
    const first = fixtures.text('hello', '33700000003@s.whatsapp.net');
    const sameId = { ...fixtures.text('hello', '33700000004@s.whatsapp.net'), key: { ...first.key, remoteJid: '33700000004@s.whatsapp.net' } };
    await h.say(2, first, sameId);
    expect(new Set(h.socket().sent.map((s) => s.jid))).toEqual(new Set(['33700000003@s.whatsapp.net', '33700000004@s.whatsapp.net']));
  });

  it('handles a message delivered twice only once', async () => {
    h = harness();
    await until(() => h!.sockets.length === 1);
    h.socket().open();
    const message = fixtures.text('hello');
    await h.say(1, message);
    h.socket().deliver(message);
    await new Promise((r) => setTimeout(r, 50));
    expect(h.socket().sent).toHaveLength(1);
  });

  it('refuses oversize media with a clear answer and downloads nothing', async () => {
    h = harness();
    await until(() => h!.sockets.length === 1);
    h.socket().open();
    await h.say(1, fixtures.text('hi'));
    await h.say(2, fixtures.text('5'));
    // One bubble: the refusal and the question it returns to.
    const replies = await h.say(1, fixtures.image(30 * 1024 * 1024));
    expect(replies[0]).toMatch(/too big[\s\S]*Main menu/);
    expect(h.downloads()).toBe(0);
  });

  it('replies to an @lid sender at the @lid identity', async () => {
    h = harness();
    await until(() => h!.sockets.length === 1);
    h.socket().open();
    await h.say(1, fixtures.lidSender('hi'));
    expect(h.socket().sent[0]!.jid).toBe('185672634982011@lid');
  });

  it('sends PDFs as documents and keeps sent messages for retries', async () => {
    h = harness();
    await until(() => h!.sockets.length === 1);
    const socket = h.socket();
    socket.open();
    await h.channel.send('33612345678@s.whatsapp.net', [
      { kind: 'document', fileName: 'lettre.pdf', mimeType: 'application/pdf', bytes: new Uint8Array([37, 80, 68, 70]) },
      { kind: 'text', text: 'done', direction: 'ltr' },
    ]);
    expect(socket.sent[0]!.content).toMatchObject({ mimetype: 'application/pdf', fileName: 'lettre.pdf' });
    expect(await socket.config.getMessage({ id: 'SENT2' })).toEqual({ conversation: 'done' });
    expect(await socket.config.getMessage({ id: 'unknown' })).toBeUndefined();
  });

  it('paces proactive messages through the pacer, up to its daily cap', async () => {
    h = harness();
    await until(() => h!.sockets.length === 1);
    h.socket().open();
    const reminder = [{ kind: 'text', text: 'reminder', direction: 'ltr' }] as const;
    expect(await h.channel.sendProactive('33612345678@s.whatsapp.net', reminder)).toBe(true);
    expect(await h.channel.sendProactive('33612345678@s.whatsapp.net', reminder)).toBe(true);
    expect(await h.channel.sendProactive('33612345678@s.whatsapp.net', reminder)).toBe(false);
    expect(h.socket().texts()).toEqual(['reminder', 'reminder']);
  });

  it('shows a QR code to link, or asks once for a pairing code when a number is set', async () => {
    h = harness();
    await until(() => h!.sockets.length === 1);
    h.socket().ev.emit('connection.update', { qr: '2@abc,def' });
    expect(h.links).toEqual([{ qr: '2@abc,def' }]);
    await h.close();

    h = harness({ pairingNumber: '33612345678' });
    await until(() => h!.sockets.length === 1);
    h.socket().ev.emit('connection.update', { qr: '2@abc' });
    h.socket().ev.emit('connection.update', { qr: '2@abd' });
    await until(() => h!.links.length === 1);
    expect(h.socket().pairingRequests).toEqual(['33612345678']);
    expect(h.links).toEqual([{ pairingCode: 'GUIC-HET1' }]);
  });
});

describe('reconnecting by disconnect reason', () => {
  it('decides per reason, with exponential back-off and jitter', () => {
    const backoff = { baseMs: 1000, maxMs: 60_000 };
    expect(decideReconnect(401, 0, backoff)).toEqual({ action: 'relink' });
    expect(decideReconnect(440, 0, backoff)).toEqual({ action: 'stop', reason: 'replaced' });
    expect(decideReconnect(403, 0, backoff)).toEqual({ action: 'stop', reason: 'forbidden' });
    expect(decideReconnect(515, 7, backoff)).toEqual({ action: 'reconnect', delayMs: 0 });
    expect(decideReconnect(408, 0, backoff, () => 0)).toEqual({ action: 'reconnect', delayMs: 500 });
    expect(decideReconnect(428, 3, backoff, () => 1)).toEqual({ action: 'reconnect', delayMs: 8000 });
    expect(decideReconnect(undefined, 30, backoff, () => 1)).toEqual({ action: 'reconnect', delayMs: 60_000 });
  });

  it('acts on each reason: restart at once, back off, re-link after logout, stop when replaced', async () => {
    h = harness();
    await until(() => h!.sockets.length === 1);
    const first = h.socket();
    first.close(515);
    expect(h.timers.at(-1)!.ms).toBe(0);
    expect(first.ev.listenerCount('messages.upsert')).toBe(0);
    h.timers.at(-1)!.fn();
    await until(() => h!.sockets.length === 2);

    // Never opened, so each close counts: the second step is 2 s, the third 4 s (jitter 0.5: three quarters of it).
    h.socket().close(408);
    expect(h.timers.at(-1)!.ms).toBe(1500);
    h.timers.at(-1)!.fn();
    await until(() => h!.sockets.length === 3);
    h.socket().close(408);
    expect(h.timers.at(-1)!.ms).toBe(3000);
    h.timers.at(-1)!.fn();
    await until(() => h!.sockets.length === 4);
    // Once connected, the back-off starts again from the first step.
    h.socket().open();
    h.socket().close(408);
    expect(h.timers.at(-1)!.ms).toBe(750);
    h.timers.at(-1)!.fn();
    await until(() => h!.sockets.length === 5);

    await h.store.channelAuth.write('whatsapp', { creds: '{"registered":true}' });
    h.socket().close(401);
    await until(() => h!.timers.length === 5);
    expect((await h.store.channelAuth.read('whatsapp', ['creds'])).size).toBe(0);
    h.timers.at(-1)!.fn();
    await until(() => h!.sockets.length === 6);

    h.socket().close(440);
    await until(() => h!.finished());
    expect(h.channel.stopReason()).toBe('replaced');
  });
});

/** The same round trip on every store adapter: SQLite always, MongoDB when MONGODB_URI is set. */
const authStores: [string, () => Promise<{ open: () => Promise<Store>; destroy: () => Promise<void> }>][] = [
  [
    'sqlite',
    async () => {
      const temp = tempDir();
      return { open: async () => openSqliteStore(temp.dir), destroy: async () => temp.remove() };
    },
  ],
];
if (process.env.MONGODB_URI) {
  authStores.push([
    'mongodb',
    async () => {
      const { openMongoStore } = await import('../../src/store/mongo/mongo-store.js');
      const url = new URL(process.env.MONGODB_URI!);
      url.pathname = `/guichet_wa_${Date.now().toString(36)}`;
      return {
        open: () => openMongoStore(url.toString()),
        destroy: async () => {
          const s = await openMongoStore(url.toString());
          await s.channelAuth.clear('whatsapp');
          await s.close();
        },
      };
    },
  ]);
}

describe.each(authStores)('WhatsApp credentials in the %s store', (_name, makeStores) => {
  it('round-trips creds and every key type, Buffers included, through a fresh store instance', async () => {
    const stores = await makeStores();
    const store = await stores.open();
    const first = await useStoreAuthState(store.channelAuth);
    first.state.creds.registered = true;
    await first.saveCreds();
    const buffer = Buffer.from([0, 1, 2, 250, 255]);
    await first.state.keys.set({
      'pre-key': { '1': { public: buffer, private: Buffer.from([9]) } },
      session: { 'a.0': new Uint8Array([5, 6]) },
      'sender-key': { 'g::a': new Uint8Array([7]) },
      'sender-key-memory': { g: { a: true } },
      'app-state-sync-key': { k1: proto.Message.AppStateSyncKeyData.fromObject({ keyData: buffer, timestamp: 5 }) },
      'app-state-sync-version': { regular: { version: 3, hash: buffer, indexValueMap: {} } },
      'lid-mapping': { '33612345678': '185672634982011' },
      'device-list': { '33612345678': ['0', '12'] },
      tctoken: { '33612345678@s.whatsapp.net': { token: buffer, timestamp: '1764300000' } },
      'identity-key': { '33612345678.0': new Uint8Array([42]) },
    });
    await store.close();

    const reopened = await stores.open();
    const second = await useStoreAuthState(reopened.channelAuth);
    expect(second.state.creds.registered).toBe(true);
    expect(Buffer.from(second.state.creds.noiseKey.private)).toEqual(Buffer.from(first.state.creds.noiseKey.private));
    expect((await second.state.keys.get('pre-key', ['1', '2']))['1']).toEqual({ public: buffer, private: Buffer.from([9]) });
    expect(Buffer.from((await second.state.keys.get('session', ['a.0']))['a.0']!)).toEqual(Buffer.from([5, 6]));
    const appKey = (await second.state.keys.get('app-state-sync-key', ['k1']))['k1']!;
    expect(appKey).toBeInstanceOf(proto.Message.AppStateSyncKeyData);
    expect(Buffer.from(appKey.keyData!)).toEqual(buffer);
    expect(await second.state.keys.get('lid-mapping', ['33612345678'])).toEqual({ '33612345678': '185672634982011' });
    expect(await second.state.keys.get('device-list', ['33612345678'])).toEqual({ '33612345678': ['0', '12'] });
    expect((await second.state.keys.get('tctoken', ['33612345678@s.whatsapp.net']))['33612345678@s.whatsapp.net']!.token).toEqual(buffer);
    expect(Buffer.from((await second.state.keys.get('identity-key', ['33612345678.0']))['33612345678.0']!)).toEqual(Buffer.from([42]));
    // A null value deletes.
    await second.state.keys.set({ session: { 'a.0': null } });
    expect(await second.state.keys.get('session', ['a.0'])).toEqual({});
    expect(JSON.parse(JSON.stringify(initAuthCreds(), BufferJSON.replacer))).toBeTruthy();
    await reopened.close();
    await stores.destroy();
  });
});
