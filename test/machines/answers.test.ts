import { describe, expect, it } from 'vitest';
import { parseDayOfMonth, parseFullDate, parseLatinName, parseNote, parsePhoneNumber, parseTimeOfDay, parseYear } from '../../machines/lib/answers.js';
import { addDays, daysInMonth, isValidDate } from '../../machines/lib/calendar.js';

describe('calendar', () => {
  it('knows leap years and month lengths', () => {
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2026, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(daysInMonth(1900, 2)).toBe(28);
    expect(isValidDate(2026, 2, 31)).toBe(false);
    expect(isValidDate(2026, 4, 31)).toBe(false);
    expect(isValidDate(2026, 12, 31)).toBe(true);
  });
  it('shifts dates across months, years and DST changes without a time zone', () => {
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
    expect(addDays('2026-03-29', -1)).toBe('2026-03-28');
    expect(addDays('2026-10-25', 1)).toBe('2026-10-26');
  });
});

describe('typed answers', () => {
  it('reads a day of the month', () => {
    expect(parseDayOfMonth('7')).toBe(7);
    expect(parseDayOfMonth('31')).toBe(31);
    expect(parseDayOfMonth('0')).toBeUndefined();
    expect(parseDayOfMonth('32')).toBeUndefined();
    expect(parseDayOfMonth('7th')).toBeUndefined();
  });
  it('reads a four-digit year', () => {
    expect(parseYear('2026')).toBe(2026);
    expect(parseYear('26')).toBeUndefined();
    expect(parseYear('3000')).toBeUndefined();
  });
  it('reads a whole date day first and tells an impossible date from noise', () => {
    expect(parseFullDate('28/11/2026')).toEqual({ kind: 'date', iso: '2026-11-28' });
    expect(parseFullDate('1.2.2026')).toEqual({ kind: 'date', iso: '2026-02-01' });
    expect(parseFullDate('01-02-2026')).toEqual({ kind: 'date', iso: '2026-02-01' });
    expect(parseFullDate('29 02 2024')).toEqual({ kind: 'date', iso: '2024-02-29' });
    expect(parseFullDate('31/02/2026')).toEqual({ kind: 'impossible' });
    expect(parseFullDate('13/13/2026')).toEqual({ kind: 'impossible' });
    expect(parseFullDate('hello')).toEqual({ kind: 'no-match' });
  });
  it('reads times the French way and the international way', () => {
    expect(parseTimeOfDay('14:30')).toBe('14:30');
    expect(parseTimeOfDay('14h30')).toBe('14:30');
    expect(parseTimeOfDay('14 h 30')).toBe('14:30');
    expect(parseTimeOfDay('9h')).toBe('09:00');
    expect(parseTimeOfDay('9')).toBe('09:00');
    expect(parseTimeOfDay('24:00')).toBeUndefined();
    expect(parseTimeOfDay('12:60')).toBeUndefined();
    expect(parseTimeOfDay('noon')).toBeUndefined();
  });
  it('accepts names in Latin letters only, as on a passport', () => {
    expect(parseLatinName('  Mme   Durand ')).toBe('Mme Durand');
    expect(parseLatinName("N'Diaye-Ba")).toBe("N'Diaye-Ba");
    expect(parseLatinName('Zoë Müller')).toBe('Zoë Müller');
    expect(parseLatinName('محمد')).toBeUndefined();
    expect(parseLatinName('জন')).toBeUndefined();
    expect(parseLatinName('R2D2')).toBeUndefined();
    expect(parseLatinName('A'.repeat(81))).toBeUndefined();
  });
  it('accepts phone numbers of 4 to 15 digits', () => {
    expect(parsePhoneNumber('34 30')).toBe('34 30');
    expect(parsePhoneNumber('+33 1 23 45 67 89')).toBe('+33 1 23 45 67 89');
    expect(parsePhoneNumber('12')).toBeUndefined();
    expect(parsePhoneNumber('call me')).toBeUndefined();
  });
  it('refuses empty and overlong notes rather than cutting them', () => {
    expect(parseNote(' ok ')).toBe('ok');
    expect(parseNote('x'.repeat(501))).toBeUndefined();
    expect(parseNote('   ')).toBeUndefined();
  });
});
