import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/test-app.js';

type App = ReturnType<typeof createTestApp>;
let app: App;
afterEach(async () => app?.close());

describe('"source": where a legal statement comes from', () => {
  it('shows, for the screen just read, each fact’s source, the day it was checked and whether it is confirmed', async () => {
    app = createTestApp({ now: '2026-12-01T10:00:00+01:00' });
    await app.open('s');
    await app.say('s', '5');
    await app.say('s', '1'); // triage
    await app.say('s', '3'); // renewal
    await app.say('s', '3'); // don't know the date
    await app.say('s', '1');
    await app.say('s', '2');
    await app.say('s', '1');
    const result = await app.say('s', '1'); // skip the place: the result states the renewal window
    expect(result).toMatch(/whether your renewal is done on ANEF/);
    const sources = await app.say('s', 'source');
    expect(sources).toMatch(/Where this comes from/);
    expect(sources).toMatch(/R\.431-5[\s\S]*https:\/\/www\.legifrance\.gouv\.fr\/codes\/article_lc\/LEGIARTI000043292776/);
    expect(sources).toMatch(/Checked on \d{1,2} \w+ 2026 \(\d\d\/\d\d\/2026\): confirmed\./);
    // The Algerian agreement is in the result too.
    expect(sources).toMatch(/1968/);
    // Asked again at once: the same sources, not "nothing".
    expect(await app.say('s', 'sources')).toMatch(/R\.431-5/);
  });

  it('works in every language, and marks an unconfirmed fact as such', async () => {
    app = createTestApp();
    await app.open('p');
    await app.say('p', '4'); // French
    await app.say('p', '3');
    await app.say('p', '2'); // phone route: opening hours are not confirmed
    const fr = await app.say('p', 'source');
    expect(fr).toMatch(/D'où cela vient/);
    expect(fr).toMatch(/non confirmé/);
    expect(fr).toMatch(/0806|0 806|08 06|tarifs|numéros/i);
    await app.say('p', 'langue');
    await app.say('p', '1'); // Arabic
    await app.say('p', '0');
    await app.say('p', '3');
    await app.say('p', '2');
    expect(await app.say('p', 'المصدر')).toMatch(/https:\/\//);
  });

  it('says so when the last screen stated no law', async () => {
    app = createTestApp();
    await app.open('n');
    // The first message says Guichet is not the prefecture, which receives by appointment: sourced.
    await app.say('n', '5');
    expect(await app.say('n', 'source')).toMatch(/Where this comes from/);
    // Guichet's own data practice states no law (help does: its French words, legal aid among them).
    await app.say('n', 'privacy');
    expect(await app.say('n', 'source')).toMatch(/The last message did not state a rule of law/);
  });
});
