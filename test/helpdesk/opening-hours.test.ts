import { describe, expect, it } from 'vitest';
import { OpeningHours, parseWeeklyHours, type WeeklyHours } from '../../src/helpdesk/opening-hours.js';

const TZ = 'Europe/Paris';
const at = (iso: string) => Date.parse(iso);

function weekly(text: string): WeeklyHours {
  const parsed = parseWeeklyHours(text);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
}

describe('HELPDESK_HOURS', () => {
  it('reads days, day ranges and several time ranges a day', () => {
    const w = weekly('mon-thu 09:00-12:30, 14:00-17:00; fri 09:00-12:00; sam 10:00-12:00');
    expect(w.get(1)).toEqual([{ from: 540, to: 750 }, { from: 840, to: 1020 }]);
    expect(w.get(5)).toEqual([{ from: 540, to: 720 }]);
    expect(w.get(6)).toEqual([{ from: 600, to: 720 }]);
    expect(w.has(7)).toBe(false);
  });

  it('wraps a day range over the weekend', () => {
    expect([...weekly('fri-mon 10:00-11:00').keys()].sort()).toEqual([1, 5, 6, 7]);
  });

  it.each([
    ['', /expected days and hours/],
    ['monday 09:00-17:00', /unknown day/],
    ['mon-fri 9-17', /time range/],
    ['mon 17:00-09:00', /end must come after/],
    ['mon 25:00-26:00', /not a time of day/],
    ['mon 09:00-12:00; mon 11:00-13:00', /overlap/],
  ])('refuses %j, saying why', (text, why) => {
    expect(parseWeeklyHours(text)).toMatch(why);
  });
});

describe('opening hours in Paris, minus public holidays', () => {
  const christmas = (date: string) => date === '2026-12-25';
  const hours = new OpeningHours(weekly('mon-fri 09:00-17:00'), TZ, christmas);

  it('is open on a weekday within the hours, in Paris time', () => {
    expect(hours.isOpen(at('2026-12-02T08:30:00Z'))).toBe(true); // 09:30 in Paris
    expect(hours.isOpen(at('2026-12-02T07:30:00Z'))).toBe(false); // 08:30 in Paris
    expect(hours.isOpen(at('2026-12-02T16:00:00Z'))).toBe(false); // 17:00: closed
  });

  it('is closed at the weekend and on a public holiday', () => {
    expect(hours.isOpen(at('2026-12-05T10:00:00Z'))).toBe(false); // Saturday
    expect(hours.isOpen(at('2026-12-25T10:00:00Z'))).toBe(false); // Christmas, a Friday
  });

  it('names the next opening: now when open, Monday after a Friday evening, past a holiday', () => {
    expect(hours.nextOpening(at('2026-12-02T10:00:00Z'))).toBe(at('2026-12-02T10:00:00Z'));
    expect(hours.nextOpening(at('2026-12-04T18:00:00Z'))).toBe(at('2026-12-07T08:00:00Z'));
    expect(hours.nextOpening(at('2026-12-24T17:00:00Z'))).toBe(at('2026-12-28T08:00:00Z'));
  });

  it('follows summer time: 09:00 in Paris is 07:00 UTC in July', () => {
    expect(hours.nextOpening(at('2027-07-05T05:00:00Z'))).toBe(at('2027-07-05T07:00:00Z'));
  });

  it('counts only open time between two moments', () => {
    // Friday 16:00 to Monday 10:00 in Paris: one hour on Friday, one on Monday.
    expect(hours.openTimeBetween(at('2026-12-04T15:00:00Z'), at('2026-12-07T09:00:00Z'))).toBe(2 * 3600_000);
    expect(hours.openTimeBetween(at('2026-12-05T10:00:00Z'), at('2026-12-06T10:00:00Z'))).toBe(0);
  });

  it('has no next opening when nothing opens in three weeks', () => {
    const never = new OpeningHours(weekly('mon 09:00-10:00'), TZ, () => true);
    expect(never.nextOpening(at('2026-12-02T10:00:00Z'))).toBeUndefined();
  });
});

describe('French public holidays', () => {
  it('knows the fixed and the moving ones, and not the observances', async () => {
    const { frenchPublicHolidays } = await import('../../src/helpdesk/public-holidays.js');
    const isHoliday = frenchPublicHolidays();
    for (const day of ['2026-12-25', '2027-01-01', '2027-03-29', '2027-05-06', '2027-07-14', '2027-11-11']) expect(isHoliday(day), day).toBe(true);
    for (const day of ['2026-12-24', '2027-05-16', '2027-05-30']) expect(isHoliday(day), day).toBe(false);
  });
});
