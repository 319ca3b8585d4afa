import { renewalWindows } from './reminder-plan.js';
import type { Text } from './intents.js';

/**
 * What to tell a person at once when they record the end of their permit and
 * a renewal window is already open, or already closed (F-RENEW-WINDOW,
 * F-API, F-FEES-2026). Reminders only cover what is still ahead; this covers
 * the present, and never says "from today" of a window that opened earlier.
 * Undefined when nothing is urgent yet, or when a window opens this very day:
 * its own reminder ("from today") goes out today.
 */
export function renewalStatus(expiry: string, anef: string, today: string, filed = false): Text | undefined {
  if (filed) return undefined;
  const { anefOpens, anefCloses: until, otherOpens, earlyBooking } = renewalWindows(expiry);
  const params = { until: { date: until }, expiry: { date: expiry } };
  if (today > expiry) return { key: 'dates.status_expired' };
  if (anef === 'no') {
    if (today > otherOpens) return { key: 'dates.status_other_open', params };
    if (today > earlyBooking) return { key: today <= until ? 'dates.status_other_early' : 'dates.status_other_soon', params };
    return undefined;
  }
  const unknown = anef !== 'yes';
  if (today > until) return { key: unknown ? 'dates.status_unknown_closed' : 'dates.status_anef_closed', params };
  if (today > anefOpens) return { key: unknown ? 'dates.status_unknown_open' : 'dates.status_anef_open', params };
  return undefined;
}
