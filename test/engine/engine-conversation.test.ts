import { afterEach, describe, expect, it } from 'vitest';
import { asText, createTestApp } from '../helpers/test-app.js';

type App = ReturnType<typeof createTestApp>;
let app: App;
afterEach(async () => app?.close());

/** Walk a person to the main menu in a language (picker numbers: 1 ar, 2 bn, 3 pt, 4 fr, 5 en). */
async function onboard(a: App, who: string, pick: string): Promise<string> {
  await a.open(who);
  return a.say(who, pick);
}

describe('first contact', () => {
  it('offers the five languages, each in its own script, before anything else', async () => {
    app = createTestApp();
    const first = await app.open('amina');
    for (const name of ['العربية', 'বাংলা', 'Português', 'Français', 'English']) expect(first).toContain(name);
    expect(first).toContain('Choose your language');
    expect(first).toContain('Choisissez votre langue');
  });

  it('says once what is kept, how to delete it, and that it is not legal advice, then shows the menu', async () => {
    app = createTestApp();
    const reply = await onboard(app, 'amina', '5');
    expect(reply).toMatch(/What I keep/);
    expect(reply).toMatch(/delete/);
    expect(reply).toMatch(/not legal advice/);
    expect(reply).toMatch(/Main menu/);
    expect(reply).toMatch(/1\. Which way fits me/);
    expect(reply).toMatch(/2\. URGENT: I received an expulsion order/);
    expect(reply).toMatch(/3\. Ways to get an appointment/);
    // A short first menu: at most 8 entries.
    expect(app.lastQuestion('amina')!.options.length).toBeLessThanOrEqual(8);
  });

  it('understands Arabic-Indic, Persian and Bengali digits', async () => {
    app = createTestApp();
    expect(await onboard(app, 'a', '١')).toContain('مرحبا');
    expect(await onboard(app, 'b', '۴')).toContain('Bienvenue');
    expect(await onboard(app, 'c', '২')).toMatch(/[\u0980-\u09ff]/);
    await app.say('c', '৩');
    expect(await app.say('c', '১')).toContain('France Services');
  });

  it('answers in Arabic with numbers and Latin terms isolated', async () => {
    app = createTestApp();
    await onboard(app, 'a', '1');
    await app.say('a', '3');
    const reply = await app.say('a', '2');
    expect(reply).toContain('\u20660 806 001 620\u2069');
    expect(reply).toContain('\u2066ANEF\u2069');
    expect(reply).toMatch(/\u20661\.\u2069 /);
  });

  it('shows the picker again when the first answer is not a language', async () => {
    app = createTestApp();
    await app.open('z');
    const reply = await app.say('z', 'hello?');
    expect(reply).toContain('Choose your language');
    expect(reply).not.toContain('Main menu');
  });
});

describe('global commands', () => {
  it('goes to the menu from inside a route by word in any language, or by 0', async () => {
    app = createTestApp();
    await onboard(app, 'p', '5');
    await app.say('p', '3');
    expect(await app.say('p', 'menu')).toMatch(/Main menu\./);
    await app.say('p', '3');
    expect(await app.say('p', 'القائمة')).toMatch(/Main menu\./);
    await app.say('p', '3');
    expect(await app.say('p', '0')).toMatch(/Main menu\./);
    await app.say('p', '3');
    expect(await app.say('p', '/Menu!')).toMatch(/Main menu\./);
  });

  it('goes back one step, by word or by the number shown for Back', async () => {
    app = createTestApp();
    await onboard(app, 'p', '4');
    await app.say('p', '3');
    await app.say('p', '1'); // digital help: intro
    await app.say('p', '1'); // what they do
    await app.say('p', '1'); // what to bring
    expect(await app.say('p', 'retour')).toContain("point d'accueil numérique");
    // On "what they do" the options are 1 Next, 2 Back, 0 Menu.
    expect(await app.say('p', '2')).toContain('France Services');
    // Back from a route's first step leads to the menu.
    expect(await app.say('p', 'back')).toMatch(/Menu principal/);
  });

  it('shows help and privacy with the command words of the person’s language, then repeats the question', async () => {
    app = createTestApp();
    await onboard(app, 'h', '3');
    const help = await app.say('h', 'ajuda');
    expect(help).toContain('voltar');
    expect(help).toContain('apagar');
    expect(help).toMatch(/Menu principal/);
    const privacy = await app.say('h', 'privacy');
    expect(privacy).toContain('apagar');
  });

  it('changes language at any time and comes back to the same question', async () => {
    app = createTestApp();
    await onboard(app, 'l', '5');
    await app.say('l', '3');
    await app.say('l', '2');
    await app.say('l', '3'); // phone: next, what it does
    const picker = await app.say('l', 'language');
    expect(picker).toContain('বাংলা');
    const after = await app.say('l', 'Français');
    expect(after).toContain('français');
    expect(after).toContain('34 30');
    expect(await app.say('l', 'langue')).toContain('English');
    // Back from the picker closes it.
    expect(await app.say('l', 'retour')).toContain('34 30');
  });

  it('repeats the question with its options when an answer is not understood — never a dead end', async () => {
    app = createTestApp();
    await onboard(app, 'u', '5');
    const reply = await app.say('u', 'what is this 🤔');
    expect(reply).toMatch(/^Sorry, I did not understand\. Reply with a number from 1 to 8\./);
    expect(reply).toMatch(/3\. Ways to get an appointment/);
    expect(await app.say('u', '42')).toMatch(/did not understand[\s\S]*Main menu/);
  });

  it('accepts the words of an option instead of its number', async () => {
    app = createTestApp();
    await onboard(app, 'w', '5');
    expect(await app.say('w', 'change language')).toContain('বাংলা');
    expect(await app.say('w', 'english')).toContain('English');
  });

  it('takes a few words of an option for the option, when only one option has them', async () => {
    app = createTestApp();
    await onboard(app, 'x', '5');
    expect(await app.say('x', 'my dates')).toMatch(/Your dates\./);
    await app.say('x', '0');
    await app.say('x', 'ways');
    expect(await app.say('x', 'court')).toMatch(/référé mesures utiles/);
    await app.say('x', '0');
    await app.say('x', 'appointment');
    expect(await app.say('x', 'ANEF')).toMatch(/0 806 001 620/);
    // Words two options share pick neither: the short line and the question.
    await app.say('x', '0');
    expect(await app.say('x', 'my')).toMatch(/Reply with a number from 1 to 8/);
    await app.say('x', 'langue');
    await app.say('x', '4'); // Français
    await app.say('x', '0');
    await app.say('x', 'solutions');
    expect(await app.say('x', 'tribunal')).toMatch(/référé mesures utiles/);
  });
});

describe('buttons', () => {
  it('accepts a tap on the current question and refuses one from an older question politely', async () => {
    app = createTestApp();
    await onboard(app, 'b', '5');
    const menu = app.lastQuestion('b')!;
    const replies = await app.deliver({ channel: 'terminal', address: 'b', messageId: 'tap1', kind: 'choice', token: menu.token, option: 3 });
    expect(replies.map(asText).join()).toContain('help desk');
    const stale = await app.deliver({ channel: 'terminal', address: 'b', messageId: 'tap2', kind: 'choice', token: menu.token, option: 2 });
    // One bubble: the polite refusal, then the current question.
    expect(stale).toHaveLength(1);
    expect(asText(stale[0]!)).toMatch(/earlier question[\s\S]*help desk/);
  });
});

describe('isolation between people', () => {
  it('never sends one person’s reply to another, even interleaved', async () => {
    app = createTestApp();
    const people = Array.from({ length: 20 }, (_, i) => `person-${i}`);
    await Promise.all(people.map((p) => app.open(p)));
    await Promise.all(people.map((p, i) => app.say(p, String((i % 5) + 1))));
    await Promise.all(people.map(async (p) => { await app.say(p, '3'); await app.say(p, '2'); }));
    for (const [i, p] of people.entries()) {
      const transcript = app.outbox.transcript(p);
      const expected = ['مرحبا', 'স্বাগতম', 'Boas-vindas', 'Bienvenue', 'Welcome'][i % 5]!;
      expect(transcript, p).toContain(expected);
      expect(transcript).toContain('0 806 001 620');
    }
  });

  it('handles one person’s burst strictly in arrival order', async () => {
    app = createTestApp();
    await onboard(app, 'fast', '5');
    // Sent without waiting: phone route, next, next, "note a call".
    await Promise.all(['3', '2', '3', '1', '1'].map((t, i) => app.say('fast', t, `burst-${i}`)));
    expect(app.lastQuestion('fast')!.text).toMatch(/When did you call/);
  });
});
