import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/test-app.js';

type App = ReturnType<typeof createTestApp>;
let app: App;
afterEach(async () => app?.close());

describe('answers are never taken for navigation', () => {
  it('"1" at the birth-date question is the 1st of the month, not "Back"', async () => {
    app = createTestApp({ now: '2026-12-01T10:00:00+01:00' });
    // French, in person, to the statement, write it; surname, first names.
    const birth = await app.walk('b', ['4', '3', '3', '1', '1', '1', '1', 'Diallo', 'Awa']);
    expect(birth).toMatch(/D'abord le jour/);
    expect(birth).toMatch(/Écrivez «\sretour\s» pour revenir en arrière\n0\. Menu principal$/);
    expect(birth).not.toMatch(/^1\. Retour/m);
    expect(await app.say('b', '1')).toMatch(/Quel mois/);
    await app.say('b', '5');
    expect(await app.say('b', '1985')).toMatch(/1er mai 1985 \(01\/05\/1985\)\. C'est bien ça/);
  });

  it('only 0 and the word for "back" navigate where a typed answer is expected', async () => {
    app = createTestApp({ now: '2026-12-01T10:00:00+01:00' });
    await app.walk('n', ['5', '4', '1']); // English, My dates, permit end: the day question
    expect(await app.say('n', 'back')).toMatch(/What do you want to record or change/);
    await app.say('n', '1');
    expect(await app.say('n', '0')).toMatch(/Main menu\. What do you want to do/);
  });

  it('"apagar" typed as a note is the note, not the erasure', async () => {
    app = createTestApp({ now: '2026-12-01T10:00:00+01:00' });
    // Portuguese, phone route, note a call: a typed date, a time, the ANEF line, no name, nobody answered.
    const notes = await app.walk('p', ['3', '3', '2', '1', '14/10/2026', '14:30', '1', '1', '1']);
    expect(notes).toMatch(/Escreva uma nota curta/);
    const saved = await app.say('p', 'apagar');
    expect(saved).toMatch(/Notes \(dans les mots de l'appelant\)\s: apagar/);
    expect(saved).not.toMatch(/apaga tudo/);
    const personId = await app.store.people.resolveIdentity('terminal', 'p', 0);
    expect(await app.store.people.get(personId)).toBeDefined();
    // Erasing takes the explicit words, and still asks to confirm.
    await app.say('p', '0');
    expect(await app.say('p', 'apagar tudo')).toMatch(/Apagar tudo\?/);
  });

  it('"accueil" typed as an appointment place is the place, not the menu', async () => {
    app = createTestApp({ now: '2026-12-01T10:00:00+01:00' });
    await app.walk('a', ['4', '4', '3', '15/12/2026', '1', '9h30']);
    const saved = await app.say('a', 'accueil');
    expect(saved).toMatch(/Rendez-vous\s: 15 décembre 2026 \(15\/12\/2026\) à 09:30, accueil/);
  });

  it('a full date typed at the proof-date question, at the posting day and at the call date', async () => {
    app = createTestApp({ now: '2026-12-01T10:00:00+01:00' });
    await app.open('f');
    await app.say('f', '5');
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 1, 2, 3, 0xff, 0xd9]);
    expect(await app.sendFile('f', jpeg)).toMatch(/What is this document\?/);
    await app.choose('f', /Post office receipt/);
    // Not "Today" nor "Another day": the date itself, as written on the receipt.
    expect(await app.say('f', '31/02/2026')).toMatch(/This date does not exist/);
    expect(await app.say('f', '14/12/2026')).toMatch(/This date is in the future/);
    expect(await app.say('f', '14.11.26')).toMatch(/Kept: Post office receipt for a registered letter, 14 November 2026/);
    // The day a letter was posted, in words.
    await app.say('f', '0');
    await app.say('f', '3');
    await app.say('f', '5'); // registered letter
    for (const step of ['1', '1', '2', '1']) await app.say('f', step);
    expect(await app.say('f', '28 novembre 2026')).toMatch(/letter posted on 28 November 2026/);
    // A call date, typed.
    await app.say('f', '0');
    await app.say('f', '3');
    await app.say('f', '2');
    await app.say('f', '1');
    expect(await app.say('f', '27/11/2026')).toMatch(/At what time/);
  });
});

describe('a date is read however it is typed, at every date question', () => {
  it.each([
    ['12/11/2026', '12 November 2026'],
    ['12.11.26', '12 November 2026'],
    ['12-11-2026', '12 November 2026'],
    ['12 novembre 2026', '12 November 2026'],
    ['12 nov. 2026', '12 November 2026'],
    ['1er mars 2027', '1 March 2027'],
    ['١٢ نوفمبر ٢٠٢٦', '12 November 2026'],
    ['১২/১১/২০২৬', '12 November 2026'],
    ['12 de novembro de 2026', '12 November 2026'],
    ['12 novembr 2026', '12 November 2026'],
    ['12 bonjour 2026', undefined],
    ["aujourd'hui", '1 December 2026'],
    ['Yesterday', '30 November 2026'],
  ])('%s', async (typed, shown) => {
    app = createTestApp({ now: '2026-12-01T10:00:00+01:00' });
    await app.walk('d', ['5', '4', '1']);
    const reply = await app.say('d', typed);
    if (shown) expect(reply).toMatch(new RegExp(`${shown} \\(\\d\\d/\\d\\d/\\d{4}\\)\\. Is that right\\?`));
    else expect(reply).toMatch(/send only the day|Which month/);
  });

  it('a whole date typed at the month or the year step is that date; a wrong word there is not understood', async () => {
    app = createTestApp({ now: '2026-12-01T10:00:00+01:00' });
    await app.walk('m', ['4', '4', '1']); // French, My dates, permit end
    expect(await app.say('m', '3')).toMatch(/Quel mois/);
    expect(await app.say('m', 'hier')).toMatch(/30 novembre 2026 \(30\/11\/2026\)\. C'est bien ça/);
    await app.say('m', '2'); // no: the day again
    await app.say('m', '3');
    const wrong = await app.say('m', 'bonjour');
    expect(wrong).toMatch(/Répondez par un numéro/);
    expect(wrong).toMatch(/Quel mois/);
    expect(await app.say('m', '4')).toMatch(/Quelle année/);
    expect(await app.say('m', '15.04.27')).toMatch(/15 avril 2027 \(15\/04\/2027\)/);
  });

  it('a two-digit birth year is in the last century when this one would be in the future', async () => {
    app = createTestApp({ now: '2026-12-01T10:00:00+01:00' });
    await app.walk('y', ['5', '3', '3', '1', '1', '1', '1', 'Diallo', 'Awa']);
    expect(await app.say('y', '15/04/85')).toMatch(/15 April 1985/);
  });
});
