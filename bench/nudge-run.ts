import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { createEngine } from '../src/app.js';
import type { Outbox } from '../src/messages.js';
import { pumpFor, runPump } from '../src/reminders/pump.js';
import { ReminderService } from '../src/reminders/reminder-service.js';
import type { StoreTarget } from './store-targets.js';

/**
 * Five due reminders for each of `people`, claimed and dispatched to a null
 * channel by two pumps running at once on two instances of one store (as two
 * processes would). Counts what each recipient got.
 */
export async function nudgeRun(target: StoreTarget, people: number): Promise<{ nudges: number; seconds: number; duplicates: number; sent: number }> {
  const store = await target.open();
  const service = new ReminderService(store, 'Europe/Paris');
  for (let i = 0; i < people; i++) {
    const address = `n${i}`;
    const personId = await store.people.resolveIdentity('terminal', address, 0);
    const caseId = await store.cases.ensureOwnCase(personId, 0);
    // Five reminders each, all due by the pump time below.
    await service.recordDate(personId, caseId, 'permit-expiry', { date: '2027-06-30', anef: 'yes' }, { channel: 'terminal', address }, '2026-11-28', 0);
  }
  const counts = new Map<string, number>();
  let sent = 0;
  const outbox: Outbox = {
    send: async (to, messages) => {
      for (const m of messages) {
        const key = `${to.address}\u0000${m.kind === 'text' ? m.text : ''}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
        sent++;
      }
    },
  };
  const second = await target.open();
  const { renderer } = createEngine({ store, outbox, logger: pino({ level: 'silent' }), config: { timeZone: 'Europe/Paris' }, vaultKey: randomBytes(32) });
  const config = { timeZone: 'Europe/Paris', quietHours: { from: 21 * 60, to: 9 * 60 } };
  const options = (s: typeof store, claimer: string) => pumpFor({ store: s, renderer, outbox, logger: pino({ level: 'silent' }), config, claimer });
  const at = Date.parse('2027-06-30T12:00:00+02:00');
  const started = performance.now();
  await Promise.all([runPump(options(store, 'a'), at), runPump(options(second, 'b'), at)]);
  const seconds = (performance.now() - started) / 1000;
  await second.close();
  await store.close();
  await target.dispose();
  const duplicates = [...counts.values()].reduce((n, c) => n + (c - 1), 0);
  return { nudges: people * 5, seconds, duplicates, sent };
}

