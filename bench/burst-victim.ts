import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createEngine } from '../src/app.js';
import { ChannelRegistry } from '../src/channels/registry.js';
import { createTelegramChannel } from '../src/channels/telegram/telegram-channel.js';
import { DEFAULT_FLOOD_POLICY, FloodControl } from '../src/engine/flood-control.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { FakeTelegram } from '../test/fakes/fake-telegram-server.js';

/**
 * One person sends `burst` messages at once on Telegram (long polling, the
 * production flood policy); another person writes just after. Measured: how
 * long the other person waits for their first reply, through the real channel
 * and a local Bot API server; and how many of the burst were refused.
 */
export async function burstVictim(burst = 40): Promise<{ victimMs: number; refusedNotices: number; answered: number }> {
  // `answered`: the burst's replies sent by the time the other person had theirs.
  const fake = new FakeTelegram();
  await fake.start();
  const dir = mkdtempSync(join(tmpdir(), 'guichet-burst-'));
  const store = openSqliteStore(dir);
  const logger = pino({ level: 'silent' });
  const channel = createTelegramChannel({ token: fake.token, apiRoot: fake.apiRoot, maxAttachmentBytes: 10 * 1024 * 1024, logger, onUnreachable: async () => undefined });
  const { engine } = createEngine({
    store,
    outbox: new ChannelRegistry().add(channel),
    logger,
    config: { timeZone: 'Europe/Paris' },
    vaultKey: randomBytes(32),
    flood: { control: new FloodControl(DEFAULT_FLOOD_POLICY), channels: ['telegram'] },
  });
  const running = channel.run((message) => engine.handle(message));
  const message = (chatId: number, n: number, text: string) => ({
    message: { message_id: n, date: 1, chat: { id: chatId, type: 'private', first_name: 'B' }, from: { id: chatId, is_bot: false, first_name: 'B' }, text },
  });
  const sentTo = (chatId: number) => fake.calls.filter((c) => c.method === 'sendMessage' && c.payload.chat_id === chatId);
  try {
    for (let n = 0; n < burst; n++) fake.push(message(1001, n + 1, `${n}`));
    const pushed = performance.now();
    fake.push(message(2002, 1, 'bonjour'));
    await fake.waitFor(() => sentTo(2002).length > 0, 60_000);
    const victimMs = performance.now() - pushed;
    // The refusal of what did not fit in the queue goes out at once too.
    await fake.waitFor(() => sentTo(1001).some((c) => /not read the last ones|pas lu les derniers/.test(String(c.payload.text))), 5_000).catch(() => undefined);
    const refusedNotices = sentTo(1001).filter((c) => /not read the last ones|pas lu les derniers/.test(String(c.payload.text))).length;
    return { victimMs, refusedNotices, answered: sentTo(1001).filter((c) => c.payload.reply_markup).length };
  } finally {
    await channel.stop();
    await running;
    await engine.idle();
    await store.close();
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
