/**
 * Wall-clock time in a time zone without a date library: Intl knows the
 * zone's rules, including the daylight-saving changes in Paris.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, f);
  }
  return f;
}

function wallClock(epoch: number, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(epoch).map((p) => [p.type, Number(p.value)])) as Record<string, number>;
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

function offsetAt(epoch: number, timeZone: string): number {
  const w = wallClock(epoch, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(epoch / 1000) * 1000;
}

/** The instant when the clocks of `timeZone` show `date` (YYYY-MM-DD) at `time` (HH:MM). */
export function zonedEpoch(date: string, time: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const naive = Date.UTC(y, m - 1, d, hh, mm);
  let guess = naive - offsetAt(naive, timeZone);
  guess = naive - offsetAt(guess, timeZone);
  return guess;
}

/** Minutes since midnight on the clocks of `timeZone` at `epoch`. */
export function zonedMinutes(epoch: number, timeZone: string): number {
  const w = wallClock(epoch, timeZone);
  return w.hour * 60 + w.minute;
}

/** Whether `epoch` falls in quiet hours "HH:MM-HH:MM" (which may wrap past midnight). */
export function inQuietHours(epoch: number, quiet: { readonly from: number; readonly to: number }, timeZone: string): boolean {
  const now = zonedMinutes(epoch, timeZone);
  return quiet.from <= quiet.to ? now >= quiet.from && now < quiet.to : now >= quiet.from || now < quiet.to;
}
