import { addDays, addMonths } from './calendar.js';

/** The dates Guichet can remind about (see the facts: F-RENEW-WINDOW, F-API, F-RECEPISSE, F-SILENCE, F-POST-REQUEST). */
export type ReminderDateKind = 'permit-expiry' | 'provisional-expiry' | 'appointment' | 'letter-posted' | 'application-filed';

export interface PlannedReminder {
  /** Stable name of the step and the day it belongs to: the reminder's idempotency key. */
  readonly step: string;
  readonly nominalDate: string;
  /** Calendar day it is sent (in the morning, Paris time): the nominal day, or today to catch up. */
  readonly dueDate: string;
  readonly textKey: string;
  /** Values for the text; YYYY-MM-DD values are shown as dates in the reader's language. */
  readonly params: Readonly<Record<string, string>>;
}

type Data = Readonly<Record<string, string | null>>;

const step = (name: string, dueDate: string, textKey: string, params: Record<string, string> = {}): PlannedReminder => ({
  step: name,
  nominalDate: dueDate,
  dueDate,
  textKey,
  params,
});

/**
 * A window that opened before the date was recorded but is still open is
 * announced at once: someone who records their permit late must still hear
 * that they can (and should) file now.
 */
function catchUp(opening: PlannedReminder, closes: string, today: string, textKey = opening.textKey): PlannedReminder {
  return opening.dueDate < today && today <= closes ? { ...opening, dueDate: today, textKey } : opening;
}

/**
 * Turns one recorded date into its reminders. Pure: same date, same plan.
 * Steps already in the past on `today` are left out (today's still counts),
 * except a renewal window that is open now, announced today.
 *
 * Residence permit ending on E (F-RENEW-WINDOW):
 * - filed through ANEF: request between E-120 and E-60 days → opening, a
 *   reminder a month in, the last week, the closing day;
 * - not through ANEF: within the two months before E → opening, last week;
 * - unknown: both openings, worded for both cases;
 * - always the day of expiry (what to keep: F-API, F-RECEPISSE).
 */
export function planReminders(kind: ReminderDateKind, data: Data, today: string): PlannedReminder[] {
  const date = data.date;
  if (!date) return [];
  const plan: PlannedReminder[] = [];
  switch (kind) {
    case 'permit-expiry': {
      const until = addDays(date, -60);
      const anef = data.anef ?? 'unknown';
      if (anef === 'yes') {
        plan.push(catchUp(step('anef-window-open', addDays(date, -120), 'reminders.window_open_anef', { until, expiry: date }), until, today));
        plan.push(step('anef-window-reminder', addDays(date, -90), 'reminders.window_reminder', { until }));
        plan.push(step('anef-window-last-week', addDays(date, -67), 'reminders.window_last_week', { until }));
        plan.push(step('anef-window-closes', until, 'reminders.window_closes'));
      } else if (anef === 'no') {
        plan.push(catchUp(step('window-open', addMonths(date, -2), 'reminders.window_open_not_anef', { expiry: date }), addDays(date, -8), today));
        plan.push(step('last-week', addDays(date, -7), 'reminders.other_last_week', { expiry: date }));
      } else {
        // Late, the notice cannot say the window "opens today": it says when the ANEF one closes.
        const anefOpening = catchUp(step('unknown-window-open', addDays(date, -120), 'reminders.window_open_unknown', { until, expiry: date }), until, today, 'reminders.window_reminder');
        plan.push(anefOpening);
        // Once the unknown-case notice has gone out, it already says when the other window opens.
        const otherOpening = step('window-open', addMonths(date, -2), 'reminders.window_open_not_anef', { expiry: date });
        plan.push(anefOpening.dueDate === today && anefOpening.nominalDate < today ? otherOpening : catchUp(otherOpening, addDays(date, -8), today));
        plan.push(step('last-week', addDays(date, -7), 'reminders.other_last_week', { expiry: date }));
      }
      plan.push(step('expiry-day', date, 'reminders.expiry_day'));
      break;
    }
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
  }
  return plan.filter((p) => p.dueDate >= today).sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0));
}

/** Filing the application makes the renewal-window reminders pointless. */
export const CANCELLED_BY: Readonly<Partial<Record<ReminderDateKind, readonly ReminderDateKind[]>>> = {
  'application-filed': ['permit-expiry'],
};
