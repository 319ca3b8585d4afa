import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { createEngine } from '../../src/app.js';
import { runPump, type PumpOptions } from '../../src/reminders/pump.js';
import { ReminderService } from '../../src/reminders/reminder-service.js';
import type { Address, OutboundMessage, Outbox } from '../../src/messages.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/ports.js';
import { memoryLogger } from '../helpers/silent-logger.js';
import { tempDir } from '../helpers/test-app.js';

const TZ = 'Europe/Paris';
const QUIET = { from: 21 * 60, to: 9 * 60 };

class CountingOutbox implements Outbox {
  readonly sent: { to: Address; text: string }[] = [];
  failuresLeft = 0;
  /** Runs after each send (a helper removed while the batch goes out). */
  afterSend: (() => Promise<void>) | undefined;
  async send(to: Address, messages: readonly OutboundMessage[]) {
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      throw new Error('network down');
    }
    await this.afterSend?.();
    for (const m of messages) this.sent.push({ to, text: m.kind === 'text' ? m.text : '' });
  }
}

interface Fixture {
  store: Store;
  outbox: CountingOutbox;
  service: ReminderService;
  options: (claimer?: string, store?: Store) => PumpOptions;
  logs: string[];
  personId: string;
  caseId: string;
  dir: string;
  cleanup(): Promise<void>;
}

async function fixture(language: 'fr' | 'ar' = 'fr'): Promise<Fixture> {
  const temp = tempDir();
  const store = openSqliteStore(temp.dir);
  const outbox = new CountingOutbox();
  const { logger, lines } = memoryLogger();
  const { renderer } = createEngine({ store, outbox, logger: pino({ level: 'silent' }), config: { timeZone: TZ }, vaultKey: randomBytes(32) });
  const service = new ReminderService(store, TZ);
  const personId = await store.people.resolveIdentity('terminal', 'rana', 0);
  await store.people.setLanguage(personId, language);
  const caseId = await store.cases.ensureOwnCase(personId, 0);
  return {
    store,
    outbox,
    service,
    logs: lines,
    personId,
    caseId,
    dir: temp.dir,
    options: (claimer = 'test', s = store) => ({ store: s, reminders: new ReminderService(s, TZ), renderer, outbox, logger, timeZone: TZ, quietHours: QUIET, claimer, retryBaseMs: 60_000, maxAttempts: 3 }),
    async cleanup() {
      await store.close();
      temp.remove();
    },
  };
}

const at = (iso: string) => Date.parse(iso);
const me: Address = { channel: 'terminal', address: 'rana' };
let f: Fixture | undefined;
afterEach(async () => {
  await f?.cleanup();
  f = undefined;
});

describe('reminder pump', () => {
  it('sends each reminder once, on its day, in the person’s language', async () => {
    f = await fixture('fr');
    await f.service.recordDate(f.personId, f.caseId, 'appointment', { date: '2026-12-02', time: '09:30', place: 'Préfecture de Bobigny' }, me, '2026-11-28', 0);
    expect((await runPump(f.options(), at('2026-12-01T08:59:00+01:00'))).sent).toBe(0);
    expect((await runPump(f.options(), at('2026-12-01T10:01:00+01:00'))).sent).toBe(1);
    expect((await runPump(f.options(), at('2026-12-01T10:02:00+01:00'))).sent).toBe(0);
    expect(f.outbox.sent).toHaveLength(1);
    expect(f.outbox.sent[0]!.to).toEqual(me);
    expect(f.outbox.sent[0]!.text).toMatch(/Rappel de Guichet|Guichet/);
    expect(f.outbox.sent[0]!.text).toContain('2 décembre 2026');
    expect(f.outbox.sent[0]!.text).toContain('09:30');
  });

  it('holds reminders during quiet hours and sends them in the morning', async () => {
    f = await fixture();
    await f.service.recordDate(f.personId, f.caseId, 'letter-posted', { date: '2026-11-20' }, me, '2026-11-28', 0);
    const night = await runPump(f.options(), at('2026-12-04T22:30:00+01:00'));
    expect(night).toMatchObject({ quiet: true, sent: 0 });
    expect((await runPump(f.options(), at('2026-12-05T09:00:00+01:00'))).sent).toBe(1);
  });

  it('never sends a reminder twice with two pumps on one store at once', async () => {
    f = await fixture();
    for (let i = 0; i < 20; i++) {
      const personId = await f.store.people.resolveIdentity('terminal', `p${i}`, 0);
      const caseId = await f.store.cases.ensureOwnCase(personId, 0);
      await f.service.recordDate(personId, caseId, 'provisional-expiry', { date: '2026-12-31' }, { channel: 'terminal', address: `p${i}` }, '2026-11-28', 0);
    }
    const other = openSqliteStore(f.dir);
    const now = at('2026-12-31T12:00:00+01:00');
    const [a, b] = await Promise.all([runPump(f.options('a'), now), runPump(f.options('b', other), now)]);
    await other.close();
    expect(a.sent + b.sent).toBe(60);
    const perRecipient = new Map<string, number>();
    for (const s of f.outbox.sent) perRecipient.set(s.to.address + s.text, (perRecipient.get(s.to.address + s.text) ?? 0) + 1);
    expect([...perRecipient.values()].every((n) => n === 1)).toBe(true);
  });

  it('drops a reminder whose date changed, was removed, or whose person paused reminders', async () => {
    f = await fixture();
    await f.service.recordDate(f.personId, f.caseId, 'provisional-expiry', { date: '2026-12-31' }, me, '2026-11-28', 0);
    // A claim taken just before the date changed: stale when checked.
    const [claimed] = await f.store.reminders.claimDue(at('2026-12-17T10:00:00+01:00'), at('2026-12-17T10:05:00+01:00'), 1, 'slow');
    await f.store.reminders.setDate({ caseId: f.caseId, kind: 'provisional-expiry', data: { date: '2027-01-31' }, updatedAt: 1 });
    expect(await f.service.isCurrent(claimed!)).toBe(false);

    await f.service.recordDate(f.personId, f.caseId, 'letter-posted', { date: '2026-11-20' }, me, '2026-11-28', 0);
    await f.store.reminders.setPaused(f.personId, true);
    const paused = await runPump(f.options(), at('2026-12-04T10:00:00+01:00'));
    expect(paused).toMatchObject({ sent: 0, dropped: 1 });
    await f.store.reminders.setPaused(f.personId, false);
    await f.service.removeDate(f.caseId, 'letter-posted', '2026-11-28');

    await f.service.recordDate(f.personId, f.caseId, 'application-filed', { date: '2026-11-27' }, me, '2026-11-28', 0);
    await f.service.removeDate(f.caseId, 'application-filed', '2026-11-28');
    expect((await runPump(f.options(), at('2027-03-27T10:00:00+01:00'))).sent).toBe(0);
    expect(f.outbox.sent).toHaveLength(0);
  });

  it('uses the channel’s paced path for reminders, and waits when its daily cap is reached', async () => {
    f = await fixture();
    await f.service.recordDate(f.personId, f.caseId, 'letter-posted', { date: '2026-11-20' }, me, '2026-11-28', 0);
    let allow = false;
    const paced: string[] = [];
    const outbox: Outbox = {
      send: async () => {
        throw new Error('reminders must take the paced path');
      },
      sendProactive: async (to, messages) => {
        if (!allow) return false;
        paced.push(`${to.address}:${messages.length}`);
        return true;
      },
    };
    const t0 = at('2026-12-04T10:00:00+01:00');
    expect(await runPump({ ...f.options(), outbox }, t0)).toMatchObject({ sent: 0, retried: 1 });
    allow = true;
    expect((await runPump({ ...f.options(), outbox }, t0 + 3600_000)).sent).toBe(0);
    expect((await runPump({ ...f.options(), outbox }, t0 + 6 * 3600_000)).sent).toBe(1);
    expect(paced).toEqual(['rana:1']);
  });

  it('skips people who blocked the bot', async () => {
    f = await fixture();
    await f.service.recordDate(f.personId, f.caseId, 'letter-posted', { date: '2026-11-20' }, me, '2026-11-28', 0);
    await f.store.people.markUnreachable('terminal', 'rana', 0);
    expect(await runPump(f.options(), at('2026-12-04T10:00:00+01:00'))).toMatchObject({ sent: 0, dropped: 1 });
  });

  it('retries a failed send with back-off, then gives up and logs without personal data', async () => {
    f = await fixture();
    await f.service.recordDate(f.personId, f.caseId, 'letter-posted', { date: '2026-11-20' }, me, '2026-11-28', 0);
    f.outbox.failuresLeft = 10;
    const t0 = at('2026-12-04T10:00:00+01:00');
    expect((await runPump(f.options(), t0)).retried).toBe(1);
    expect((await runPump(f.options(), t0 + 30_000)).retried).toBe(0); // not yet: back-off of 1 minute
    expect((await runPump(f.options(), t0 + 61_000)).retried).toBe(1);
    expect((await runPump(f.options(), t0 + 61_000 + 121_000)).failed).toBe(1);
    expect((await runPump(f.options(), t0 + 3_600_000)).sent).toBe(0);
    const logs = f.logs.join('');
    expect(logs).toMatch(/reminder failed for good/);
    expect(logs).not.toMatch(/rana|Bobigny/);
  });

  it('filing the application cancels the window reminders but keeps the expiry day, reworded; removing it brings them back', async () => {
    f = await fixture();
    await f.service.recordDate(f.personId, f.caseId, 'permit-expiry', { date: '2027-06-30', anef: 'yes' }, me, '2026-11-28', 0);
    expect((await f.store.reminders.nextPending(f.caseId))?.textKey).toBe('reminders.anef_open');
    await f.service.recordDate(f.personId, f.caseId, 'permit-expiry', { date: '2027-06-30', anef: 'no' }, me, '2026-11-28', 1);
    expect((await f.store.reminders.nextPending(f.caseId))?.textKey).toBe('reminders.early_booking');
    await f.service.recordDate(f.personId, f.caseId, 'application-filed', { date: '2026-11-28' }, me, '2026-11-28', 2);
    expect((await f.store.reminders.nextPending(f.caseId))?.textKey).toBe('reminders.silence_four_months');
    // Nothing before the silence reminder: the window reminders are gone; the expiry day stays, reworded.
    expect((await runPump(f.options(), at('2027-03-28T10:00:00+02:00'))).sent).toBe(1);
    expect((await runPump(f.options(), at('2027-06-29T10:00:00+02:00'))).sent).toBe(0);
    expect((await runPump(f.options(), at('2027-06-30T10:00:00+02:00'))).sent).toBe(1);
    expect(f.outbox.sent.at(-1)!.text).toMatch(/récépissé \(hors ANEF\)/);
    await f.service.removeDate(f.caseId, 'application-filed', '2026-11-28');
    expect((await f.store.reminders.nextPending(f.caseId))?.textKey).toBe('reminders.early_booking');
  });

  it('an appointment-eve reminder held back by quiet hours to the day itself says "today", never "tomorrow"', async () => {
    f = await fixture();
    // Recorded at 22:30 on the eve: quiet hours hold it until 09:00 on the day.
    await f.service.recordDate(f.personId, f.caseId, 'appointment', { date: '2026-12-02', time: '14:00', place: 'Bobigny' }, me, '2026-12-01', 0);
    expect((await runPump(f.options(), at('2026-12-01T22:30:00+01:00'))).quiet).toBe(true);
    expect((await runPump(f.options(), at('2026-12-02T09:00:00+01:00'))).sent).toBe(1);
    expect(f.outbox.sent[0]!.text).toMatch(/Aujourd'hui, le 2 décembre 2026 \(02\/12\/2026\) à 14:00/);
    expect(f.outbox.sent[0]!.text).not.toMatch(/Demain/);
    // After the appointment time it is pointless: dropped.
    await f.service.recordDate(f.personId, f.caseId, 'appointment', { date: '2026-12-09', time: '09:30', place: 'Bobigny' }, me, '2026-12-08', 1);
    expect(await runPump(f.options(), at('2026-12-09T10:00:00+01:00'))).toMatchObject({ sent: 0, dropped: 1 });
  });

  it('reminds the owner and each helper, each in their own language and with whose case it is; a removed helper no longer', async () => {
    f = await fixture('fr');
    const helperId = await f.store.people.resolveIdentity('telegram', 'karim', 0);
    await f.store.people.markReachable('telegram', 'karim', 0);
    await f.store.people.setLanguage(helperId, 'en');
    await f.store.cases.addHelper(f.caseId, { personId: helperId, name: 'Karim', label: 'Mum' }, 0);
    await f.service.recordDate(f.personId, f.caseId, 'appointment', { date: '2026-12-02', time: '09:30', place: 'Bobigny' }, me, '2026-11-28', 0);
    expect((await runPump(f.options(), at('2026-12-01T10:01:00+01:00'))).sent).toBe(2);
    const byAddress = new Map(f.outbox.sent.map((s) => [s.to.address, s.text]));
    expect(byAddress.get('rana')).toMatch(/^Rappel de Guichet/);
    expect(byAddress.get('karim')).toMatch(/^Reminder from Guichet, for the person you help \(«Mum»\):/);

    await f.service.recordDate(f.personId, f.caseId, 'appointment', { date: '2026-12-09', time: '09:30', place: 'Bobigny' }, me, '2026-12-01', 0);
    await f.store.cases.removeHelper(f.caseId, helperId);
    const report = await runPump(f.options(), at('2026-12-08T10:01:00+01:00'));
    expect(report.sent).toBe(1);
    expect(f.outbox.sent.at(-1)!.to.address).toBe('rana');
  });

  it('a helper removed while a batch of reminders is going out gets none of the rest of it', async () => {
    f = await fixture('fr');
    const helperId = await f.store.people.resolveIdentity('telegram', 'karim', 0);
    await f.store.people.markReachable('telegram', 'karim', 0);
    await f.store.cases.addHelper(f.caseId, { personId: helperId, name: 'Karim', label: 'Mum' }, 0);
    await f.service.recordDate(f.personId, f.caseId, 'appointment', { date: '2026-12-02', time: '09:30', place: 'Bobigny' }, me, '2026-11-28', 0);
    // Both reminders are claimed in one batch; the owner removes the helper as the first goes out.
    const fx = f;
    fx.outbox.afterSend = () => fx.store.cases.removeHelper(fx.caseId, helperId).then(() => undefined);
    const run = await runPump(fx.options(), at('2026-12-01T10:01:00+01:00'));
    // Nothing reaches the helper after the first send of the batch.
    expect(fx.outbox.sent.slice(1).map((s) => s.to.address)).not.toContain('karim');
    expect(run.sent + run.dropped).toBe(2);
  });

  it('a reminder waiting for its retry never reaches a helper removed meanwhile', async () => {
    f = await fixture('fr');
    const helperId = await f.store.people.resolveIdentity('telegram', 'karim', 0);
    await f.store.people.markReachable('telegram', 'karim', 0);
    await f.store.cases.addHelper(f.caseId, { personId: helperId, name: 'Karim', label: 'Mum' }, 0);
    await f.service.recordDate(f.personId, f.caseId, 'appointment', { date: '2026-12-02', time: '09:30', place: 'Bobigny' }, me, '2026-11-28', 0);
    f.outbox.failuresLeft = 2;
    const first = await runPump(f.options(), at('2026-12-01T10:01:00+01:00'));
    expect(first.retried).toBe(2);
    // Removed while the failed sends wait for their retry.
    await f.store.cases.removeHelper(f.caseId, helperId);
    const second = await runPump(f.options(), at('2026-12-01T12:00:00+01:00'));
    expect(second.sent).toBe(1);
    expect(f.outbox.sent.map((s) => s.to.address)).toEqual(['rana']);
  });
});
