import type { Intent, Text } from '../../machines/lib/intents.js';
import { renewalStatus } from '../../machines/lib/renewal-status.js';
import type { ReminderService } from '../reminders/reminder-service.js';
import type { DateKind, Store } from '../store/ports.js';
import type { EffectContext } from './effect-context.js';

export type DateIntent = Extract<Intent, { type: 'save-date' | 'remove-date' | 'show-dates' }>;

export interface DateEffectDeps {
  readonly store: Store;
  readonly reminders: ReminderService;
  /** The word for "resume" in the reader's language, for the paused-reminders note. */
  readonly resumeWord: () => string;
}

/** How each kind of date is listed in "my dates", in this order. */
export const DATE_LINES: Record<DateKind, string> = {
  'permit-expiry': 'dates.item_permit',
  'provisional-expiry': 'dates.item_provisional',
  appointment: 'dates.item_appointment',
  'letter-posted': 'dates.item_letter',
  'application-filed': 'dates.item_filed',
  'planned-filing': 'dates.item_planned_filing',
};

/** Recording, removing and listing the dates of the active case. */
export async function runDateEffect(deps: DateEffectDeps, ctx: EffectContext, intent: DateIntent): Promise<void> {
  const caseId = await ctx.caseId();
  switch (intent.type) {
    case 'save-date': {
      await deps.reminders.recordDate(ctx.personId, caseId, intent.kind, intent.data, ctx.from, ctx.today, ctx.now);
      await ctx.activity('date');
      const date = intent.data.date;
      if (!date) return;
      ctx.say(intent.kind === 'planned-filing' ? { key: 'dates.saved_month', params: { month: { month: date } } } : { key: 'dates.saved', params: { date: { date } } });
      const urgent = await urgentNow(deps, caseId, intent.kind, ctx.today);
      if (urgent) ctx.say(urgent);
      if (intent.kind === 'letter-posted') ctx.say({ key: 'proof.invite_receipt' });
      return;
    }
    case 'remove-date': {
      const removed = await deps.reminders.removeDate(caseId, intent.kind, ctx.today);
      ctx.say({ key: removed ? 'dates.removed' : 'dates.nothing_to_remove' });
      if (removed) await ctx.activity('date-removed');
      return;
    }
    case 'show-dates':
      for (const text of await datesSummary(deps, caseId, ctx.personId)) ctx.say(text);
      return;
  }
}

/**
 * What is already open or already late on the day a permit date (or the
 * filing) is recorded: said at once, since no reminder covers the past.
 */
async function urgentNow(deps: DateEffectDeps, caseId: string, kind: DateKind, today: string): Promise<Text | undefined> {
  if (kind !== 'permit-expiry') return undefined;
  const permit = await deps.store.reminders.getDate(caseId, 'permit-expiry');
  if (!permit?.data.date) return undefined;
  const { filed } = await deps.reminders.planContext(caseId, 'permit-expiry');
  return renewalStatus(permit.data.date, permit.data.anef ?? 'unknown', today, filed);
}

/** The case's dates, its next reminder, and whether the person paused reminders. */
async function datesSummary(deps: DateEffectDeps, caseId: string, personId: string): Promise<Text[]> {
  const { store, reminders } = deps;
  const dates = await store.reminders.listDates(caseId);
  const lines: Text[] = [{ key: 'dates.title' }];
  if (dates.length === 0) lines.push({ key: 'dates.none' });
  const order = Object.keys(DATE_LINES);
  for (const d of [...dates].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind))) {
    const date = d.kind === 'planned-filing' ? { month: d.data.date ?? '' } : { date: d.data.date ?? '' };
    lines.push({ key: DATE_LINES[d.kind], params: d.kind === 'appointment' ? { date, time: d.data.time ?? '', place: d.data.place ?? '' } : { date } });
  }
  const next = await store.reminders.nextPending(caseId);
  if (await store.reminders.isPaused(personId)) lines.push({ key: 'dates.paused_note', params: { resume: deps.resumeWord() } });
  else if (next) lines.push({ key: 'dates.next_nudge', params: { date: { date: reminders.localDay(next.dueAt) } } });
  else if (dates.length > 0) lines.push({ key: 'dates.no_next_nudge' });
  return lines;
}
