import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/test-app.js';

type App = ReturnType<typeof createTestApp>;
let app: App;
afterEach(async () => app?.close());

async function toDates(who: string): Promise<string> {
  await app.open(who);
  await app.say(who, '5');
  return app.say(who, '4');
}

describe('my dates and reminders', () => {
  it('records a permit end date with the ANEF question, shows it and the next reminder, then changes and removes it', async () => {
    app = createTestApp({ now: '2026-11-28T10:00:00+01:00' });
    expect(await toDates('m')).toMatch(/No date is recorded yet/);
    await app.say('m', '1');
    await app.say('m', '٣٠'); // day 30, in Arabic-Indic digits
    await app.say('m', '6'); // June
    expect(await app.say('m', '2027')).toMatch(/30 June 2027 \(30\/06\/2027\)\. Is that right\?/);
    const anef = await app.say('m', '1');
    expect(anef).toMatch(/Is the renewal of your permit done on ANEF/);
    expect(anef).toMatch(/How to tell:/);
    expect(anef).toMatch(/3\. I don't know/);
    const saved = await app.say('m', '1');
    expect(saved).toMatch(/Saved: 30 June 2027/);
    expect(saved).toMatch(/Residence permit ends: 30 June 2027/);
    expect(saved).toMatch(/Next reminder: 2 March 2027/);

    await app.say('m', '1');
    await app.say('m', '30/04/2027');
    await app.say('m', '1');
    // "No": the first reminder is the advice to start booking, four months before.
    expect(await app.say('m', '2')).toMatch(/Next reminder: 30 December 2026/);

    await app.say('m', '6');
    expect(await app.say('m', '1')).toMatch(/Removed, with its reminders[\s\S]*No date is recorded yet/);
  });

  it('records an appointment with its time and place, and a filed application that cancels renewal reminders', async () => {
    app = createTestApp({ now: '2026-11-28T10:00:00+01:00' });
    await toDates('a');
    await app.say('a', '3');
    await app.say('a', '02/12/2026');
    await app.say('a', '1');
    expect(await app.say('a', '25:00')).toMatch(/like this/);
    await app.say('a', '9h30');
    const saved = await app.say('a', 'Préfecture de Bobigny, guichet 4');
    expect(saved).toMatch(/Appointment: 2 December 2026 \(02\/12\/2026\) at 09:30, Préfecture de Bobigny, guichet 4/);
    expect(saved).toMatch(/Next reminder: 1 December 2026/);
    await app.say('a', '5');
    await app.say('a', '27/11/2026');
    expect(await app.say('a', '1')).toMatch(/Application filed: 27 November 2026/);
  });

  it('refuses an appointment date already past, with a clear sentence', async () => {
    app = createTestApp({ now: '2026-12-01T10:00:00+01:00' });
    await toDates('p');
    await app.say('p', '3');
    expect(await app.say('p', '28/11/2026')).toMatch(/This date has already passed\. Send a date from today on/);
    await app.say('p', '30');
    await app.say('p', '11');
    expect(await app.say('p', '2026')).toMatch(/This date has already passed/);
    await app.say('p', '01/12/2026');
    expect(await app.say('p', '1')).toMatch(/At what time/);
  });

  it('says at once, calmly, that the ANEF window has closed when the date is recorded too late', async () => {
    app = createTestApp({ now: '2026-12-01T10:00:00+01:00' });
    await toDates('late');
    await app.say('late', '1');
    await app.say('late', '10/01/2027');
    await app.say('late', '1');
    const saved = await app.say('late', '1'); // renewal on ANEF
    expect(saved).toMatch(/The window to renew on ANEF closed on 11 November 2026 \(11\/11\/2026\)\. File your request now anyway, before 10 January 2027/);
    expect(saved).toMatch(/you will not get the "attestation de prolongation d'instruction"/);
    expect(saved).toMatch(/a late fee may apply: ask the prefecture/);
    expect(saved).toMatch(/NGO or a lawyer/);
    expect(saved).not.toMatch(/From today/);
    // "I don't know" on a permit whose ANEF window is open: said now, with its last day.
    await app.say('late', '1');
    await app.say('late', '20/03/2027');
    await app.say('late', '1');
    const unknown = await app.say('late', '3');
    expect(unknown).toMatch(/If your renewal is on ANEF, its window is open now and the last day is 19 January 2027/);
  });

  it('filing the application keeps the expiry-day reminder only', async () => {
    app = createTestApp({ now: '2026-12-01T10:00:00+01:00' });
    await toDates('f');
    await app.say('f', '1');
    await app.say('f', '19/06/2027');
    await app.say('f', '1');
    expect(await app.say('f', '2')).toMatch(/Next reminder: 19 February 2027/);
    await app.say('f', '5');
    await app.say('f', '01/12/2026');
    const filed = await app.say('f', '1');
    expect(filed).toMatch(/Application filed: 1 December 2026/);
    // Next: the four-month silence (1 April 2027), then only the expiry day.
    expect(filed).toMatch(/Next reminder: 1 April 2027/);
    const caseId = await app.store.cases.ensureOwnCase(await app.store.people.resolveIdentity('terminal', 'f', 0), 0);
    const pending = await app.store.reminders.nextPending(caseId);
    expect(pending?.textKey).toBe('reminders.silence_four_months');
  });

  it('plans the letter reminders when the registered-letter route notes the posting day', async () => {
    app = createTestApp({ now: '2026-11-28T10:00:00+01:00' });
    await app.open('l');
    await app.say('l', '5');
    await app.say('l', '3'); // ways to an appointment
    await app.say('l', '5'); // registered letter
    await app.say('l', '1');
    await app.say('l', '1');
    await app.say('l', '2'); // next, not "write my letter": the "keep" step
    await app.say('l', '1'); // note the posting day
    expect(await app.say('l', '1')).toMatch(/Noted: letter posted on 28 November 2026/);
    await app.say('l', 'menu');
    expect(await app.say('l', '4')).toMatch(/Registered letter posted: 28 November 2026[\s\S]*Next reminder: 12 December 2026/);
  });

  it('pauses and resumes reminders by word, in any language', async () => {
    app = createTestApp();
    await toDates('s');
    expect(await app.say('s', 'stop')).toMatch(/Reminders are paused[\s\S]*What do you want to record or change/);
    const personId = await app.store.people.resolveIdentity('terminal', 's', 0);
    expect(await app.store.reminders.isPaused(personId)).toBe(true);
    expect(await app.say('s', 'resume')).toMatch(/Reminders are on again/);
    expect(await app.store.reminders.isPaused(personId)).toBe(false);
  });
});
