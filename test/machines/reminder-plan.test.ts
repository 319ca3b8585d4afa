import { describe, expect, it } from 'vitest';
import { planReminders, textOnSendDay } from '../../machines/lib/reminder-plan.js';
import { renewalStatus } from '../../machines/lib/renewal-status.js';
import { addMonths } from '../../machines/lib/calendar.js';
import { inQuietHours, zonedEpoch } from '../../src/reminders/local-time.js';

const days = (plan: ReturnType<typeof planReminders>) => plan.map((p) => [p.step, p.dueDate]);

const keys = (plan: ReturnType<typeof planReminders>) => plan.map((p) => [p.dueDate, p.textKey]);

describe('reminder planner: the renewal of a residence permit (F-RENEW-WINDOW)', () => {
  it('plans an ANEF renewal: window opening at 120 days, a reminder, the last week, the closing day at 60, and the expiry day', () => {
    expect(days(planReminders('permit-expiry', { date: '2027-06-30', anef: 'yes' }, '2026-11-28'))).toEqual([
      ['anef-window-open', '2027-03-02'],
      ['anef-window-reminder', '2027-04-01'],
      ['anef-window-last-week', '2027-04-24'],
      ['anef-window-closes', '2027-05-01'],
      ['expiry-day', '2027-06-30'],
    ]);
  });

  it('"No" for a permit ending 31/03/2027, recorded on 01/12/2026: a reminder names the ANEF closing day before it passes', () => {
    const plan = planReminders('permit-expiry', { date: '2027-03-31', anef: 'no' }, '2026-12-01');
    expect(keys(plan)).toEqual([
      ['2027-01-23', 'reminders.anef_check'],
      ['2027-01-31', 'reminders.other_open'],
      ['2027-03-24', 'reminders.other_last_week'],
      ['2027-03-31', 'reminders.expiry_day'],
    ]);
    // The ANEF window closes on 30/01/2027 (the 60th day before expiry): named, a week ahead.
    expect(plan[0]!.params).toEqual({ until: '2027-01-30', expiry: '2027-03-31' });
    // And at once, in the conversation: the early-booking advice naming that day.
    expect(renewalStatus('2027-03-31', 'no', '2026-12-01')).toEqual({ key: 'dates.status_other_early', params: { until: { date: '2027-01-30' }, expiry: { date: '2027-03-31' } } });
  });

  it('"No" recorded early: the booking advice about four months before, naming the ANEF closing day', () => {
    const plan = planReminders('permit-expiry', { date: '2027-06-19', anef: 'no' }, '2026-12-01');
    expect(keys(plan)).toEqual([
      ['2027-02-19', 'reminders.early_booking'],
      ['2027-04-19', 'reminders.other_open'],
      ['2027-06-12', 'reminders.other_last_week'],
      ['2027-06-19', 'reminders.expiry_day'],
    ]);
    expect(plan[0]!.params.until).toBe('2027-04-20');
  });

  it('"I don\'t know" follows the ANEF window, worded for both cases, then the two-month window', () => {
    const plan = planReminders('permit-expiry', { date: '2027-06-19', anef: 'unknown' }, '2026-12-01');
    expect(keys(plan)).toEqual([
      ['2027-02-19', 'reminders.unknown_open'],
      ['2027-04-13', 'reminders.unknown_last_week'],
      ['2027-04-19', 'reminders.unknown_other_open'],
      ['2027-04-20', 'reminders.unknown_closes'],
      ['2027-06-12', 'reminders.other_last_week'],
      ['2027-06-19', 'reminders.expiry_day'],
    ]);
    const onOrBeforeClosing = plan.filter((p) => p.dueDate <= '2027-04-20' && (p.params.until === '2027-04-20' || p.textKey === 'reminders.unknown_closes'));
    expect(onOrBeforeClosing.length).toBeGreaterThanOrEqual(1);
  });

  it('never plans a "from today" notice for a window that opened before the date was recorded', () => {
    for (const anef of ['yes', 'no', 'unknown']) {
      for (const plan of [planReminders('permit-expiry', { date: '2027-03-31', anef }, '2026-12-15'), planReminders('permit-expiry', { date: '2027-01-10', anef }, '2026-12-01')]) {
        expect(plan.every((p) => p.dueDate === p.nominalDate), anef).toBe(true);
        expect(plan.filter((p) => p.dueDate === '2026-12-15' || p.dueDate === '2026-12-01').map((p) => p.textKey)).toEqual([]);
      }
    }
  });

  it('a date recorded after the ANEF window closed: a calm message at once (file now, no attestation, late fee), no window reminders', () => {
    expect(keys(planReminders('permit-expiry', { date: '2027-01-10', anef: 'yes' }, '2026-12-01'))).toEqual([['2027-01-10', 'reminders.expiry_day']]);
    expect(renewalStatus('2027-01-10', 'yes', '2026-12-01')?.key).toBe('dates.status_anef_closed');
    expect(renewalStatus('2027-01-10', 'unknown', '2026-12-01')?.key).toBe('dates.status_unknown_closed');
    // Outside ANEF (confirmed), the two-month window is open, not late.
    expect(renewalStatus('2027-01-10', 'no', '2026-12-01')?.key).toBe('dates.status_other_open');
    expect(renewalStatus('2026-11-20', 'yes', '2026-12-01')?.key).toBe('dates.status_expired');
    // A window opening this very day is announced by its own reminder, not twice.
    expect(renewalStatus('2027-03-31', 'yes', '2026-12-01')).toBeUndefined();
    expect(keys(planReminders('permit-expiry', { date: '2027-03-31', anef: 'yes' }, '2026-12-01'))[0]).toEqual(['2026-12-01', 'reminders.anef_open']);
    expect(renewalStatus('2027-03-31', 'yes', '2026-12-02')?.key).toBe('dates.status_anef_open');
  });

  it('filing the application keeps only the expiry-day reminder, reworded', () => {
    for (const anef of ['yes', 'no', 'unknown']) {
      expect(keys(planReminders('permit-expiry', { date: '2027-06-19', anef }, '2026-12-01', { filed: true }))).toEqual([['2027-06-19', 'reminders.expiry_day_filed']]);
      expect(renewalStatus('2027-01-10', anef, '2026-12-01', true)).toBeUndefined();
    }
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
});

describe('reminder planner: other dates', () => {
  it('plans provisional documents, appointments, letters, the four-month silence and the exams', () => {
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
    expect(keys(planReminders('planned-filing', { date: '2027-09-01' }, '2026-12-01'))).toEqual([
      ['2027-03-01', 'reminders.exams_six_months'],
      ['2027-07-01', 'reminders.exams_two_months'],
    ]);
    expect(keys(planReminders('planned-filing', { date: '2027-03-01' }, '2026-12-01'))).toEqual([['2027-01-01', 'reminders.exams_two_months']]);
  });

  it('an appointment-eve reminder held back to the day itself says "today", and is dropped once the appointment has passed', () => {
    const params = { date: '2026-12-02', time: '09:30', place: 'Bobigny' };
    expect(textOnSendDay('reminders.appointment_eve', params, '2026-12-01', 20 * 60 + 59)).toBe('reminders.appointment_eve');
    expect(textOnSendDay('reminders.appointment_eve', params, '2026-12-02', 9 * 60)).toBe('reminders.appointment_today');
    expect(textOnSendDay('reminders.appointment_eve', params, '2026-12-02', 9 * 60 + 30)).toBeNull();
    expect(textOnSendDay('reminders.appointment_eve', params, '2026-12-03', 10 * 60)).toBeNull();
    expect(textOnSendDay('reminders.appointment_eve', { ...params, time: '' }, '2026-12-02', 15 * 60)).toBe('reminders.appointment_today');
    // Other reminders are not reworded.
    expect(textOnSendDay('reminders.letter_two_weeks', {}, '2026-12-09', 10 * 60)).toBe('reminders.letter_two_weeks');
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
