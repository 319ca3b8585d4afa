import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/app.js';
import { ChannelRegistry } from '../../src/channels/registry.js';
import { ProactivePacer } from '../../src/channels/whatsapp/proactive-pacer.js';
import { createWhatsAppChannel } from '../../src/channels/whatsapp/whatsapp-channel.js';
import { fixedClock } from '../../src/engine/clock.js';
import type { HandoffSettings, HelpdeskAction } from '../../src/engine/handoff-effects.js';
import { ChatwootHelpdesk } from '../../src/helpdesk/chatwoot/chatwoot-helpdesk.js';
import { CHATWOOT_WEBHOOK_PATH } from '../../src/helpdesk/chatwoot/chatwoot-webhook.js';
import type { HandoffService } from '../../src/helpdesk/handoff-service.js';
import { OpeningHours, parseWeeklyHours, type WeeklyHours } from '../../src/helpdesk/opening-hours.js';
import { startHandoffService } from '../../src/helpdesk/start-helpdesk.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { FakeChatwoot } from '../fakes/fake-chatwoot.js';
import { FakeWhatsAppSocket } from '../fakes/fake-whatsapp-socket.js';
import { fixtures } from '../fixtures/whatsapp/messages.js';
import { tempDir } from '../helpers/test-app.js';

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9]);

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

describe('a person on WhatsApp talks to a volunteer in Chatwoot', () => {
  it('hands off, gets the volunteer’s words and photo, sends a photo, and is asked "Did this help?" on WhatsApp', async () => {
    const temp = tempDir();
    const store = openSqliteStore(temp.dir);
    const logger = pino({ level: 'silent' });
    const clock = fixedClock('2026-12-02T10:00:00+01:00');
    const chatwoot = new FakeChatwoot();
    await chatwoot.start();
    chatwoot.now = () => clock.now();
    const sockets: FakeWhatsAppSocket[] = [];
    const channel = createWhatsAppChannel({
      authStore: store.channelAuth,
      logger,
      createSocket: (config) => {
        const socket = new FakeWhatsAppSocket(config);
        sockets.push(socket);
        return socket;
      },
      download: () => async () => JPEG,
      maxAttachmentBytes: 1024 * 1024,
      showLink: () => undefined,
      setTimer: () => undefined,
      random: () => 0.5,
      backoff: { baseMs: 1000, maxMs: 60_000 },
      pacer: new ProactivePacer({ minIntervalMs: 0, jitterMs: 0, dailyCap: 50, now: () => clock.now(), today: () => '2026-12-02', sleep: async () => undefined }),
    });
    const channels = new ChannelRegistry().add(channel);
    const settings: HandoffSettings = {
      kind: 'chatwoot',
      organisation: 'La Cimade 93',
      hours: new OpeningHours(parseWeeklyHours('mon-sun 00:00-24:00') as WeeklyHours, 'Europe/Paris', () => false),
      timeZone: 'Europe/Paris',
      retentionDays: 90,
    };
    let service: HandoffService | undefined;
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
    const helpdesk = new ChatwootHelpdesk({ ...chatwoot.helpdeskSettings(), logger, now: () => clock.now() });
    service = await startHandoffService(
      { helpdesk, settings, firstResponseMs: 3_600_000, store, engine, renderer, outbox: channels, vault, clock, logger },
      { syncMs: 3_600_000, waitingMs: 3_600_000, reconcileMs: 3_600_000 },
    );
    chatwoot.webhookUrl = `http://127.0.0.1:${helpdesk.listeningPort()}${CHATWOOT_WEBHOOK_PATH}`;
    const running = channel.run((message) => engine.handle(message));
    cleanup = async () => {
      await channel.stop();
      await running;
      await engine.idle();
      await service?.stop();
      await chatwoot.stop();
      await store.close();
      temp.remove();
    };
    await until(() => sockets.length === 1);
    const socket = sockets[0]!;
    socket.open();
    const settle = async () => {
      await engine.idle();
      await service!.idle();
      await helpdesk.idle();
      await engine.idle();
    };
    const say = async (message: Parameters<FakeWhatsAppSocket['deliver']>[0]) => {
      const before = socket.sent.length;
      socket.deliver(message);
      await until(() => socket.sent.length > before);
      await settle();
      return socket.texts().slice(before).join('\n');
    };

    await say(fixtures.text('bonjour'));
    expect(await say(fixtures.text('4'))).toMatch(/7\. Parler à une personne \(un bénévole\)/);
    expect(await say(fixtures.text('7'))).toMatch(/Des bénévoles de La Cimade 93/);
    expect(await say(fixtures.text('1'))).toMatch(/Un bénévole de La Cimade 93 vous répondra ici/);
    expect(await say(fixtures.text("J'ai besoin d'aide pour mon renouvellement"))).toMatch(/Envoyé aux bénévoles/);
    const conversation = [...chatwoot.conversations.values()][0]!;
    expect(chatwoot.messagesIn(conversation.id).map((m) => m.content)).toContain("J'ai besoin d'aide pour mon renouvellement");
    // Nothing of the WhatsApp number reaches the helpdesk.
    expect(JSON.stringify([...chatwoot.contacts.values(), ...chatwoot.messages.map((m) => m.content)])).not.toMatch(/33612345678/);

    let before = socket.sent.length;
    await chatwoot.agentReply(conversation.id, 'Claire Martin', 'Bonjour, envoyez-moi une photo de votre titre.');
    await settle();
    await until(() => socket.sent.length > before);
    expect(socket.texts().at(-1)).toMatch(/Claire, bénévole\s:\sBonjour, envoyez-moi une photo de votre titre\./);

    socket.deliver(fixtures.image(JPEG.length));
    await until(() => chatwoot.messagesIn(conversation.id).some((m) => m.attachments.length > 0));
    before = socket.sent.length;
    await chatwoot.agentReply(conversation.id, 'Claire', '', { file: { name: 'rdv.jpg', bytes: JPEG } });
    await settle();
    await until(() => socket.sent.length > before);
    expect(socket.sent.slice(before).some((s) => 'image' in s.content || 'document' in s.content)).toBe(true);

    before = socket.sent.length;
    await chatwoot.resolve(conversation.id);
    await settle();
    await until(() => socket.texts().slice(before).some((t) => /Est-ce que cela vous a aidé/.test(t)));
    expect(socket.sent.every((s) => s.jid === '33612345678@s.whatsapp.net')).toBe(true);
  });
});
