import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/app.js';
import { ChannelRegistry } from '../../src/channels/registry.js';
import { createTelegramChannel } from '../../src/channels/telegram/telegram-channel.js';
import { fixedClock } from '../../src/engine/clock.js';
import type { HandoffSettings, HelpdeskAction } from '../../src/engine/handoff-effects.js';
import type { HandoffService } from '../../src/helpdesk/handoff-service.js';
import { OpeningHours, parseWeeklyHours, type WeeklyHours } from '../../src/helpdesk/opening-hours.js';
import { startHandoffService } from '../../src/helpdesk/start-helpdesk.js';
import { TelegramGroupHelpdesk } from '../../src/helpdesk/telegram-group/telegram-group-helpdesk.js';
import type { Store } from '../../src/store/ports.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { FakeTelegram } from '../fakes/fake-telegram-server.js';
import { tempDir } from '../helpers/test-app.js';

const PERSON = 734519826;
const GROUP = -1001234567890;
const VOLUNTEER = { id: 900, is_bot: false, first_name: 'Claire' };
const STRANGER = { id: 901, is_bot: false, first_name: 'Mallory' };
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9]);
let messageId = 1;

const personSays = (text: string) => ({ message: { message_id: messageId++, date: 1, chat: { id: PERSON, type: 'private' }, from: { id: PERSON, is_bot: false, first_name: 'A' }, text } });
const inTopic = (thread: number, from: typeof VOLUNTEER, content: Record<string, unknown>) => ({
  message: { message_id: messageId++, date: 1, chat: { id: GROUP, type: 'supergroup', is_forum: true }, message_thread_id: thread, is_topic_message: true, from, ...content },
});

describe('talking to a volunteer in a Telegram group with topics', () => {
  let fake: FakeTelegram;
  let store: Store;
  let service: HandoffService | undefined;
  let stopAll: () => Promise<void>;
  let temp: ReturnType<typeof tempDir>;

  const toPerson = () => fake.calls.filter((c) => ['sendMessage', 'sendPhoto', 'sendDocument'].includes(c.method) && c.payload.chat_id === PERSON);
  const toGroup = () => fake.calls.filter((c) => ['sendMessage', 'sendPhoto', 'sendDocument'].includes(c.method) && c.payload.chat_id === GROUP);
  const personText = () => toPerson().map((c) => String(c.payload.text ?? '')).join('\n');
  async function say(update: Record<string, unknown>, until: () => boolean): Promise<void> {
    fake.push(update);
    await fake.waitFor(until);
    await service?.idle();
  }

  beforeEach(async () => {
    fake = new FakeTelegram();
    await fake.start();
    fake.members.set(VOLUNTEER.id, 'member');
    temp = tempDir();
    store = openSqliteStore(temp.dir);
    const logger = pino({ level: 'silent' });
    const clock = fixedClock('2026-12-02T10:00:00+01:00');
    const settings: HandoffSettings = {
      kind: 'telegram-group',
      organisation: 'Entraide 13',
      hours: new OpeningHours(parseWeeklyHours('mon-sun 00:00-24:00') as WeeklyHours, 'Europe/Paris', () => false),
      timeZone: 'Europe/Paris',
      retentionDays: 90,
    };
    const helpdesk = new TelegramGroupHelpdesk({ token: fake.token, apiRoot: fake.apiRoot, chatId: GROUP, maxFileBytes: 1024 * 1024, logger });
    const channels = new ChannelRegistry();
    const channel = createTelegramChannel({
      token: fake.token,
      apiRoot: fake.apiRoot,
      maxAttachmentBytes: 1024 * 1024,
      logger,
      onUnreachable: async () => undefined,
      retry: { maxRetries: 1, maxRetryAfterSeconds: 1, baseDelayMs: 10 },
      group: { chatId: GROUP, receive: (m, load) => helpdesk.receive(m, load) },
    });
    channels.add(channel);
    const { engine, renderer, vault } = createEngine({
      store,
      outbox: channels,
      logger,
      clock,
      config: { timeZone: 'Europe/Paris' },
      vaultKey: randomBytes(32),
      handoff: settings,
      helpdesk: { afterTurn: (actions: readonly HelpdeskAction[]) => service?.afterTurn(actions) },
    });
    service = await startHandoffService(
      { helpdesk, settings, firstResponseMs: 3_600_000, store, engine, renderer, outbox: channels, vault, clock, logger },
      { syncMs: 3_600_000, waitingMs: 3_600_000, reconcileMs: 3_600_000 },
    );
    const running = channel.run((message) => engine.handle(message));
    stopAll = async () => {
      await channel.stop();
      await running;
      await engine.idle();
      await service?.stop();
      await store.close();
      await fake.stop();
      temp.remove();
    };
  });
  afterEach(async () => {
    await stopAll();
    service = undefined;
  });

  it('opens a topic named with the pseudonym, relays both ways with members only, canned replies, photos and /close', async () => {
    await say(personSays('/start'), () => toPerson().length >= 1);
    await say(personSays('4'), () => /Menu principal/.test(personText()));
    await say(personSays('7'), () => /Des bénévoles de Entraide 13/.test(personText()));
    await say(personSays('1'), () => fake.callsOf('createForumTopic').length === 1 && toGroup().length === 1);
    const topicCall = fake.callsOf('createForumTopic')[0]!;
    expect(String(topicCall.payload.name)).toMatch(/^Personne \d{4} · fr · menu$/);
    const thread = [...fake.topics.keys()][0]!;
    expect(toGroup()[0]!.payload).toMatchObject({ message_thread_id: thread });
    expect(String(toGroup()[0]!.payload.text)).toMatch(/Langue\s: français/);
    expect(JSON.stringify(fake.calls.filter((c) => c.payload.chat_id === GROUP))).not.toContain(String(PERSON));

    await say(personSays('Bonjour, ma carte expire'), () => toGroup().some((c) => c.payload.text === 'Bonjour, ma carte expire'));
    expect(toGroup().at(-1)!.payload).toMatchObject({ message_thread_id: thread });

    await say(inTopic(thread, VOLUNTEER, { text: 'Bonjour, je regarde.' }), () => /Claire, bénévole\s:\sBonjour, je regarde\./.test(personText()));
    const before = toPerson().length;
    fake.push(inTopic(thread, STRANGER, { text: 'je ne suis pas bénévole' }));
    await say(inTopic(thread, VOLUNTEER, { text: '/t bring' }), () => toPerson().length > before);
    expect(personText()).toMatch(/Claire, bénévole\s:\sCe qu'il faut apporter/);
    expect(personText()).not.toContain('je ne suis pas bénévole');
    expect(personText()).not.toContain('/t bring');

    fake.addFile('vol-photo', JPEG);
    await say(inTopic(thread, VOLUNTEER, { photo: [{ file_id: 'vol-photo', file_unique_id: 'u1', width: 1, height: 1, file_size: JPEG.length }] }), () =>
      toPerson().some((c) => c.method === 'sendPhoto' || c.method === 'sendDocument'),
    );

    await say(inTopic(thread, VOLUNTEER, { text: '/close' }), () => /Est-ce que cela vous a aidé/.test(personText()));
    expect(fake.topics.get(thread)?.closed).toBe(true);
    expect(personText()).toMatch(/Les bénévoles de Entraide 13 ont fermé la conversation/);
  });
});
