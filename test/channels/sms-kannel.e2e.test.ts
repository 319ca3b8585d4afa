import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/app.js';
import { ChannelRegistry } from '../../src/channels/registry.js';
import { smsChannelFromConfig } from '../../src/channels/sms/from-config.js';
import type { SmsChannel } from '../../src/channels/sms/sms-channel.js';
import { fixedClock } from '../../src/engine/clock.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/ports.js';
import { assembled, kannelInstalled, startKannel, type FakePhoneSms } from '../helpers/kannel.js';
import { memoryLogger } from '../helpers/silent-logger.js';
import { tempDir } from '../helpers/test-app.js';

// CI installs Kannel (.ci/run sets REQUIRE_KANNEL): there a missing Kannel fails instead of skipping.
const available = kannelInstalled();
if (!available && process.env.REQUIRE_KANNEL) throw new Error('REQUIRE_KANNEL is set but bearerbox, smsbox or fakesmsc is missing');

const SECRET = 'test-secret-0123456789';
const MAX_PARTS = 3;
const DAILY = 200;

describe.skipIf(!available)('SMS through a real Kannel (bearerbox, smsbox, fakesmsc)', () => {
  const temp = tempDir();
  let store: Store;
  let channel: SmsChannel;
  let kannel: Awaited<ReturnType<typeof startKannel>>;
  let port: number;
  const { logger } = memoryLogger();


  beforeAll(async () => {
    store = openSqliteStore(temp.dir);
    const channels = new ChannelRegistry();
    const clock = fixedClock('2026-12-02T10:00:00+01:00');
    const vaultKey = randomBytes(32);
    const { engine, renderer } = createEngine({ store, outbox: channels, logger, clock, config: { timeZone: 'Europe/Paris' }, vaultKey });
    // Guichet listens first on a free port; Kannel is then configured to call it.
    const probe = smsChannelFromConfig(
      { sendsmsUrl: 'http://127.0.0.1:1/', username: 'u', password: 'p', from: '1234', receiveHost: '127.0.0.1', receivePort: 0, receiveSecret: SECRET, dlrBaseUrl: 'http://127.0.0.1:1', maxParts: MAX_PARTS, dailyPartsPerPerson: DAILY },
      { store, renderer, clock, timeZone: 'Europe/Paris', vaultKey, logger },
    );
    await probe.start(() => Promise.resolve());
    port = probe.listeningPort()!;
    await probe.stop();
    kannel = await startKannel({ guichetPort: port, secret: SECRET });
    channel = smsChannelFromConfig(
      { sendsmsUrl: kannel.sendsmsUrl, username: kannel.username, password: kannel.password, from: '1234', receiveHost: '127.0.0.1', receivePort: port, receiveSecret: SECRET, dlrBaseUrl: `http://127.0.0.1:${port}`, maxParts: MAX_PARTS, dailyPartsPerPerson: DAILY },
      { store, renderer, clock, timeZone: 'Europe/Paris', vaultKey, logger },
    );
    channels.add(channel);
    await channel.start((message) => engine.handle(message));
  }, 30_000);

  afterAll(async () => {
    await channel?.stop();
    await kannel?.stop();
    await store?.close();
    temp.remove();
  });

  /** Waits until the reply stops growing (a turn's SMS arrive within a second or two of each other). */
  const settled = (min = 1) => {
    let count = -1;
    let since = Date.now();
    return (received: FakePhoneSms[]) => {
      if (received.length !== count) {
        count = received.length;
        since = Date.now();
      }
      return received.length >= min && Date.now() - since > 2500;
    };
  };
  const say = async (from: string, text: string, type = 'text') => assembled(await kannel.phone(from, text, settled(), 20_000, type));

  it('answers a first "Bonjour" with the language picker, through Kannel', async () => {
    const reply = (await say('0611111111', 'Bonjour')).join('\n');
    expect(reply).toContain('Français');
    expect(reply).toContain('العربية');
    expect(reply).toMatch(/1 .*2 .*3 .*4 .*5 /s);
  }, 30_000);

  it('walks a whole route by SMS: the phone line, then a call noted', async () => {
    const from = '0622222222';
    await say(from, 'Bonjour');
    const menu = (await say(from, '4')).join('\n');
    expect(menu).toMatch(/1 .+ 2 .+ 3 /s);
    for (const answer of ['3', '2', '1', '1', '1', '1', '1', '1']) await say(from, answer);
    // "Did they say anything else?": a note, typed.
    const record = (await say(from, 'rappeler lundi')).join('\n');
    expect(record).toContain('0 806 001 620');
    expect(record).toContain('rappeler lundi');
    const personId = await store.people.resolveIdentity('sms', from, Date.now());
    const caseId = await store.cases.ensureOwnCase(personId, Date.now());
    expect(await store.cases.listRecords(caseId, 'call-log')).toHaveLength(1);
  }, 120_000);
});
