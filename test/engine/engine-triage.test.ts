import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/test-app.js';

type App = ReturnType<typeof createTestApp>;
let app: App;
afterEach(async () => app?.close());

async function toTriage(who: string): Promise<string> {
  await app.open(who);
  await app.say(who, '5');
  return app.say(who, '1');
}

describe('triage: which way fits me?', () => {
  it('offers the expulsion-order emergency on its first screen, and goes there at once', async () => {
    app = createTestApp();
    const first = await toTriage('o');
    expect(first).toMatch(/1\. URGENT: I received an expulsion order \(OQTF\)/);
    const oqtf = await app.say('o', '1');
    expect(oqtf).toMatch(/Act today/);
    await app.say('o', '1');
    expect(await app.say('o', '4')).toMatch(/^Ask to see the association in the centre now[\s\S]*48 hours/);
  });

  it('puts NGOs and the court first when the permit has already expired', async () => {
    app = createTestApp();
    await toTriage('e');
    await app.say('e', '3'); // renewal
    await app.say('e', '2'); // already expired
    await app.say('e', '1'); // smartphone
    await app.say('e', '2'); // no helper
    await app.say('e', '1'); // can travel
    const result = await app.say('e', '1'); // skip the place
    expect(result).toMatch(/Your permit has expired: act now/);
    expect(result).toMatch(/1\. NGOs, legal aid and the Défenseur des droits\n/);
    expect(result).toMatch(/2\. When nothing works: going to court\n/);
    expect(result).not.toMatch(/Your département/);
    expect(await app.say('e', '2')).toMatch(/référé mesures utiles/);
  });

  it('counts the days left from today, states the renewal window, and finds the prefecture by town name', async () => {
    app = createTestApp({ now: '2026-11-28T10:00:00+01:00' });
    await toTriage('d');
    await app.say('d', '3');
    await app.say('d', '1');
    await app.say('d', '٣١'); // day 31
    await app.say('d', '3'); // March
    expect(await app.say('d', '2027')).toMatch(/It ends on 31 March 2027/);
    await app.say('d', '1');
    await app.say('d', '2'); // no smartphone
    await app.say('d', '1'); // helper
    await app.say('d', '2'); // cannot travel
    expect(await app.say('d', 'Atlantis')).toMatch(/could not find this place/);
    const result = await app.say('d', 'Créteil');
    expect(result).toMatch(/Your permit ends in 123 days/);
    expect(result).toMatch(/between the 120th and the 60th day/);
    expect(result).toMatch(/Your département: Val-de-Marne \(94\)\. Its prefecture is in Créteil/);
    expect(result).toMatch(/1\. (Mobile desks and buses|Help from someone you trust)\n/);
    // Each way named once, as the option to start it, with its cost, proof and delay on one line under it.
    expect(result).toMatch(/1\. .*\n   Free\.[^\n]*\. [^\n]*\.\n2\. /);
    const names = ['Mobile desks and buses', 'Help from someone you trust'].map((n) => result.split(n).length - 1);
    expect(names.every((count) => count <= 1)).toBe(true);
  });

  it('says the 2026 exams come before filing a first multi-year card or naturalisation, and reminds 6 and 2 months before the planned month', async () => {
    app = createTestApp({ now: '2026-12-01T10:00:00+01:00' });
    const first = await toTriage('x');
    expect(first).toMatch(/6\. A first multi-year card or resident card/);
    const exams = await app.say('x', '6');
    expect(exams).toMatch(/before you file, you must pass/);
    expect(exams).toMatch(/A2 for a multi-year card, B1 for a resident card, B2 for naturalisation/);
    expect(exams).toMatch(/Renewing the same card: not concerned/);
    expect(await app.say('x', '1')).toMatch(/In which month do you plan to file/);
    // September has passed in December 2026: the years offered start in 2027.
    expect(await app.say('x', '9')).toMatch(/1\. 2027\n2\. 2028\n3\. 2029/);
    expect(await app.say('x', '2026')).toMatch(/did not understand[\s\S]*1\. 2027/);
    await app.say('x', 'back');
    expect(await app.say('x', '12')).toMatch(/1\. 2026\n/); // December: still this year
    await app.say('x', 'back');
    await app.say('x', '9');
    const saved = await app.say('x', '2027');
    expect(saved).toMatch(/Saved: September 2027/);
    expect(saved).toMatch(/I will remind you 6 months and 2 months before/);
    // A first multi-year card comes with a current permit: its end date is asked next.
    expect(saved).toMatch(/Does your permit, récépissé or attestation have an end date/);
    const personId = await app.store.people.resolveIdentity('terminal', 'x', 0);
    const caseId = await app.store.cases.ensureOwnCase(personId, 0);
    expect((await app.store.reminders.getDate(caseId, 'planned-filing'))?.data.date).toBe('2027-09-01');
    expect((await app.store.reminders.nextPending(caseId))?.textKey).toBe('reminders.exams_six_months');
  });

  it('naturalisation: filed online, never by letter or at a prefecture desk', async () => {
    app = createTestApp({ now: '2026-12-01T10:00:00+01:00' });
    await toTriage('n');
    expect(await app.say('n', '4')).toMatch(/civic exam/);
    await app.say('n', '2'); // next, no reminder
    await app.say('n', '2'); // no smartphone
    await app.say('n', '2'); // no helper
    await app.say('n', '1'); // can travel
    const result = await app.say('n', '1'); // skip the place
    expect(result).toMatch(/Naturalisation is filed online/);
    expect(result).not.toMatch(/Registered letter/);
    expect(result).not.toMatch(/\d\. The prefecture's desks/);
  });

  it('a renewal whose ANEF window has already closed hears it in the result, calmly, with what to do now', async () => {
    app = createTestApp({ now: '2026-12-01T10:00:00+01:00' });
    await toTriage('late');
    await app.say('late', '3'); // renewal
    await app.say('late', '1');
    await app.say('late', '10/01/2027');
    await app.say('late', '1');
    await app.say('late', '1');
    await app.say('late', '2');
    await app.say('late', '1');
    const result = await app.say('late', '93200');
    expect(result).toMatch(/Your permit ends in 40 days/);
    expect(result).toMatch(/If your renewal is on ANEF, its window closed on 11 November 2026 \(11\/11\/2026\): file now anyway/);
    expect(result).toMatch(/If it is not on ANEF, ask within the two months before 10 January 2027/);
    expect(result).not.toMatch(/From today/);
  });
});
