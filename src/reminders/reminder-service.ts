import { createHash } from 'node:crypto';
import { CANCELLED_BY, planReminders } from '../../machines/lib/reminder-plan.js';
import type { Address } from '../messages.js';
import type { CaseDate, DateKind, NewNudge, Nudge, Store } from '../store/ports.js';
import { zonedEpoch } from './local-time.js';

/** Reminders go out in the morning, Paris time; quiet hours hold back any that fall due at night. */
export const REMINDER_TIME = '10:00';

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/**
 * Recording, changing and removing the dates of a case, and keeping their
 * reminders in step. A reminder's id is derived from the case, the date
 * kind, the step and the day it belongs to: planning the same date again yields
 * the same ids, so a reminder already sent is never sent twice.
 */
export class ReminderService {
  private readonly dayFormat: Intl.DateTimeFormat;

  constructor(
    private readonly store: Store,
    private readonly timeZone: string,
  ) {
    // en-CA formats dates as YYYY-MM-DD.
    this.dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  }

  async recordDate(personId: string, caseId: string, kind: DateKind, data: CaseDate['data'], recipient: Address, today: string, now: number): Promise<void> {
    await this.store.reminders.setDate({ caseId, kind, data, updatedAt: now });
    const version = hash(JSON.stringify(data));
    const nudges: NewNudge[] = planReminders(kind, data, today).map((p) => ({
      // The nominal day, not the sending day: planning again later never creates a second copy.
      id: hash(`${caseId}\u0000${kind}\u0000${p.step}\u0000${p.nominalDate}`),
      caseId,
      personId,
      dateKind: kind,
      dateVersion: version,
      dueAt: zonedEpoch(p.dueDate, REMINDER_TIME, this.timeZone),
      channel: recipient.channel,
      address: recipient.address,
      textKey: p.textKey,
      params: p.params,
    }));
    await this.store.reminders.replaceNudges(caseId, kind, nudges);
    for (const cancelled of CANCELLED_BY[kind] ?? []) await this.store.reminders.replaceNudges(caseId, cancelled, []);
  }

  async removeDate(caseId: string, kind: DateKind): Promise<boolean> {
    const removed = await this.store.reminders.removeDate(caseId, kind);
    await this.store.reminders.replaceNudges(caseId, kind, []);
    return removed;
  }

  /** The calendar day (YYYY-MM-DD, in Guichet's time zone) of an instant. */
  localDay(epoch: number): string {
    return this.dayFormat.format(epoch);
  }

  /** Whether a claimed reminder still matches the date it was planned from. */
  async isCurrent(nudge: Nudge): Promise<boolean> {
    const date = await this.store.reminders.getDate(nudge.caseId, nudge.dateKind);
    return date !== undefined && hash(JSON.stringify(date.data)) === nudge.dateVersion;
  }
}
