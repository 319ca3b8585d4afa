import { addDays, addMonths } from './calendar.js';

/**
 * The dates Guichet can remind about (facts: F-RENEW-WINDOW, F-API,
 * F-RECEPISSE, F-SILENCE, F-POST-REQUEST, F-2026-EXAMS). `planned-filing` is
 * the first day of the month a person plans to file a first multi-year card,
 * a first resident card or naturalisation: the exams must be passed before.
 */
export type ReminderDateKind = 'permit-expiry' | 'provisional-expiry' | 'appointment' | 'letter-posted' | 'application-filed' | 'planned-filing';

export interface PlannedReminder {
  /** Stable name of the step and the day it belongs to: the reminder's idempotency key. */
  readonly step: string;
  readonly nominalDate: string;
  /** Calendar day it is sent (in the morning, Paris time). */
  readonly dueDate: string;
  readonly textKey: string;
  /** Values for the text; YYYY-MM-DD values are shown as dates in the reader's language. */
  readonly params: Readonly<Record<string, string>>;
}

type Data = Readonly<Record<string, string | null>>;

/** What else the case holds that changes a plan. */
export interface PlanContext {
  /** The person said they have filed their application: the renewal windows no longer matter. */
  readonly filed?: boolean;
}

const step = (name: string, dueDate: string, textKey: string, params: Record<string, string> = {}): PlannedReminder => ({
  step: name,
  nominalDate: dueDate,
  dueDate,
  textKey,
  params,
});

/** The two renewal windows of a permit ending on `expiry` (F-RENEW-WINDOW). */
export function renewalWindows(expiry: string): { anefOpens: string; anefCloses: string; otherOpens: string; earlyBooking: string } {
  return {
    anefOpens: addDays(expiry, -120),
    anefCloses: addDays(expiry, -60),
    otherOpens: addMonths(expiry, -2),
    // Practical advice, not law: outside ANEF an appointment can take weeks to get.
    earlyBooking: addMonths(expiry, -4),
  };
}

/**
 * The reminders of a residence permit ending on E. Unless the person
 * confirmed that their renewal is not on ANEF, the ANEF window (120th to
 * 60th day before E) governs: it is the earlier deadline, and missing it
 * costs the attestation de prolongation d'instruction (F-API). A "no" still
 * hears once, in time, which day the ANEF window closes.
 */
function permitPlan(expiry: string, anef: string, today: string, context: PlanContext): PlannedReminder[] {
  const { anefOpens, anefCloses: until, otherOpens, earlyBooking } = renewalWindows(expiry);
  if (context.filed) return [step('expiry-day', expiry, 'reminders.expiry_day_filed')];
  const plan: PlannedReminder[] = [];
  if (anef === 'yes') {
    plan.push(step('anef-window-open', anefOpens, 'reminders.anef_open', { until, expiry }));
    plan.push(step('anef-window-reminder', addDays(expiry, -90), 'reminders.anef_reminder', { until }));
    plan.push(step('anef-window-last-week', addDays(until, -7), 'reminders.anef_last_week', { until }));
    plan.push(step('anef-window-closes', until, 'reminders.anef_closes'));
  } else if (anef === 'no') {
    // One reminder, on or before the ANEF closing day, names that day: the
    // early-booking advice, or (recorded too late for it) a check before the day.
    if (earlyBooking >= today) plan.push(step('early-booking', earlyBooking, 'reminders.early_booking', { until, expiry }));
    else if (addDays(until, -7) >= today) plan.push(step('anef-check', addDays(until, -7), 'reminders.anef_check', { until, expiry }));
    else plan.push(step('anef-check-last-day', until, 'reminders.unknown_closes', { expiry }));
    plan.push(step('window-open', otherOpens, 'reminders.other_open', { expiry }));
    plan.push(step('last-week', addDays(expiry, -7), 'reminders.other_last_week', { expiry }));
  } else {
    plan.push(step('unknown-window-open', anefOpens, 'reminders.unknown_open', { until, expiry }));
    plan.push(step('unknown-window-last-week', addDays(until, -7), 'reminders.unknown_last_week', { until }));
    plan.push(step('unknown-window-closes', until, 'reminders.unknown_closes', { expiry }));
    plan.push(step('window-open', otherOpens, 'reminders.unknown_other_open', { expiry }));
    plan.push(step('last-week', addDays(expiry, -7), 'reminders.other_last_week', { expiry }));
  }
  plan.push(step('expiry-day', expiry, 'reminders.expiry_day'));
  return plan;
}

/**
 * Turns one recorded date into its reminders. Pure: same date, same plan.
 * Steps already in the past on `today` are left out (today's still counts):
 * what is already open or closed when a date is recorded is said at once in
 * the conversation (see `renewalStatus`), never as "from today".
 */
export function planReminders(kind: ReminderDateKind, data: Data, today: string, context: PlanContext = {}): PlannedReminder[] {
  const date = data.date;
  if (!date) return [];
  const plan: PlannedReminder[] = [];
  switch (kind) {
    case 'permit-expiry':
      plan.push(...permitPlan(date, data.anef ?? 'unknown', today, context));
      break;
    case 'provisional-expiry':
      plan.push(step('provisional-soon', addDays(date, -14), 'reminders.provisional_soon', { date }));
      plan.push(step('provisional-last', addDays(date, -3), 'reminders.provisional_last', { date }));
      plan.push(step('provisional-day', date, 'reminders.provisional_day'));
      break;
    case 'appointment':
      plan.push(step('appointment-eve', addDays(date, -1), 'reminders.appointment_eve', { date, time: data.time ?? '', place: data.place ?? '' }));
      break;
    case 'letter-posted':
      plan.push(step('letter-two-weeks', addDays(date, 14), 'reminders.letter_two_weeks'));
      plan.push(step('letter-one-month', addMonths(date, 1), 'reminders.letter_one_month'));
      break;
    case 'application-filed':
      plan.push(step('silence-four-months', addMonths(date, 4), 'reminders.silence_four_months'));
      break;
    case 'planned-filing':
      plan.push(step('exams-six-months', addMonths(date, -6), 'reminders.exams_six_months', { month: date }));
      plan.push(step('exams-two-months', addMonths(date, -2), 'reminders.exams_two_months', { month: date }));
      break;
  }
  return plan.filter((p) => p.dueDate >= today).sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0));
}

/** Dates whose plan depends on another date of the case: recording or removing the key re-plans these. */
export const REPLANNED_BY: Readonly<Partial<Record<ReminderDateKind, readonly ReminderDateKind[]>>> = {
  'application-filed': ['permit-expiry'],
};

/** Text keys whose reminder speaks of "tomorrow": what to say instead when it only goes out on the day. */
const ON_THE_DAY: Readonly<Record<string, string>> = {
  'reminders.appointment_eve': 'reminders.appointment_today',
};

/**
 * What a reminder says on the day it actually goes out. A reminder for the
 * eve of an appointment that quiet hours (or a stopped server) held back to
 * the day itself says "today"; once the appointment has passed it is dropped.
 * `minutes` is the local time of sending, in minutes since midnight.
 */
export function textOnSendDay(textKey: string, params: Readonly<Record<string, string>>, sendDay: string, minutes: number): string | null {
  const sameDay = ON_THE_DAY[textKey];
  if (!sameDay || !params.date || sendDay < params.date) return textKey;
  if (sendDay > params.date) return null;
  const time = /^(\d{2}):(\d{2})$/.exec(params.time ?? '');
  if (time && minutes >= Number(time[1]) * 60 + Number(time[2])) return null;
  return sameDay;
}
