import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCALES_DIR } from '../../src/paths.js';
import { npmStart } from './npm-start.js';
import { tempDir } from '../helpers/test-app.js';

const locale = (lang: string) => JSON.parse(readFileSync(join(LOCALES_DIR, `${lang}.json`), 'utf8'));
const ar = locale('ar');
const fr = locale('fr');

describe('npm start in the terminal', () => {
  let temp: ReturnType<typeof tempDir>;
  beforeAll(() => void (temp = tempDir('guichet-e2e-')));
  afterAll(() => temp.remove());

  it('holds a whole conversation in Arabic, typed with Arabic-Indic digits', async () => {
    const run = await npmStart(['١', '٣', '٢', '٣', '١', 'القائمة'], { DATA_DIR: temp.dir, CHAT_USER: 'amina' });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('Choose your language');
    expect(run.stdout).toContain(ar.onboarding.intro);
    expect(run.stdout).toContain(ar.menu.title);
    // Latin words and numbers in Arabic text are isolated for display: compare without the marks.
    const shown = run.stdout.replace(/[\u2066-\u2069]/g, '');
    expect(shown).toContain(ar.phone.what_it_does);
    expect(shown).toContain(ar.phone.before_calling);
    // "القائمة" (menu) typed inside the route brings the main menu back.
    expect(run.stdout.lastIndexOf(ar.menu.title)).toBeGreaterThan(run.stdout.indexOf('> القائمة'));
  });

  it('keeps a French call log across two processes: stop mid-route, come back, finish', async () => {
    const first = await npmStart(['4', '3', '2', '1', '3'], { DATA_DIR: temp.dir, CHAT_USER: 'karim' });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(fr.date.ask_day.split('\n')[0]);

    const second = await npmStart(['15/11/2026', '1', '10h05', '1', 'M. Martin', '1', '1'], { DATA_DIR: temp.dir, CHAT_USER: 'karim' });
    expect(second.code).toBe(0);
    // The second process starts by showing the question where karim stopped.
    expect(second.stdout.indexOf(fr.date.ask_day.split('\n')[0])).toBeLessThan(second.stdout.indexOf('> 15/11/2026'));
    expect(second.stdout).toContain('15 novembre 2026');
    expect(second.stdout).toContain("COMPTE-RENDU D'APPEL");
    expect(second.stdout).toContain('Heure\u00a0: 10 h 05');
    expect(second.stdout).toContain('Interlocuteur\u00a0: M. Martin');
    expect(second.stdout).toContain(fr.phone.log_saved);

    // amina, in the same store, is untouched and still in Arabic.
    const amina = await npmStart([], { DATA_DIR: temp.dir, CHAT_USER: 'amina' });
    expect(amina.stdout).toContain(ar.menu.title);
    expect(amina.stdout).not.toContain('Martin');
  });

  it('erases the PDFs it wrote when the person deletes everything', async () => {
    const statement = ['5', '3', '3', '1', '1', '1', '1', 'Diallo', 'Aissatou', '15/04/1985', '1', '1', '1', 'Bobigny'];
    const made = await npmStart(statement, { DATA_DIR: temp.dir, CHAT_USER: 'eraser', ADDRESS_API_URL: 'none' });
    const path = /^\[PDF\] (.+\.pdf)$/m.exec(made.stdout)![1]!;
    expect(existsSync(path)).toBe(true);
    const erased = await npmStart(['delete', '1'], { DATA_DIR: temp.dir, CHAT_USER: 'eraser' });
    expect(erased.stdout).toMatch(/Everything is erased/);
    expect(existsSync(path)).toBe(false);
  });

  it('creates its files owner-only, and refuses to start with another vault key than the store was used with', async () => {
    const dir = join(temp.dir, 'keyed');
    const first = await npmStart(['5'], { DATA_DIR: dir, CHAT_USER: 'k', VAULT_KEY: 'a'.repeat(64) });
    expect(first.code).toBe(0);
    for (const name of readdirSync(dir)) expect(statSync(join(dir, name)).mode & 0o077, name).toBe(0);
    const wrong = await npmStart(['5'], { DATA_DIR: dir, CHAT_USER: 'k', VAULT_KEY: 'b'.repeat(64) });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/The vault key does not match the one this store was used with/);
    expect(wrong.stderr).not.toContain('b'.repeat(64));
    expect((await npmStart([], { DATA_DIR: dir, CHAT_USER: 'k', VAULT_KEY: 'a'.repeat(64) })).code).toBe(0);
  });

  it('refuses a wrong setting with a message naming it', async () => {
    const run = await npmStart([], { DATA_DIR: temp.dir, TIME_ZONE: 'Nowhere/Never' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/TIME_ZONE: expected an IANA time zone/);
  });
});
