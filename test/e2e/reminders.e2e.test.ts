import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCALES_DIR } from '../../src/paths.js';
import { tempDir } from '../helpers/test-app.js';
import { npmRun, npmStart } from './npm-start.js';

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
    // Arabic (1), My dates (11), permit end (1), 31/03/2027, confirm, filed through ANEF.
    const record = await npmStart(['1', '11', '1', '31/03/2027', '1', '1'], { DATA_DIR: temp.dir, CHAT_USER: 'amina' });
    expect(record.code).toBe(0);
    const ar = locale('ar').reminders;
    const env = { DATA_DIR: temp.dir };

    const before = await nudges('2026-11-30T10:05:00+01:00', env);
    expect(before.code).toBe(0);
    expect(before.stdout).toBe('');

    const night = await nudges('2026-12-01T22:00:00+01:00', env);
    expect(night.stdout).toBe('');

    const opening1 = await nudges('2026-12-02T09:15:00+01:00', env);
    expect(opening1.stdout).toContain('[reminder → terminal:amina]');
    expect(opening1.stdout).toContain(opening(ar.window_open_anef));
    expect(opening1.stdout).toContain('30 ');

    const again = await nudges('2026-12-02T09:20:00+01:00', env);
    expect(again.stdout).toBe('');

    const later = await nudges('2027-01-30T10:30:00+01:00', env);
    // Catching up: the reminder a month in, the last week, and the closing day — each once.
    expect(later.stdout.split('[reminder → terminal:amina]').length - 1).toBe(3);
    expect(later.stdout).toContain(opening(ar.window_closes));
    expect((await nudges('2027-01-30T10:31:00+01:00', env)).stdout).toBe('');
  });

  it('says nothing after the person said stop', async () => {
    const env = { DATA_DIR: temp.dir, CHAT_USER: 'karim' };
    // French (4), My dates (11), letter posted (4), today, then "arrêter".
    const fr = locale('fr');
    const record = await npmStart(['4', '11', '4', '1', fr.commands.stop.split('|')[0]], env);
    expect(record.stdout).toContain(opening(fr.reminders.paused));
    expect((await nudges('2026-12-31T10:00:00+01:00', { DATA_DIR: temp.dir })).stdout).not.toContain('terminal:karim');
  });
});
