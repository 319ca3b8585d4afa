import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCALES_DIR } from '../../src/paths.js';
import { tempDir } from '../helpers/test-app.js';
import { npmRun, npmStart } from './npm-start.js';
import { addDays, addMonths } from '../../machines/lib/calendar.js';

/** Today in Paris, as Guichet's clock sees it when the test runs. */
function parisToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now());
}

/** A date as a person types it: 31/03/2027. */
const typed = (iso: string) => iso.split('-').reverse().join('/');

function nudges(at: string, env: Record<string, string>) {
  return npmRun(['run', 'nudges', '--silent', '--', '--at', at], [], env);
}

const locale = (lang: string) => JSON.parse(readFileSync(join(LOCALES_DIR, `${lang}.json`), 'utf8'));
/** The text up to its first {{variable}}: enough to recognise the sentence in any language. */
const opening = (text: string) => text.split('{{')[0]!.trim();

describe('reminders through npm start and npm run nudges', () => {
  let temp: ReturnType<typeof tempDir>;
  beforeAll(() => void (temp = tempDir('guichet-reminders-')));
  afterAll(() => temp.remove());

  it('records an expiry date, then sends each reminder exactly once, on its day, in the person’s language', async () => {
    // Arabic (1), My dates (4), permit end (1), the date, confirm, renewal on ANEF (1).
    const expiry = addDays(parisToday(), 130);
    const record = await npmStart(['1', '4', '1', typed(expiry), '1', '1'], { DATA_DIR: temp.dir, CHAT_USER: 'amina' });
    expect(record.code).toBe(0);
    const ar = locale('ar').reminders;
    const env = { DATA_DIR: temp.dir };
    const opens = addDays(expiry, -120);

    const before = await nudges(`${addDays(opens, -1)}T11:00:00Z`, env);
    expect(before.code).toBe(0);
    expect(before.stdout).toBe('');

    const night = await nudges(`${opens}T21:30:00Z`, env);
    expect(night.stdout).toBe('');

    const opening1 = await nudges(`${addDays(opens, 1)}T08:15:00Z`, env);
    expect(opening1.stdout).toContain('[reminder → terminal:amina]');
    expect(opening1.stdout).toContain(opening(ar.anef_open));

    const again = await nudges(`${addDays(opens, 1)}T08:20:00Z`, env);
    expect(again.stdout).toBe('');

    const closing = addDays(expiry, -60);
    const later = await nudges(`${closing}T11:30:00Z`, env);
    // Catching up: the reminder a month in, the last week, and the closing day — each once.
    expect(later.stdout.split('[reminder → terminal:amina]').length - 1).toBe(3);
    expect(later.stdout).toContain(opening(ar.anef_closes));
    expect((await nudges(`${closing}T11:31:00Z`, env)).stdout).toBe('');
  });

  it('"No" (in French) and "I don\'t know" (in Bengali) for a permit ending in 200 days: every reminder once, on its day', async () => {
    const dir = tempDir('guichet-renewal-');
    const env = { DATA_DIR: dir.dir };
    const expiry = addDays(parisToday(), 200);
    const closing = addDays(expiry, -60);
    // French (4) / Bengali (2), My dates (4), permit end (1), the date, confirm, then No (2) / I don't know (3).
    expect((await npmStart(['4', '4', '1', typed(expiry), '1', '2'], { ...env, CHAT_USER: 'nadia' })).code).toBe(0);
    expect((await npmStart(['2', '4', '1', typed(expiry), '1', '3'], { ...env, CHAT_USER: 'rahim' })).code).toBe(0);
    const fr = locale('fr').reminders;
    const bn = locale('bn').reminders;
    const expected: [string, string, string][] = [
      [addMonths(expiry, -4), 'nadia', fr.early_booking],
      [addDays(expiry, -120), 'rahim', bn.unknown_open],
      [addDays(closing, -7), 'rahim', bn.unknown_last_week],
      [addMonths(expiry, -2), 'nadia', fr.other_open],
      [addMonths(expiry, -2), 'rahim', bn.unknown_other_open],
      [closing, 'rahim', bn.unknown_closes],
      [addDays(expiry, -7), 'nadia', fr.other_last_week],
      [addDays(expiry, -7), 'rahim', bn.other_last_week],
      [expiry, 'nadia', fr.expiry_day],
      [expiry, 'rahim', bn.expiry_day],
    ];
    const days = [...new Set(expected.map(([day]) => day))].sort();
    let sent = 0;
    for (const day of days) {
      const out = (await nudges(`${day}T11:00:00Z`, env)).stdout;
      for (const [, who, text] of expected.filter(([d]) => d === day)) {
        expect(out, `${day} ${who}`).toContain(`[reminder → terminal:${who}]`);
        expect(out, `${day} ${who}`).toContain(opening(text));
      }
      sent += out.split('[reminder → terminal:').length - 1;
      // The same minute again: nothing twice.
      expect((await nudges(`${day}T11:01:00Z`, env)).stdout).toBe('');
    }
    expect(sent).toBe(expected.length);
    // The ANEF closing day is named in a reminder for "No" too, before it passes.
    expect(fr.early_booking).toContain('{{until}}');
    dir.remove();
  });

  it('says nothing after the person said stop', async () => {
    const env = { DATA_DIR: temp.dir, CHAT_USER: 'karim' };
    // French (4), My dates (4), letter posted (4), today, then "arrêter".
    const fr = locale('fr');
    const record = await npmStart(['4', '4', '4', '1', fr.commands.stop.split('|')[0]], env);
    expect(record.stdout).toContain(opening(fr.reminders.paused));
    expect((await nudges('2026-12-31T10:00:00+01:00', { DATA_DIR: temp.dir })).stdout).not.toContain('terminal:karim');
  });
});
