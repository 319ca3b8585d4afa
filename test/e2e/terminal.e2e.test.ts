import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCALES_DIR, PROJECT_ROOT } from '../../src/paths.js';
import { tempDir } from '../helpers/test-app.js';

/**
 * The real thing: `npm start` as a person would run it, with a script piped
 * to stdin, one message per line. Replies are read from stdout.
 */
function npmStart(lines: string[], env: Record<string, string>): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['start', '--silent'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout: stdout.replace(/[\u2066-\u2069]/g, ''), stderr, code }));
    child.stdin.end(lines.map((l) => `${l}\n`).join(''));
  });
}

const locale = (lang: string) => JSON.parse(readFileSync(join(LOCALES_DIR, `${lang}.json`), 'utf8'));
const ar = locale('ar');
const fr = locale('fr');

describe('npm start in the terminal', () => {
  let temp: ReturnType<typeof tempDir>;
  beforeAll(() => void (temp = tempDir('guichet-e2e-')));
  afterAll(() => temp.remove());

  it('holds a whole conversation in Arabic, typed with Arabic-Indic digits', async () => {
    const run = await npmStart(['١', '٢', '١', '١', 'القائمة'], { DATA_DIR: temp.dir, CHAT_USER: 'amina' });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('Choose your language');
    expect(run.stdout).toContain(ar.onboarding.intro);
    expect(run.stdout).toContain(ar.menu.title);
    expect(run.stdout).toContain(ar.phone.what_it_does);
    expect(run.stdout).toContain(ar.phone.before_calling);
    // "القائمة" (menu) typed inside the route brings the main menu back.
    expect(run.stdout.lastIndexOf(ar.menu.title)).toBeGreaterThan(run.stdout.indexOf('> القائمة'));
  });

  it('keeps a French call log across two processes: stop mid-route, come back, finish', async () => {
    const first = await npmStart(['4', '2', '2', '3'], { DATA_DIR: temp.dir, CHAT_USER: 'karim' });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(fr.date.ask_day.split('\n')[0]);

    const second = await npmStart(['15/11/2026', '1', '10h05', '1', 'M. Martin', '1', '1'], { DATA_DIR: temp.dir, CHAT_USER: 'karim' });
    expect(second.code).toBe(0);
    // The second process starts by showing the question where karim stopped.
    expect(second.stdout.indexOf(fr.date.ask_day.split('\n')[0])).toBeLessThan(second.stdout.indexOf('> 15/11/2026'));
    expect(second.stdout).toContain('15 novembre 2026');
    expect(second.stdout).toContain("COMPTE-RENDU D'APPEL");
    expect(second.stdout).toContain('Heure : 10 h 05');
    expect(second.stdout).toContain('Interlocuteur : M. Martin');
    expect(second.stdout).toContain(fr.phone.log_saved);

    // amina, in the same store, is untouched and still in Arabic.
    const amina = await npmStart([], { DATA_DIR: temp.dir, CHAT_USER: 'amina' });
    expect(amina.stdout).toContain(ar.menu.title);
    expect(amina.stdout).not.toContain('Martin');
  });

  it('refuses a wrong setting with a message naming it', async () => {
    const run = await npmStart([], { DATA_DIR: temp.dir, TIME_ZONE: 'Nowhere/Never' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/TIME_ZONE: expected an IANA time zone/);
  });
});
