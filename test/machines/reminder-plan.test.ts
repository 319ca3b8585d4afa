import { describe, expect, it } from 'vitest';
import { planReminders } from '../../machines/lib/reminder-plan.js';
import { addMonths } from '../../machines/lib/calendar.js';
import { inQuietHours, zonedEpoch } from '../../src/reminders/local-time.js';

const days = (plan: ReturnType<typeof planReminders>) => plan.map((p) => [p.step, p.dueDate]);

describe('reminder planner', () => {
  it('plans an ANEF permit: window opening at 120 days, a reminder, the last week, the closing day at 60, and the expiry day', () => {
    expect(days(planReminders('permit-expiry', { date: '2027-06-30', anef: 'yes' }, '2026-11-28'))).toEqual([
      ['anef-window-open', '2027-03-02'],
      ['anef-window-reminder', '2027-04-01'],
      ['anef-window-last-week', '2027-04-24'],
      ['anef-window-closes', '2027-05-01'],
      ['expiry-day', '2027-06-30'],
    ]);
  });

  it('plans a permit outside ANEF from two calendar months before, and an unknown one with both openings', () => {
    expect(days(planReminders('permit-expiry', { date: '2027-04-30', anef: 'no' }, '2026-11-28'))).toEqual([
      ['window-open', '2027-02-28'],
      ['last-week', '2027-04-23'],
      ['expiry-day', '2027-04-30'],
    ]);
    expect(days(planReminders('permit-expiry', { date: '2027-04-30', anef: 'unknown' }, '2026-11-28')).map((d) => d[0])).toEqual([
      'unknown-window-open',
      'window-open',
      'last-week',
      'expiry-day',
    ]);
  });

  it('counts across leap years', () => {
    const plan = planReminders('permit-expiry', { date: '2028-06-28', anef: 'yes' }, '2026-11-28');
    expect(plan[0]).toMatchObject({ step: 'anef-window-open', dueDate: '2028-02-29' });
    expect(addMonths('2028-04-30', -2)).toBe('2028-02-29');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
  });

  it('leaves out what is already past, keeping today', () => {
    expect(days(planReminders('permit-expiry', { date: '2027-01-15', anef: 'yes' }, '2026-11-17'))).toEqual([['expiry-day', '2027-01-15']]);
    expect(planReminders('permit-expiry', { date: '2026-11-01', anef: 'yes' }, '2026-11-28')).toEqual([]);
  });

  it('announces a renewal window that is already open today, keeping its nominal day as its identity', () => {
    const plan = planReminders('permit-expiry', { date: '2027-01-15', anef: 'yes' }, '2026-11-16');
    expect(days(plan)).toEqual([
      ['anef-window-open', '2026-11-16'],
      ['anef-window-closes', '2026-11-16'],
      ['expiry-day', '2027-01-15'],
    ]);
    expect(plan[0]!.nominalDate).toBe('2026-09-17');
    expect(plan[0]!.textKey).toBe('reminders.window_open_anef');
    // Unknown: one notice today covers both cases; the other window's own notice follows on its day.
    const unknown = planReminders('permit-expiry', { date: '2027-03-15', anef: 'unknown' }, '2026-11-28');
    expect(unknown[0]!.textKey).toBe('reminders.window_reminder');
    expect(days(unknown)).toEqual([
      ['unknown-window-open', '2026-11-28'],
      ['window-open', '2027-01-15'],
      ['last-week', '2027-03-08'],
      ['expiry-day', '2027-03-15'],
    ]);
    expect(days(planReminders('permit-expiry', { date: '2027-01-10', anef: 'no' }, '2026-11-28'))[0]).toEqual(['window-open', '2026-11-28']);
  });

  it('plans provisional documents, appointments, letters and the four-month silence', () => {
    expect(days(planReminders('provisional-expiry', { date: '2026-12-31' }, '2026-11-28'))).toEqual([
      ['provisional-soon', '2026-12-17'],
      ['provisional-last', '2026-12-28'],
      ['provisional-day', '2026-12-31'],
    ]);
    expect(planReminders('appointment', { date: '2026-12-02', time: '09:30', place: 'Bobigny' }, '2026-11-28')).toEqual([
      {
        step: 'appointment-eve',
        nominalDate: '2026-12-01',
        dueDate: '2026-12-01',
        textKey: 'reminders.appointment_eve',
        params: { date: '2026-12-02', time: '09:30', place: 'Bobigny' },
      },
    ]);
    expect(days(planReminders('letter-posted', { date: '2026-11-20' }, '2026-11-28'))).toEqual([
      ['letter-two-weeks', '2026-12-04'],
      ['letter-one-month', '2026-12-20'],
    ]);
    expect(days(planReminders('application-filed', { date: '2026-10-31' }, '2026-11-28'))).toEqual([['silence-four-months', '2027-02-28']]);
  });
});

describe('Paris time', () => {
  it('puts 10:00 on the right instant on both sides of the daylight-saving changes', () => {
    expect(new Date(zonedEpoch('2027-03-27', '10:00', 'Europe/Paris')).toISOString()).toBe('2027-03-27T09:00:00.000Z');
    expect(new Date(zonedEpoch('2027-03-28', '10:00', 'Europe/Paris')).toISOString()).toBe('2027-03-28T08:00:00.000Z');
    expect(new Date(zonedEpoch('2026-10-25', '10:00', 'Europe/Paris')).toISOString()).toBe('2026-10-25T09:00:00.000Z');
    expect(new Date(zonedEpoch('2026-10-24', '10:00', 'Europe/Paris')).toISOString()).toBe('2026-10-24T08:00:00.000Z');
  });

  it('knows quiet hours that wrap past midnight', () => {
    const quiet = { from: 21 * 60, to: 9 * 60 };
    expect(inQuietHours(Date.parse('2026-11-28T20:30:00Z'), quiet, 'Europe/Paris')).toBe(true); // 21:30 Paris
    expect(inQuietHours(Date.parse('2026-11-28T07:59:00Z'), quiet, 'Europe/Paris')).toBe(true); // 08:59
    expect(inQuietHours(Date.parse('2026-11-28T08:00:00Z'), quiet, 'Europe/Paris')).toBe(false); // 09:00
    expect(inQuietHours(Date.parse('2026-07-01T19:30:00Z'), quiet, 'Europe/Paris')).toBe(true); // 21:30 in summer
  });
});
