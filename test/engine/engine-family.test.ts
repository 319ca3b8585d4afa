import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/test-app.js';

type App = ReturnType<typeof createTestApp>;
let app: App;
afterEach(async () => app?.close());

async function start(who: string) {
  await app.open(who);
  await app.say(who, '5'); // English
}

/** The helper makes a code for "Mum"; returns it as typed (10 digits). */
async function makeCode(helper: string): Promise<string> {
  await app.say(helper, 'menu');
  await app.choose(helper, /Family/);
  await app.choose(helper, /I want to help someone/);
  await app.choose(helper, /they have their own phone/);
  await app.say(helper, 'Karim');
  const reply = await app.say(helper, 'Mum');
  const code = /Your code is ((?:\d\d ){4}\d\d)\./.exec(reply);
  expect(code).not.toBeNull();
  return code![1]!.replaceAll(' ', '');
}

async function personOf(address: string): Promise<string> {
  return app.store.people.resolveIdentity('terminal', address, 0);
}

describe('helping a relative', () => {
  it('links a helper with the code and the consent of the person helped; both get reminders; the owner sees and removes the helper', async () => {
    app = createTestApp();
    await start('karim');
    await start('mum');
    const code = await makeCode('karim');

    // Mum types the code at the main menu: the family flow opens and asks for her consent, naming Karim.
    const consent = await app.say('mum', code);
    // The name as the helper typed it, and beside it what they could not choose.
    expect(consent).toMatch(/Someone who gave their name as «Karim» \(on this computer\) wants to help you with your case/);
    expect(await app.choose('mum', /Yes, I agree/)).toMatch(/this person now helps you/);
    expect(app.outbox.transcript('karim')).toMatch(/the person you wanted to help agreed/);

    const mumId = await personOf('mum');
    const karimId = await personOf('karim');
    const mumCase = await app.store.cases.ensureOwnCase(mumId, 0);
    expect(await app.store.cases.role(mumCase, karimId)).toBe('helper');

    // Karim switches to Mum's case and records her permit's end: it belongs to her case.
    await app.say('karim', 'menu');
    await app.choose('karim', /Family/);
    await app.choose('karim', /Work on another case/);
    expect(await app.choose('karim', /the case of the person you help \(«Mum»\)/)).toMatch(/now belong to this case/);
    await app.say('karim', 'menu');
    await app.choose('karim', /My dates/);
    await app.choose(  'karim', /residence permit/i);
    await app.say('karim', '30/06/2027');
    await app.choose('karim', /^Yes$/);
    await app.choose('karim', /^Yes/);
    const dates = await app.store.reminders.listDates(mumCase);
    expect(dates.map((d) => d.kind)).toEqual(['permit-expiry']);
    const karimOwn = await app.store.cases.ensureOwnCase(karimId, 0);
    expect(await app.store.reminders.listDates(karimOwn)).toEqual([]);

    // Reminders are planned for both, the helper's marked with what he calls the case.
    const mumNext = await app.store.reminders.nextPending(mumCase);
    expect(mumNext).toBeDefined();
    const claimed = await app.store.reminders.claimDue(Date.parse('2028-01-01'), Date.parse('2028-01-02'), 100, 'test');
    const recipients = new Set(claimed.map((n) => n.personId));
    expect(recipients).toEqual(new Set([mumId, karimId]));
    expect(claimed.filter((n) => n.personId === karimId).every((n) => n.params.forCase === 'Mum')).toBe(true);
    expect(claimed.filter((n) => n.personId === mumId).every((n) => n.params.forCase === undefined)).toBe(true);
    for (const n of claimed) await app.store.reminders.retry(n.id, n.dueAt);

    // Mum sees her helper and what he did, then removes him.
    await app.say('mum', 'menu');
    await app.choose('mum', /Family/);
    const helpers = await app.choose('mum', /Who helps me/);
    expect(helpers).toMatch(/1 person helps you/);
    expect(helpers).toMatch(/Karim, since/);
    expect(helpers).toMatch(/Karim recorded a date/);
    expect(helpers).toMatch(/Karim started helping you/);
    await app.choose('mum', /Remove Karim/);
    expect(await app.choose('mum', /Yes, remove/)).toMatch(/no longer has access/);
    expect(app.outbox.transcript('karim')).toMatch(/has removed you from their case/);
    expect(await app.store.cases.role(mumCase, karimId)).toBeUndefined();

    // Karim is back on his own case at once; his reminders for Mum are gone, hers stay.
    await app.say('karim', 'menu');
    expect(await app.choose('karim', /Family/)).toMatch(/You are working on: your own case/);
    const left = await app.store.reminders.claimDue(Date.parse('2028-01-01'), Date.parse('2028-01-02'), 100, 'test2');
    expect(left.length).toBeGreaterThan(0);
    expect(left.every((n) => n.personId === mumId)).toBe(true);
  });

  it('a helper deletes only the documents they sent; deletions of documents and dates show in the owner’s activity', async () => {
    app = createTestApp();
    await start('karim');
    await start('mum');
    const code = await makeCode('karim');
    await app.say('mum', code);
    await app.choose('mum', /Yes, I agree/);
    const jpeg = (n: number) => new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, n, 1, 2, 0xff, 0xd9]);
    // Mum sends a photo to her case; Karim, working on her case, sends another and records a date.
    await app.sendFile('mum', jpeg(1));
    await app.choose('mum', /Post office receipt/);
    await app.choose('mum', /Today/);
    await app.say('karim', 'menu');
    await app.choose('karim', /Family/);
    await app.choose('karim', /Work on another case/);
    await app.choose('karim', /the case of the person you help \(«Mum»\)/);
    await app.sendFile('karim', jpeg(2));
    await app.say('karim', '0');
    const mumCase = await app.store.cases.ensureOwnCase(await personOf('mum'), 0);
    expect((await app.store.vault.list(mumCase)).length).toBe(2);
    // Karim opens My documents: Mum's receipt cannot be deleted by him, his own photo can.
    await app.choose('karim', /My documents/);
    await app.choose('karim', /Post office receipt/);
    await app.choose('karim', /Delete/);
    expect(await app.choose('karim', /Yes, delete/)).toMatch(/Only the person whose case this is, or the person who sent this document, can delete it/);
    await app.choose('karim', /Not described yet/);
    await app.choose('karim', /Delete/);
    expect(await app.choose('karim', /Yes, delete/)).not.toMatch(/Only the person/);
    const left = await app.store.vault.list(mumCase);
    expect(left).toHaveLength(1);
    expect(left[0]!.senderId).toBe(await personOf('mum'));
    // He records a date on her case, then removes it.
    await app.say('karim', '0');
    await app.choose('karim', /My dates/);
    await app.choose('karim', /residence permit/i);
    await app.say('karim', '30/06/2027');
    await app.choose('karim', /^Yes$/);
    await app.choose('karim', /^Yes/);
    await app.choose('karim', /Remove a date/);
    expect(await app.choose('karim', /residence permit/i)).toMatch(/Removed, with its reminders/);
    // Mum sees both in what her helpers did.
    await app.say('mum', 'menu');
    await app.choose('mum', /Family/);
    const activity = await app.choose('mum', /Who helps me/);
    expect(activity).toMatch(/Karim deleted a document/);
    expect(activity).toMatch(/Karim removed a date/);
  });

  it('refuses a wrong code, counts the tries, and locks after five', async () => {
    app = createTestApp();
    await start('karim');
    await start('mum');
    const code = await makeCode('karim');
    const wrong = code === '1000000000' ? '2000000000' : '1000000000';
    expect(await app.say('mum', wrong)).toMatch(/This code does not work.*4 more times/s);
    for (let i = 0; i < 3; i++) await app.say('mum', wrong);
    expect(await app.say('mum', wrong)).toMatch(/Too many wrong codes/);
    // Even the right code is refused while locked.
    expect(await app.say('mum', code)).toMatch(/Too many wrong codes/);
    // Erasing everything and starting again from the same number does not give more tries.
    await app.say('mum', 'delete');
    expect(await app.say('mum', '1')).toMatch(/Everything is erased/);
    await start('mum');
    expect(await app.say('mum', code)).toMatch(/Too many wrong codes/);
  });

  it('refuses a code that expired or was used, and the helper typing their own code', async () => {
    app = createTestApp();
    await start('karim');
    await start('mum');
    await start('aunt');
    const code = await makeCode('karim');
    expect(await app.say('karim', code)).toMatch(/This is the code you made/);
    await app.say('mum', code);
    await app.choose('mum', /Yes, I agree/);
    // Used once: worthless to anyone else.
    expect(await app.say('aunt', code)).toMatch(/This code does not work/);

    const second = await makeCode('karim');
    app.clock.advance(25 * 3600_000);
    expect(await app.say('aunt', second)).toMatch(/This code does not work/);
  });

  it('a refusal spends the code and tells the helper', async () => {
    app = createTestApp();
    await start('karim');
    await start('mum');
    const code = await makeCode('karim');
    await app.say('mum', code);
    expect(await app.choose('mum', /^No$/)).toMatch(/nobody was added/);
    expect(app.outbox.transcript('karim')).toMatch(/said no/);
    expect(await app.say('mum', code)).toMatch(/This code does not work/);
  });

  it('lets a helper manage the case of someone with no phone, and switch back to their own', async () => {
    app = createTestApp();
    await start('karim');
    await app.say('karim', 'menu');
    await app.choose('karim', /Family/);
    await app.choose('karim', /I want to help someone/);
    await app.choose('karim', /they have no phone/);
    await app.say('karim', 'Grandpa');
    expect(await app.choose('karim', /Yes, I confirm/)).toMatch(/The case of the person you help \(«Grandpa»\) is ready/);
    const karimId = await personOf('karim');
    const cases = await app.store.cases.listForPerson(karimId);
    expect(cases.map((c) => [c.own, c.onBehalf, c.label])).toEqual([
      [true, false, null],
      [false, true, 'Grandpa'],
    ]);
    expect(await app.store.people.activeCase(karimId)).toBe(cases[1]!.id);
    // Helpers belong to a person's own case: the option keeps its number, and says where they are.
    const overview = app.lastQuestion('karim')!;
    expect(overview.options.map((o) => o.label).slice(0, 3)).toEqual(['I want to help someone', 'Someone gave me a code to help me', 'Who helps me, and what they did']);
    expect(await app.choose('karim', /Who helps me/)).toMatch(/Helpers are listed in each person's own case/);
    await app.choose('karim', /Work on another case/);
    await app.choose('karim', /your own case/);
    expect(await app.store.people.activeCase(karimId)).toBe(cases[0]!.id);
  });

  it('lists, before erasing, what goes: the own case, the cases managed for someone, the help given', async () => {
    app = createTestApp();
    await start('karim');
    await app.say('karim', 'menu');
    await app.choose('karim', /Family/);
    await app.choose('karim', /I want to help someone/);
    await app.choose('karim', /they have no phone/);
    await app.say('karim', 'Grandpa');
    await app.choose('karim', /Yes, I confirm/);
    await app.say('karim', '0');
    await app.say('karim', '4'); // My dates, on Grandpa's case
    await app.say('karim', '1');
    await app.say('karim', '30/06/2027');
    await app.say('karim', '1');
    await app.say('karim', '1');
    const asked = await app.say('karim', 'delete');
    expect(asked).toMatch(/This erases, for good:/);
    expect(asked).toMatch(/your case: dates 0, documents and photos 0, calls noted 0/);
    expect(asked).toMatch(/the case you manage for the person you help \(«Grandpa»\): dates 1, documents and photos 0, calls noted 0/);
    expect(asked).toMatch(/It cannot be undone\. Erase everything\?/);
    expect(await app.choose('karim', /No, keep everything/)).toMatch(/Nothing was erased/);
  });
});
