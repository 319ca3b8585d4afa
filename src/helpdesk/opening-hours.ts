import { addDays } from '../../machines/lib/calendar.js';
import { zonedEpoch, zonedMinutes } from '../reminders/local-time.js';

/** One opening range on a day, in minutes since local midnight: [from, to). */
export interface OpenRange {
  readonly from: number;
  readonly to: number;
}

/** Opening ranges per weekday (1 = Monday … 7 = Sunday), as `HELPDESK_HOURS` wrote them. */
export type WeeklyHours = ReadonlyMap<number, readonly OpenRange[]>;

const DAY_NAMES: Readonly<Record<string, number>> = {
  mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7,
  // The volunteers who set this up are French: their day names work too.
  lun: 1, mar: 2, mer: 3, jeu: 4, ven: 5, sam: 6, dim: 7,
};

/**
 * `mon-fri 09:00-17:00`, `mon-thu 09:00-12:30,14:00-17:00; fri 09:00-12:00`:
 * groups separated by `;`, each a list of days (ranges `mon-fri` or names
 * `mon,wed`) and a list of time ranges. Returns a message saying what is
 * wrong instead, for the start-up check.
 */
export function parseWeeklyHours(text: string): WeeklyHours | string {
  const days = new Map<number, OpenRange[]>();
  const groups = text.split(';').map((g) => g.trim()).filter(Boolean);
  if (groups.length === 0) return 'expected days and hours, for example "mon-fri 09:00-17:00"';
  for (const group of groups) {
    const match = /^(\S+)\s+(\S+)$/.exec(group.replace(/\s*([,-])\s*/g, '$1'));
    if (!match) return `"${group}": expected days and hours, for example "mon-fri 09:00-17:00"`;
    const weekdays = parseDays(match[1]!.toLowerCase());
    if (typeof weekdays === 'string') return `"${group}": ${weekdays}`;
    const ranges = parseRanges(match[2]!);
    if (typeof ranges === 'string') return `"${group}": ${ranges}`;
    for (const day of weekdays) {
      const all = [...(days.get(day) ?? []), ...ranges].sort((a, b) => a.from - b.from);
      for (let i = 1; i < all.length; i++) if (all[i]!.from < all[i - 1]!.to) return `"${group}": opening hours overlap`;
      days.set(day, all);
    }
  }
  return days;
}

function parseDays(text: string): number[] | string {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [first, last] = part.split('-') as [string, string | undefined];
    const from = DAY_NAMES[first];
    const to = last === undefined ? from : DAY_NAMES[last];
    if (from === undefined || to === undefined) return `unknown day "${part}" (mon, tue, wed, thu, fri, sat, sun)`;
    // "fri-mon" wraps over the weekend.
    for (let d = from, n = 0; n < 7; d = (d % 7) + 1, n++) {
      out.add(d);
      if (d === to) break;
    }
  }
  return [...out];
}

function parseRanges(text: string): OpenRange[] | string {
  const ranges: OpenRange[] = [];
  for (const part of text.split(',')) {
    const match = /^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$/.exec(part);
    if (!match) return `"${part}": expected a time range such as 09:00-17:00`;
    const [h1, m1, h2, m2] = match.slice(1).map(Number) as [number, number, number, number];
    if (h1 > 23 || m1 > 59 || h2 > 24 || m2 > 59 || (h2 === 24 && m2 > 0)) return `"${part}": not a time of day`;
    const range = { from: h1 * 60 + m1, to: h2 * 60 + m2 };
    if (range.to <= range.from) return `"${part}": the end must come after the start (split a night across two days)`;
    ranges.push(range);
  }
  return ranges;
}

/** How far ahead the next opening is looked for: past a fortnight of holidays, there is none. */
const LOOKAHEAD_DAYS = 21;

/**
 * When volunteers read: the weekly hours in the configured time zone, minus
 * public holidays. Pure and deterministic (the holidays come from a function),
 * so tests can put "now" anywhere.
 */
export class OpeningHours {
  private readonly dayFormat: Intl.DateTimeFormat;

  constructor(
    private readonly weekly: WeeklyHours,
    private readonly timeZone: string,
    /** Whether a local date (YYYY-MM-DD) is a public holiday. */
    private readonly isHoliday: (date: string) => boolean,
  ) {
    this.dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  }

  isOpen(epoch: number): boolean {
    const minutes = zonedMinutes(epoch, this.timeZone);
    return this.rangesOn(this.localDate(epoch)).some((r) => minutes >= r.from && minutes < r.to);
  }

  /** The next moment volunteers read (now if open), or undefined if none in three weeks. */
  nextOpening(epoch: number): number | undefined {
    for (const [date, range] of this.openingsFrom(epoch)) {
      const start = zonedEpoch(date, hhmm(range.from), this.timeZone);
      const end = zonedEpoch(date, hhmm(range.to), this.timeZone);
      if (end > epoch) return Math.max(start, epoch);
    }
    return undefined;
  }

  /** Opening time between two instants, in milliseconds: what a first-response delay counts. */
  openTimeBetween(from: number, to: number): number {
    let total = 0;
    for (const [date, range] of this.openingsFrom(from)) {
      const start = zonedEpoch(date, hhmm(range.from), this.timeZone);
      if (start >= to) break;
      const end = zonedEpoch(date, hhmm(range.to), this.timeZone);
      total += Math.max(0, Math.min(end, to) - Math.max(start, from));
    }
    return total;
  }

  /** Every opening range from the local day of `epoch` on, in order, for three weeks. */
  private *openingsFrom(epoch: number): Generator<[string, OpenRange]> {
    const first = this.localDate(epoch);
    for (let i = 0; i < LOOKAHEAD_DAYS; i++) {
      const date = addDays(first, i);
      for (const range of this.rangesOn(date)) yield [date, range];
    }
  }

  private rangesOn(date: string): readonly OpenRange[] {
    if (this.isHoliday(date)) return [];
    return this.weekly.get(isoWeekday(date)) ?? [];
  }

  private localDate(epoch: number): string {
    return this.dayFormat.format(new Date(epoch));
  }
}

/** Minutes since midnight as HH:MM. */
export function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

function isoWeekday(date: string): number {
  const d = new Date(`${date}T12:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}
