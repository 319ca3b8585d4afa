import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/test-app.js';

type App = ReturnType<typeof createTestApp>;
let app: App;
afterEach(async () => app?.close());

async function toDates(who: string): Promise<string> {
  await app.open(who);
  await app.say(who, '5');
  return app.say(who, '11');
}

describe('my dates and reminders', () => {
  it('records a permit end date with the ANEF question, shows it and the next reminder, then changes and removes it', async () => {
    app = createTestApp({ now: '2026-11-28T10:00:00+01:00' });
    expect(await toDates('m')).toMatch(/No date is recorded yet/);
    await app.say('m', '1');
    await app.say('m', '٣٠'); // day 30, in Arabic-Indic digits
    await app.say('m', '6'); // June
    expect(await app.say('m', '2027')).toMatch(/30 June 2027\. Is that right\?/);
    expect(await app.say('m', '1')).toMatch(/Was your permit requested on the ANEF website/);
    const saved = await app.say('m', '1');
    expect(saved).toMatch(/Saved: 30 June 2027/);
    expect(saved).toMatch(/Residence permit ends: 30 June 2027/);
    expect(saved).toMatch(/Next reminder: 2 March 2027/);

    await app.say('m', '1');
    await app.say('m', '30/04/2027');
    await app.say('m', '1');
    expect(await app.say('m', '2')).toMatch(/Next reminder: 28 February 2027/);

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
    expect(saved).toMatch(/Appointment: 2 December 2026 at 09:30, Préfecture de Bobigny, guichet 4/);
    expect(saved).toMatch(/Next reminder: 1 December 2026/);
    await app.say('a', '5');
    await app.say('a', '27/11/2026');
    expect(await app.say('a', '1')).toMatch(/Application filed: 27 November 2026/);
  });

  it('plans the letter reminders when the registered-letter route notes the posting day', async () => {
    app = createTestApp({ now: '2026-11-28T10:00:00+01:00' });
    await app.open('l');
    await app.say('l', '5');
    await app.say('l', '7'); // registered letter
    await app.say('l', '1');
    await app.say('l', '1');
    await app.say('l', '1'); // "keep" step
    await app.say('l', '1'); // note the posting day
    expect(await app.say('l', '1')).toMatch(/Noted: letter posted on 28 November 2026/);
    await app.say('l', 'menu');
    expect(await app.say('l', '11')).toMatch(/Registered letter posted: 28 November 2026[\s\S]*Next reminder: 12 December 2026/);
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
