import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { createEngine } from '../../src/app.js';
import { ChannelRegistry } from '../../src/channels/registry.js';
import { createTelegramChannel } from '../../src/channels/telegram/telegram-channel.js';
import { fixedClock } from '../../src/engine/clock.js';
import { FloodControl, type FloodPolicy } from '../../src/engine/flood-control.js';
import type { InboundMessage } from '../../src/messages.js';
import type { Store } from '../../src/store/ports.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { FakeTelegram, type RecordedCall } from '../fakes/fake-telegram-server.js';
import { tempDir } from '../helpers/test-app.js';

const CHAT = 4242;
const from = { id: CHAT, is_bot: false, first_name: 'Test', language_code: 'fr' };
const chat = { id: CHAT, type: 'private', first_name: 'Test' };
let messageCounter = 1;
const textUpdate = (text: string) => ({ message: { message_id: messageCounter++, date: 1, chat, from, text } });
const tapUpdate = (data: string) => ({ callback_query: { id: `cb${messageCounter++}`, from, chat_instance: 'x', data, message: { message_id: 1, date: 1, chat } } });

interface Harness {
  fake: FakeTelegram;
  store: Store;
  inbound: InboundMessage[];
  channel: ReturnType<typeof createTelegramChannel>;
  running: Promise<void>;
  stop(): Promise<void>;
}

async function startHarness(fake: FakeTelegram, dataDir: string, options: { webhook?: { secret: string }; flood?: FloodPolicy } = {}): Promise<Harness> {
  const store = openSqliteStore(dataDir);
  const logger = pino({ level: 'silent' });
  const channels = new ChannelRegistry();
  const channel = createTelegramChannel({
    token: fake.token,
    apiRoot: fake.apiRoot,
    maxAttachmentBytes: 10 * 1024 * 1024,
    logger,
    onUnreachable: (address) => store.people.markUnreachable('telegram', address, 1),
    retry: { maxRetries: 3, maxRetryAfterSeconds: 2, baseDelayMs: 20 },
    ...(options.webhook ? { webhook: { url: 'https://guichet.example/telegram', secret: options.webhook.secret, port: 0 } } : {}),
  });
  channels.add(channel);
  const flood = options.flood ? { flood: { control: new FloodControl(options.flood), channels: ['telegram'] as const } } : {};
  const { engine } = createEngine({ store, outbox: channels, logger, clock: fixedClock('2026-11-28T10:00:00+01:00'), config: { timeZone: 'Europe/Paris' }, vaultKey: randomBytes(32), ...flood });
  const inbound: InboundMessage[] = [];
  const running = channel.run(async (message) => {
    inbound.push(message);
    await engine.handle(message);
  });
  return {
    fake,
    store,
    inbound,
    channel,
    running,
    async stop() {
      await channel.stop();
      await running;
      await engine.idle();
      await store.close();
    },
  };
}

const sent = (fake: FakeTelegram) => fake.calls.filter((c) => c.method === 'sendMessage' && c.payload.chat_id === CHAT);
const lastKeyboard = (fake: FakeTelegram): { text: string; callback_data: string }[] => {
  const withKeyboard = sent(fake).filter((c) => c.payload.reply_markup);
  const markup = withKeyboard[withKeyboard.length - 1]!.payload.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] };
  return markup.inline_keyboard.map((row) => row[0]!);
};
const lastText = (fake: FakeTelegram) => String(sent(fake).at(-1)?.payload.text ?? '');

/** Send an update and wait until Guichet has answered it with a question. */
async function exchange(h: Harness, update: Record<string, unknown>): Promise<RecordedCall[]> {
  const before = sent(h.fake).length;
  h.fake.push(update);
  await h.fake.waitFor(() => sent(h.fake).slice(before).some((c) => c.payload.reply_markup));
  return sent(h.fake).slice(before);
}

describe('Telegram channel over a local Bot API server', () => {
  let fake: FakeTelegram;
  let temp: ReturnType<typeof tempDir>;
  let h: Harness | undefined;

  beforeEach(async () => {
    fake = new FakeTelegram();
    await fake.start();
    temp = tempDir();
  });
  afterEach(async () => {
    await h?.stop();
    h = undefined;
    await fake.stop();
    temp.remove();
  });

  it('answers another person at once while one floods, and refuses the flood beyond its queue, telling them once', async () => {
    // Two messages at once, then one per 200 ms; four may wait.
    h = await startHarness(fake, temp.dir, { flood: { burst: 2, perSecond: 5, maxQueued: 4 } });
    const FLOODER = 777;
    const flooder = { id: FLOODER, is_bot: false, first_name: 'F' };
    const flood = (n: number) => ({ message: { message_id: 5000 + n, date: 1, chat: { id: FLOODER, type: 'private', first_name: 'F' }, from: flooder, text: `salut ${n}` } });
    for (let n = 0; n < 12; n++) fake.push(flood(n));
    fake.push(textUpdate('bonjour'));
    const toFlooder = () => fake.calls.filter((c) => c.method === 'sendMessage' && c.payload.chat_id === FLOODER);
    // The refusal, in whichever language the flooder gets it before choosing one.
    const refused = (c: RecordedCall) => /not read the last ones|pas lu les derniers/.test(String(c.payload.text));
    await fake.waitFor(() => sent(fake).length > 0 && toFlooder().filter((c) => c.payload.reply_markup).length >= 4);
    // The other person's first reply went out before the flooder's slowed messages were answered.
    const firstVictimReply = fake.calls.indexOf(sent(fake)[0]!);
    const flooderQuestions = toFlooder().filter((c) => c.payload.reply_markup);
    expect(firstVictimReply).toBeLessThan(fake.calls.indexOf(flooderQuestions[2]!));
    // Four accepted (two at once, two slowed), eight refused before queueing, and told once.
    expect(flooderQuestions).toHaveLength(4);
    expect(toFlooder().filter(refused)).toHaveLength(1);
  });

  it('walks a whole route by taps, answering every callback, with the phone language first in the picker', async () => {
    h = await startHarness(fake, temp.dir);
    await exchange(h, textUpdate('/start'));
    const picker = lastKeyboard(fake);
    expect(picker[0]!.text).toBe('1. Français');
    expect(picker).toHaveLength(5);
    await exchange(h, tapUpdate(picker[0]!.callback_data));
    expect(lastText(fake)).toMatch(/Menu principal/);
    const menu = lastKeyboard(fake);
    await exchange(h, tapUpdate(menu.find((b) => b.text.startsWith('3. '))!.callback_data)); // ways to an appointment
    await exchange(h, tapUpdate(lastKeyboard(fake)[0]!.callback_data)); // help desks
    for (let step = 0; step < 4; step++) await exchange(h, tapUpdate(lastKeyboard(fake)[0]!.callback_data));
    expect(lastText(fake)).toMatch(/S'ils ne peuvent pas vous aider/);
    expect(fake.callsOf('answerCallbackQuery')).toHaveLength(7);
    expect(fake.callsOf('deleteWebhook').length).toBeGreaterThanOrEqual(1);
  });

  it('walks a whole route by typed numbers and words, without touching a button', async () => {
    h = await startHarness(fake, temp.dir);
    await exchange(h, textUpdate('/start'));
    await exchange(h, textUpdate('English'));
    await exchange(h, textUpdate('ways to get an appointment'));
    await exchange(h, textUpdate('2'));
    expect(lastText(fake)).toMatch(/0 806 001 620/);
    await exchange(h, textUpdate('next'));
    await exchange(h, textUpdate('1'));
    expect(lastText(fake)).toMatch(/Before you call/);
    await exchange(h, textUpdate('note a call'));
    await exchange(h, textUpdate('today'));
    await exchange(h, textUpdate('14h30'));
    await exchange(h, textUpdate('1'));
    await exchange(h, textUpdate('Martin'));
    await exchange(h, textUpdate('2'));
    const saved = await exchange(h, textUpdate('call back on monday'));
    expect(saved.map((c) => String(c.payload.text)).join('\n')).toContain("COMPTE-RENDU D'APPEL");
    await exchange(h, textUpdate('1')); // the record as a PDF
    expect(fake.callsOf('sendDocument')).toHaveLength(1);
    await exchange(h, textUpdate('menu'));
    expect(lastText(fake)).toMatch(/Main menu/);
    expect(fake.callsOf('answerCallbackQuery')).toHaveLength(0);
  });

  it('ignores a tap on an old keyboard politely', async () => {
    h = await startHarness(fake, temp.dir);
    await exchange(h, textUpdate('/start'));
    const picker = lastKeyboard(fake);
    await exchange(h, tapUpdate(picker[4]!.callback_data)); // English
    const replies = await exchange(h, tapUpdate(picker[1]!.callback_data)); // the picker again
    expect(String(replies[0]!.payload.text)).toMatch(/earlier question/);
    expect(lastText(fake)).toMatch(/Main menu/);
  });

  it('does not handle an update twice, even after a restart', async () => {
    h = await startHarness(fake, temp.dir);
    await exchange(h, textUpdate('/start'));
    const id = fake.push(textUpdate('5'));
    await fake.waitFor(() => sent(fake).some((c) => /Main menu/.test(String(c.payload.text))));
    await h.stop();
    const count = sent(fake).length;

    h = await startHarness(fake, temp.dir);
    fake.push(textUpdate('5'), id); // redelivered: same update_id
    await exchange(h, textUpdate('3'));
    expect(sent(fake).length - count).toBe(1);
    expect(lastText(fake)).toMatch(/Ways to get an appointment/);
  });

  it('hands a photo to the engine as an attachment, downloading it only when asked', async () => {
    h = await startHarness(fake, temp.dir);
    await exchange(h, textUpdate('/start'));
    await exchange(h, textUpdate('5'));
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    fake.addFile('photo-1', bytes);
    const replies = await exchange(h, {
      message: { message_id: messageCounter++, date: 1, chat, from, photo: [{ file_id: 'thumb', file_unique_id: 't', width: 90, height: 90, file_size: 100 }, { file_id: 'photo-1', file_unique_id: 'p', width: 800, height: 600, file_size: bytes.length }] },
    });
    // The engine downloaded the largest size once, checked it is a JPEG by its content, and kept it.
    expect(String(replies[0]!.payload.text)).toMatch(/I have received your document/);
    const photo = h.inbound.find((m) => m.kind === 'attachment');
    expect(photo?.kind === 'attachment' && photo.attachment.mediaType).toBe('photo');
    expect(fake.callsOf('getFile')).toHaveLength(1);
    expect(photo?.kind === 'attachment' && (await photo.attachment.load())).toEqual(bytes);
  });

  it('refuses an oversized or unsupported file before downloading it', async () => {
    h = await startHarness(fake, temp.dir);
    await exchange(h, textUpdate('/start'));
    await exchange(h, textUpdate('5'));
    const big = await exchange(h, { message: { message_id: messageCounter++, date: 1, chat, from, document: { file_id: 'big', file_unique_id: 'b', file_name: 'scan.pdf', mime_type: 'application/pdf', file_size: 30 * 1024 * 1024 } } });
    expect(String(big[0]!.payload.text)).toMatch(/too big/);
    const exe = await exchange(h, { message: { message_id: messageCounter++, date: 1, chat, from, document: { file_id: 'exe', file_unique_id: 'e', file_name: 'x.exe', mime_type: 'application/x-msdownload', file_size: 10 } } });
    expect(String(exe[0]!.payload.text)).toMatch(/I can only keep photos/);
    const sticker = await exchange(h, { message: { message_id: messageCounter++, date: 1, chat, from, sticker: { file_id: 's', file_unique_id: 's', type: 'regular', width: 1, height: 1, is_animated: false, is_video: false } } });
    expect(String(sticker[0]!.payload.text)).toMatch(/I can only keep photos/);
    expect(fake.callsOf('getFile')).toHaveLength(0);
  });

  it('sends photos as pictures', async () => {
    h = await startHarness(fake, temp.dir);
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 9, 9]);
    await h.channel.send(String(CHAT), [{ kind: 'document', fileName: 'receipt.jpg', mimeType: 'image/jpeg', bytes: jpeg }]);
    const call = fake.callsOf('sendPhoto')[0]!;
    expect(Object.values(call.files)[0]!.bytes).toEqual(jpeg);
    expect(fake.callsOf('sendDocument')).toHaveLength(0);
  });

  it('splits a text over 4,096 characters instead of having it refused, the keyboard on the last part', async () => {
    h = await startHarness(fake, temp.dir);
    const long = Array.from({ length: 90 }, (_, i) => `Line ${i}: ${'mot '.repeat(20)}`).join('\n');
    await h.channel.send(String(CHAT), [
      { kind: 'text', text: long, direction: 'ltr' },
      { kind: 'question', text: long, options: [{ number: 1, label: 'Oui' }], token: 'tok', direction: 'ltr' },
    ]);
    const sent = fake.callsOf('sendMessage');
    expect(sent.length).toBeGreaterThanOrEqual(4);
    for (const call of sent) expect(String(call.payload.text).length).toBeLessThanOrEqual(4096);
    expect(sent.map((c) => String(c.payload.text)).join('\n')).toBe(`${long}\n${long}`);
    expect(sent.at(-1)!.payload.reply_markup).toBeDefined();
    expect(sent.slice(0, -1).every((c) => c.payload.reply_markup === undefined)).toBe(true);
  });

  it('sends documents as files', async () => {
    h = await startHarness(fake, temp.dir);
    const pdf = new TextEncoder().encode('%PDF-1.7 test');
    await h.channel.send(String(CHAT), [{ kind: 'document', fileName: 'lettre.pdf', mimeType: 'application/pdf', bytes: pdf }]);
    const call = fake.callsOf('sendDocument')[0]!;
    expect(call.payload.chat_id).toBe(CHAT);
    const file = Object.values(call.files)[0]!;
    expect(file.name).toBe('lettre.pdf');
    expect(new TextDecoder().decode(file.bytes)).toBe('%PDF-1.7 test');
  });

  it('waits as Telegram asks on 429, retries 5xx a bounded number of times, and gives up after', async () => {
    h = await startHarness(fake, temp.dir);
    fake.failNext('sendMessage', { status: 429, retryAfter: 1 });
    const started = Date.now();
    await h.channel.send(String(CHAT), [{ kind: 'text', text: 'hello', direction: 'ltr' }]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(fake.callsOf('sendMessage')).toHaveLength(2);

    fake.failNext('sendMessage', { status: 500 }, 2);
    await h.channel.send(String(CHAT), [{ kind: 'text', text: 'again', direction: 'ltr' }]);
    expect(fake.callsOf('sendMessage')).toHaveLength(5);

    fake.failNext('sendMessage', { status: 500 }, 10);
    await expect(h.channel.send(String(CHAT), [{ kind: 'text', text: 'lost', direction: 'ltr' }])).rejects.toThrow();
    expect(fake.callsOf('sendMessage')).toHaveLength(9);
  });

  it('marks a person who blocked the bot as unreachable, until they write again', async () => {
    h = await startHarness(fake, temp.dir);
    await exchange(h, textUpdate('/start'));
    fake.failNext('sendMessage', { status: 403 });
    await h.channel.send(String(CHAT), [{ kind: 'text', text: 'reminder', direction: 'ltr' }]);
    expect(await h.store.people.isReachable('telegram', String(CHAT))).toBe(false);
    await exchange(h, textUpdate('5'));
    expect(await h.store.people.isReachable('telegram', String(CHAT))).toBe(true);
  });
});

describe('Telegram webhook', () => {
  it('refuses requests without the secret token, accepts the right one and answers at once', async () => {
    const fake = new FakeTelegram();
    await fake.start();
    const temp = tempDir();
    const secret = 'a-long-webhook-secret-123';
    const h = await startHarness(fake, temp.dir, { webhook: { secret } });
    await fake.waitFor(() => fake.callsOf('setWebhook').length === 1);
    expect(fake.callsOf('setWebhook')[0]!.payload).toMatchObject({ url: 'https://guichet.example/telegram', secret_token: secret });
    const url = `http://127.0.0.1:${h.channel.listeningPort()}/`;
    const body = JSON.stringify({ update_id: 900, ...textUpdate('/start') });
    const post = (headers: Record<string, string>) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

    expect((await post({})).status).toBe(401);
    expect((await post({ 'x-telegram-bot-api-secret-token': 'wrong' })).status).toBe(401);
    expect(fake.callsOf('sendMessage')).toHaveLength(0);
    expect((await post({ 'x-telegram-bot-api-secret-token': secret })).status).toBe(200);
    await fake.waitFor(() => sent(fake).some((c) => c.payload.reply_markup));
    expect(String(sent(fake)[0]!.payload.text)).toMatch(/Choisissez votre langue/);

    await h.stop();
    await fake.stop();
    temp.remove();
  });
});
