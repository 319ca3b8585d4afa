import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/app.js';
import { ReminderService } from '../../src/reminders/reminder-service.js';
import { runRetention, type RetentionOptions } from '../../src/retention/retention-job.js';
import type { Store } from '../../src/store/ports.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { RecordingOutbox, asText, tempDir } from '../helpers/test-app.js';
import { memoryLogger } from '../helpers/silent-logger.js';

const DAY = 24 * 3600_000;
const start = Date.parse('2024-01-10T10:00:00+01:00');
let temp: ReturnType<typeof tempDir>;
let store: Store;
let outbox: RecordingOutbox;
let options: RetentionOptions;

beforeEach(() => {
  temp = tempDir();
  store = openSqliteStore(temp.dir);
  outbox = new RecordingOutbox();
  const { logger } = memoryLogger();
  const { renderer } = createEngine({ store, outbox, logger, config: { timeZone: 'Europe/Paris' }, vaultKey: randomBytes(32) });
  const days = new ReminderService(store, 'Europe/Paris');
  options = { store, renderer, outbox, logger, months: 24, timeZone: 'Europe/Paris', quietHours: { from: 21 * 60, to: 9 * 60 }, localDay: (e) => days.localDay(e) };
});
afterEach(async () => {
  await store.close();
  temp.remove();
});

/** A person who wrote once at `start`, in English, with a case holding a date. */
async function personWithCase(address: string): Promise<{ personId: string; caseId: string }> {
  const personId = await store.people.resolveIdentity('terminal', address, start);
  await store.people.markReachable('terminal', address, start);
  await store.people.setLanguage(personId, 'en');
  const caseId = await store.cases.ensureOwnCase(personId, start);
  await store.reminders.setDate({ caseId, kind: 'permit-expiry', data: { date: '2025-06-30' }, updatedAt: start });
  return { personId, caseId };
}

describe('erasing cases nobody uses', () => {
  it('warns 30 days before, once, then erases the case, and the person who has nothing left', async () => {
    const { personId, caseId } = await personWithCase('quiet');
    // 22 months on: nothing to do yet.
    expect(await runRetention(options, start + 670 * DAY)).toMatchObject({ notified: 0, purged: 0 });

    const noticeDay = start + 705 * DAY; // 24 months minus a few weeks
    expect(await runRetention(options, noticeDay)).toMatchObject({ notified: 1, purged: 0 });
    const notice = outbox.transcript('quiet');
    expect(notice).toMatch(/Nobody has used your case in Guichet for a long time/);
    expect(notice).toMatch(/I will erase it on \d+ \w+ 2026/);

    // A week later: no second notice, nothing erased.
    expect(await runRetention(options, noticeDay + 7 * DAY)).toMatchObject({ notified: 0, purged: 0 });
    expect(outbox.sent).toHaveLength(1);

    expect(await runRetention(options, noticeDay + 31 * DAY)).toMatchObject({ purged: 1 });
    expect(await store.cases.ownerOf(caseId)).toBeUndefined();
    expect(await store.reminders.listDates(caseId)).toEqual([]);
    expect(await store.people.get(personId)).toBeUndefined();
  });

  it('keeps a case as soon as anyone on it writes again, and withdraws the notice', async () => {
    const { caseId } = await personWithCase('back');
    const noticeDay = start + 705 * DAY;
    await runRetention(options, noticeDay);
    expect(outbox.sent).toHaveLength(1);
    // They write ten days later (the engine marks every message).
    await store.people.markReachable('terminal', 'back', noticeDay + 10 * DAY);
    expect(await runRetention(options, noticeDay + 31 * DAY)).toMatchObject({ kept: 1, purged: 0 });
    expect(await store.cases.ownerOf(caseId)).toBeDefined();
    // The clock starts again from that message: no notice for nearly two years.
    expect(await runRetention(options, noticeDay + 60 * DAY)).toMatchObject({ notified: 0, purged: 0 });
  });

  it('a helper writing keeps the case too, and helpers get the notice naming the case', async () => {
    const { caseId } = await personWithCase('owner');
    const helperId = await store.people.resolveIdentity('terminal', 'helper', start);
    await store.people.markReachable('terminal', 'helper', start);
    await store.people.setLanguage(helperId, 'en');
    await store.cases.addHelper(caseId, { personId: helperId, name: 'Karim', label: 'Mum' }, start);
    await runRetention(options, start + 705 * DAY);
    expect(outbox.transcript('helper')).toMatch(/Nobody has used the case of the person you help \(«Mum»\)/);
    await store.people.markReachable('terminal', 'helper', start + 710 * DAY);
    expect(await runRetention(options, start + 740 * DAY)).toMatchObject({ kept: 1, purged: 0 });
  });

  it('sends nothing during quiet hours', async () => {
    await personWithCase('night');
    const night = Date.parse('2025-12-20T23:30:00+01:00');
    expect(await runRetention(options, night)).toMatchObject({ quiet: true, notified: 0 });
    expect(outbox.sent.map((s) => s.messages.map(asText))).toEqual([]);
  });
});
