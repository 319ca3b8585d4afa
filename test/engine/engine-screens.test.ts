import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/test-app.js';

type App = ReturnType<typeof createTestApp>;
let app: App;
afterEach(async () => app?.close());

describe('what a person reads, screen by screen', () => {
  it('a step’s own action comes before "Next", and once the document is made the route moves on', async () => {
    app = createTestApp({ now: '2026-12-01T10:00:00+01:00' });
    const step = await app.walk('s', ['5', '3', '3', '1', '1', '1']);
    expect(step).toMatch(/1\. Write my statement\n2\. Next\n3\. Back\n0\. Main menu$/);
    for (const answer of ['1', 'Diallo', 'Aissatou', '15/04/1985', '1', '1', '1']) await app.say('s', answer);
    const made = await app.say('s', 'Bobigny');
    expect(made).toMatch(/\[PDF declaration-impossibilite-en-ligne-2026-12-01\.pdf\]/);
    // The next step (what to do at the desk), not the statement step again.
    expect(made).toMatch(/At the desk, hand over your statement/);
    expect(made).not.toMatch(/Write my statement/);
  });

  it('noting the posting day at the letter’s last step ends at the main menu, not on the same step', async () => {
    app = createTestApp({ now: '2026-12-01T10:00:00+01:00' });
    await app.walk('l', ['5', '3', '5', '1', '1', '2']);
    await app.say('l', '1'); // note the posting day
    const noted = await app.say('l', '1'); // today
    expect(noted).toMatch(/Noted: letter posted on 1 December 2026 \(01\/12\/2026\)/);
    expect(noted).toMatch(/Main menu\. What do you want to do\?/);
    expect(noted).not.toMatch(/Shall I note the day you posted it/);
  });

  it('the triage result names each way once, as its option, with cost, proof and delay on one line', async () => {
    app = createTestApp({ now: '2026-12-01T10:00:00+01:00' });
    // French; renewal; date unknown; smartphone; no helper; can travel; skip the place.
    const result = await app.walk('t', ['4', '1', '3', '3', '1', '2', '1', '1']);
    const options = [...result.matchAll(/^(\d)\. (.+)\n {3}(.+)$/gm)];
    expect(options.length).toBe(4);
    for (const [, , name, detail] of options) {
      expect(result.split(name!).length - 1, name).toBe(1);
      expect(detail).toMatch(/\.\s.+\.\s.+\./);
    }
    expect(result).toMatch(/5\. Retour\n0\. Menu principal$/);
  });

  it('help ends with the French words on every paper, each explained in one line, in the person’s language', async () => {
    app = createTestApp();
    const help = await app.walk('h', ['1', 'مساعدة']);
    for (const word of ['titre de séjour', 'tribunal administratif', 'aide juridictionnelle', "déclaration sur l'honneur", 'centre de rétention']) {
      expect(help.replace(/[\u2066-\u2069]/g, '')).toMatch(new RegExp(`• ${word}: \\p{Script=Arabic}`, 'u'));
    }
  });

  it('the main menu says whose case is open when it is not the person’s own', async () => {
    app = createTestApp();
    await app.walk('k', ['5', '6', '1', '2', 'Fatima']);
    await app.choose('k', /Yes, I confirm/);
    const menu = await app.say('k', '0');
    expect(menu).toMatch(/^Case open: the case you manage for the person you help \(«Fatima»\)\./);
    await app.say('k', '6');
    await app.choose('k', /Work on another case/);
    await app.choose('k', /your own case/);
    expect(await app.say('k', '0')).toMatch(/^Main menu\./);
  });

  it('a command word is the command where the answer can only be a number, a time or a date', async () => {
    app = createTestApp();
    // Phone route, note a call, today: the time question, then the number question.
    await app.walk('c', ['5', '3', '2', '1', '1']);
    expect(await app.say('c', 'help')).toMatch(/How to answer[\s\S]*At what time\?/);
    await app.say('c', '1');
    expect(await app.say('c', 'menu')).toMatch(/Main menu\. What do you want to do\?/);
    // Where a word can be the answer (the note), it is the answer.
    await app.walk('d', ['5', '3', '2', '1', '1', '1', '1', '1', '1']);
    expect(await app.say('d', 'help')).toMatch(/Notes \(dans les mots de l'appelant\)\s: help/);
  });

  it('the statement’s reasons keep their numbers: a chosen one is ticked, and choosing it again removes it', async () => {
    app = createTestApp({ now: '2026-12-01T10:00:00+01:00' });
    await app.walk('r', ['5', '3', '3', '1', '1', '1', '1', 'Diallo', 'Aissatou', '15/04/1985', '1']);
    const more = await app.say('r', '2'); // no internet
    expect(more).toMatch(/1\. No, that's all\n2\. I have no computer or smartphone\n3\. I have no internet access ✓\n4\. /);
    const two = await app.say('r', '2');
    expect(two).toMatch(/2\. I have no computer or smartphone ✓\n3\. I have no internet access ✓/);
    expect(await app.say('r', '3')).toMatch(/2\. I have no computer or smartphone ✓\n3\. I have no internet access\n/);
  });

  it('dates are written with their digits too, in every language', async () => {
    app = createTestApp({ now: '2026-12-01T10:00:00+01:00' });
    expect(await app.walk('f', ['4', '4', '1', '15/03/2027'])).toMatch(/15 mars 2027 \(15\/03\/2027\)/);
    expect(await app.walk('b', ['2', '4', '1', '15/03/2027'])).toMatch(/\(15\/03\/2027\)/);
  });
});
