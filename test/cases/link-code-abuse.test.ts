import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseLinkCode, parseShownName } from '../../machines/lib/answers.js';
import { formatCode, helperHint, LinkCodes, MAX_CODES_PER_DAY, MAX_LIVE_CODES, MAX_WRONG_CODES_PER_HOUR } from '../../src/cases/link-codes.js';
import type { Store } from '../../src/store/ports.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { asText, createTestApp, tempDir } from '../helpers/test-app.js';

/**
 * The attacks on link codes the abuse review reproduced: squatting the code
 * space, a creation loop that never ends when it is full, resetting wrong
 * tries by erasing one's data, guessing from many numbers, and a consent
 * screen that shows only a name the helper chose.
 */
let temp: ReturnType<typeof tempDir>;
let store: Store;
let links: LinkCodes;
const HOUR = 3600_000;
const now = 10 * 24 * HOUR;
const from = (address: string) => ({ channel: 'telegram' as const, address });
const terminal = { channel: 'terminal' as const, hint: null };

beforeEach(() => {
  temp = tempDir();
  store = openSqliteStore(temp.dir);
  links = new LinkCodes(store, randomBytes(32));
});
afterEach(async () => {
  await store.close();
  temp.remove();
});

describe('link codes cannot be squatted, spun or guessed', () => {
  it('are ten digits, never starting with 0, read out in pairs', async () => {
    const helper = await store.people.resolveIdentity('telegram', 'h', 0);
    for (let i = 0; i < 3; i++) {
      const made = await links.create(helper, 'Karim', 'Mum', terminal, now + i);
      if (made.status !== 'created') throw new Error(made.status);
      expect(made.code).toMatch(/^[1-9]\d{9}$/);
      expect(formatCode(made.code)).toMatch(/^\d\d \d\d \d\d \d\d \d\d$/);
      expect(parseLinkCode(formatCode(made.code))).toBe(made.code);
    }
    // A French phone number typed at the menu is not a code.
    expect(parseLinkCode('06 12 34 56 78')).toBeUndefined();
    expect(parseLinkCode('482 913')).toBeUndefined();
  });

  it(`lets one helper hold ${MAX_LIVE_CODES} live codes and make ${MAX_CODES_PER_DAY} a day`, async () => {
    const helper = await store.people.resolveIdentity('telegram', 'squatter', 0);
    const made = [];
    for (let i = 0; i < MAX_LIVE_CODES; i++) made.push(await links.create(helper, 'S', 'X', terminal, now + i));
    expect(made.every((m) => m.status === 'created')).toBe(true);
    expect(await links.create(helper, 'S', 'X', terminal, now + 10)).toEqual({ status: 'too-many-live', count: MAX_LIVE_CODES });
    // One used: room for another, until the day's count is reached.
    const person = await store.people.resolveIdentity('telegram', 'friend', 0);
    for (const m of made.slice(0, 2)) {
      if (m.status !== 'created') continue;
      const check = await links.check(from('friend'), person, m.code, now + 20);
      if (check.status === 'ok') await links.decline(check.codeId, now + 21);
    }
    expect((await links.create(helper, 'S', 'X', terminal, now + 30)).status).toBe('created');
    expect((await links.create(helper, 'S', 'X', terminal, now + 31)).status).toBe('created');
    expect(await links.create(helper, 'S', 'X', terminal, now + 32)).toEqual({ status: 'too-many-live', count: MAX_LIVE_CODES });
    await links.decline((await store.links.findLive('x', 0))?.id ?? 'none', now + 33);
    // A day later the count starts again.
    expect((await links.create(helper, 'S', 'X', terminal, now + 25 * HOUR)).status).toBe('created');
  });

  it('gives up after a few draws when the space is full, instead of spinning forever', async () => {
    const helper = await store.people.resolveIdentity('telegram', 'unlucky', 0);
    let draws = 0;
    const full: Store = { ...store, links: { ...store.links, create: async () => (draws++, false) } };
    const started = performance.now();
    expect(await new LinkCodes(full, randomBytes(32)).create(helper, 'U', 'X', terminal, now)).toEqual({ status: 'busy' });
    expect(draws).toBe(8);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('counts wrong tries per sender, and erasing one’s data does not reset them', async () => {
    const first = await store.people.resolveIdentity('telegram', 'guesser', 0);
    for (let i = 0; i < 4; i++) expect((await links.check(from('guesser'), first, '1000000000', now)).status).toBe('wrong');
    expect(await links.check(from('guesser'), first, '1000000000', now)).toEqual({ status: 'locked' });
    await store.people.delete(first);
    const again = await store.people.resolveIdentity('telegram', 'guesser', now);
    expect(again).not.toBe(first);
    expect(await links.check(from('guesser'), again, '1000000000', now + 1)).toEqual({ status: 'locked' });
    // Another sender is not locked by it; the next day, the guesser is not either.
    expect((await links.check(from('someone-else'), again, '1000000000', now + 2)).status).toBe('wrong');
    expect((await links.check(from('guesser'), again, '1000000000', now + 25 * HOUR)).status).toBe('wrong');
  });

  it(`pauses code checks for everyone after ${MAX_WRONG_CODES_PER_HOUR} wrong ones in an hour, from any number of senders`, async () => {
    const person = await store.people.resolveIdentity('telegram', 'p', 0);
    const helper = await store.people.resolveIdentity('telegram', 'h2', 0);
    const made = await links.create(helper, 'H', 'Mum', terminal, now);
    if (made.status !== 'created') throw new Error(made.status);
    for (let i = 0; i < MAX_WRONG_CODES_PER_HOUR; i++) await links.check(from(`bot-${i}`), person, '1000000000', now + i);
    // Even the right code, from someone who never typed a wrong one: checks pause.
    expect(await links.check(from('honest'), person, made.code, now + 400)).toEqual({ status: 'busy' });
    // An hour later they work again.
    expect((await links.check(from('honest'), person, made.code, now + HOUR + 400)).status).toBe('ok');
  });
});

describe('the consent screen shows what the helper could not choose', () => {
  it('names the channel and, on Telegram, the username; on WhatsApp, the last digits of the number', () => {
    expect(helperHint({ channel: 'telegram', address: '42' }, 'karim_b')).toBe('@karim_b');
    expect(helperHint({ channel: 'telegram', address: '42' }, null)).toBeNull();
    expect(helperHint({ channel: 'telegram', address: '42' }, 'x<y>')).toBeNull();
    expect(helperHint({ channel: 'whatsapp', address: '33612345678@s.whatsapp.net' }, null)).toBe('78');
    expect(helperHint({ channel: 'whatsapp', address: '185672634982011@lid' }, null)).toBeNull();
  });

  it('strips invisible characters from names, so that a name cannot pass for another', () => {
    expect(parseShownName('Ka\u200brim\u202e', 40)).toBe('Karim');
    expect(parseShownName('\u2066\u200d\u00ad', 40)).toBeUndefined();
    expect(parseShownName('Ali\nMum', 40)).toBe('Ali Mum');
    // Mixed scripts stay as the helper wrote them.
    expect(parseShownName('Kаrim', 40)).toBe('Kаrim');
  });

  it('shows the person asked the name as given, the helper’s channel and username, through the engine', async () => {
    const app = createTestApp();
    try {
      const tg = (address: string, text: string, username?: string) =>
        app.deliver({ channel: 'telegram', address, messageId: `${address}-${text}-${Math.random()}`, kind: 'text', text, ...(username ? { username } : {}) });
      for (const text of ['hi', '5', '6', '1', '1', 'Ka\u200brim', 'Mum']) await tg('100', text, 'karim_b');
      const shown = app.outbox.transcript('100');
      const code = /Your code is ((?:\d\d ){4}\d\d)\./.exec(shown)?.[1];
      expect(code).toBeDefined();
      await tg('200', 'hi');
      await tg('200', '5');
      const consent = (await tg('200', code!)).map(asText).join('\n');
      expect(consent).toMatch(/Someone who gave their name as «Karim» \(on Telegram, @karim_b\) wants to help you/);
    } finally {
      await app.close();
    }
  });
});
