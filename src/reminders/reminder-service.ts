import { createHash } from 'node:crypto';
import { planReminders, REPLANNED_BY, type PlanContext } from '../../machines/lib/reminder-plan.js';
import type { Address } from '../messages.js';
import type { CaseDate, DateKind, NewNudge, Nudge, Store } from '../store/ports.js';
import { zonedEpoch } from './local-time.js';

/** Param added to a reminder for someone else's case (a helper's): what they call that case. */
export const FOR_CASE_PARAM = 'forCase';

interface Recipient {
  readonly personId: string;
  readonly owner: boolean;
  readonly address: Address;
  readonly label: string | null;
}

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

  /**
   * Record or change a date of a case and plan its reminders for everyone on
   * the case: the owner and each helper, each at the identity they use. The
   * person recording it gets them where they just wrote from.
   */
  async recordDate(actorId: string, caseId: string, kind: DateKind, data: CaseDate['data'], actorAddress: Address, today: string, now: number): Promise<void> {
    await this.store.reminders.setDate({ caseId, kind, data, updatedAt: now });
    const actor = { personId: actorId, address: actorAddress };
    await this.plan(caseId, kind, data, today, actor);
    await this.replanDependents(caseId, kind, today, actor);
  }

  /** Plan every date of a case again for its current recipients (a helper joined). */
  async replanCase(caseId: string, today: string): Promise<void> {
    for (const date of await this.store.reminders.listDates(caseId)) await this.plan(caseId, date.kind, date.data, today);
  }

  /** Dates whose plan depends on `kind` (filing changes the permit's reminders): planned again. */
  private async replanDependents(caseId: string, kind: DateKind, today: string, actor?: { personId: string; address: Address }): Promise<void> {
    for (const dependent of REPLANNED_BY[kind] ?? []) {
      const date = await this.store.reminders.getDate(caseId, dependent);
      if (date) await this.plan(caseId, dependent, date.data, today, actor);
    }
  }

  /** What else in the case changes the plan of `kind`. */
  async planContext(caseId: string, kind: DateKind): Promise<PlanContext> {
    if (kind !== 'permit-expiry') return {};
    return { filed: (await this.store.reminders.getDate(caseId, 'application-filed')) !== undefined };
  }

  private async plan(caseId: string, kind: DateKind, data: CaseDate['data'], today: string, actor?: { personId: string; address: Address }): Promise<void> {
    const version = hash(JSON.stringify(data));
    const steps = planReminders(kind, data, today, await this.planContext(caseId, kind));
    const nudges: NewNudge[] = [];
    for (const recipient of await this.recipients(caseId, actor)) {
      for (const p of steps) {
        // The nominal day, not the sending day: planning again later never
        // creates a second copy. The owner's ids predate helpers: kept as they were.
        const key = `${caseId}\u0000${kind}\u0000${p.step}\u0000${p.nominalDate}`;
        nudges.push({
          id: hash(recipient.owner ? key : `${key}\u0000${recipient.personId}`),
          caseId,
          personId: recipient.personId,
          dateKind: kind,
          dateVersion: version,
          dueAt: zonedEpoch(p.dueDate, REMINDER_TIME, this.timeZone),
          channel: recipient.address.channel,
          address: recipient.address.address,
          textKey: p.textKey,
          params: recipient.label ? { ...p.params, [FOR_CASE_PARAM]: recipient.label } : p.params,
        });
      }
    }
    await this.store.reminders.replaceNudges(caseId, kind, nudges);
  }

  /** Owner and helpers of a case with where to reach them and, for a case not their own, what they call it. */
  private async recipients(caseId: string, actor?: { personId: string; address: Address }): Promise<Recipient[]> {
    const ownerId = await this.store.cases.ownerOf(caseId);
    if (!ownerId) return [];
    const people = [ownerId, ...(await this.store.cases.helpers(caseId)).map((h) => h.personId)];
    const found: Recipient[] = [];
    for (const personId of people) {
      const address = actor?.personId === personId ? actor.address : await this.store.people.preferredAddress(personId);
      if (!address) continue;
      const summary = (await this.store.cases.listForPerson(personId)).find((c) => c.id === caseId);
      found.push({ personId, owner: personId === ownerId, address, label: summary && !summary.own ? summary.label : null });
    }
    return found;
  }

  async removeDate(caseId: string, kind: DateKind, today: string): Promise<boolean> {
    const removed = await this.store.reminders.removeDate(caseId, kind);
    await this.store.reminders.replaceNudges(caseId, kind, []);
    await this.replanDependents(caseId, kind, today);
    return removed;
  }

  /** The calendar day (YYYY-MM-DD, in Guichet's time zone) of an instant. */
  localDay(epoch: number): string {
    return this.dayFormat.format(epoch);
  }

  /** Whether a claimed reminder still matches the date it was planned from, and its recipient is still on the case. */
  async isCurrent(nudge: Nudge): Promise<boolean> {
    const date = await this.store.reminders.getDate(nudge.caseId, nudge.dateKind);
    if (date === undefined || hash(JSON.stringify(date.data)) !== nudge.dateVersion) return false;
    // Removing a helper deletes their pending reminders in the same
    // transaction, so a first attempt was claimed while they were on the case.
    // A retry was pending again after a failed send and may predate a removal:
    // only then is membership read again (it costs a query per reminder).
    if (nudge.attempts <= 1) return true;
    return (await this.store.cases.role(nudge.caseId, nudge.personId)) !== undefined;
  }
}
