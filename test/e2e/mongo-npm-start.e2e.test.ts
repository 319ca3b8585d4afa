import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../machines/lib/calendar.js';
import { LOCALES_DIR } from '../../src/paths.js';
import { SQLITE_FILE_NAME } from '../../src/store/sqlite/sqlite-store.js';
import { tempDir } from '../helpers/test-app.js';
import { dropMongoDb, freshMongoUri, MONGODB_BASE_URI, noticeMongoSkipped, withMongoDb } from '../helpers/mongo-db.js';
import { npmRun, npmStart } from './npm-start.js';

const locale = (lang: string) => JSON.parse(readFileSync(join(LOCALES_DIR, `${lang}.json`), 'utf8'));
const fr = locale('fr');
const ar = locale('ar');
const typed = (iso: string) => iso.split('-').reverse().join('/');
const opening = (text: string) => text.split('{{')[0]!.trim();
const parisToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now());

if (!MONGODB_BASE_URI) noticeMongoSkipped('npm start and npm run nudges on MongoDB');

describe.skipIf(!MONGODB_BASE_URI)('npm start and npm run nudges with MONGODB_URI', () => {
  const uri = MONGODB_BASE_URI ? freshMongoUri(MONGODB_BASE_URI) : '';
  let temp: ReturnType<typeof tempDir>;
  // Two data folders, as on two machines: what a person did is in the database, not on disk.
  let env: (folder: 'one' | 'two', user: string) => Record<string, string>;
  beforeAll(() => {
    temp = tempDir('guichet-mongo-e2e-');
    env = (folder, user) => ({ MONGODB_URI: uri, DATA_DIR: join(temp.dir, folder), VAULT_KEY: '5e'.repeat(32), CHAT_USER: user });
  });
  afterAll(async () => {
    temp.remove();
    if (uri) await dropMongoDb(uri);
  });

  it('walks a French route, stops mid-way, and a second process elsewhere resumes it where it stopped', async () => {
    const first = await npmStart(['4', '3', '2', '1', '3'], env('one', 'karim'));
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(fr.date.ask_day.split('\n')[0]);

    const second = await npmStart(['15/11/2026', '1', '10h05', '1', 'M. Martin', '1', '1'], env('two', 'karim'));
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout.indexOf(fr.date.ask_day.split('\n')[0])).toBeLessThan(second.stdout.indexOf('> 15/11/2026'));
    expect(second.stdout).toContain("COMPTE-RENDU D'APPEL");
    expect(second.stdout).toContain('Interlocuteur\u00a0: M. Martin');
    expect(second.stdout).toContain(fr.phone.log_saved);
    // Nothing went to the embedded store.
    for (const folder of ['one', 'two']) expect(existsSync(join(temp.dir, folder, SQLITE_FILE_NAME)), folder).toBe(false);
    const stored = await withMongoDb(uri, async (db) => ({ people: await db.collection('people').countDocuments(), conversations: await db.collection('conversations').countDocuments() }));
    expect(stored).toEqual({ people: 1, conversations: 1 });
  });

  it('records a permit end in Arabic, then npm run nudges sends each reminder once, on its day, from either folder', async () => {
    const expiry = addDays(parisToday(), 130);
    // Arabic (1), My dates (4), permit end (1), the date, confirm, renewal on ANEF (1).
    const record = await npmStart(['1', '4', '1', typed(expiry), '1', '1'], env('one', 'amina'));
    expect(record.code, record.stderr).toBe(0);
    const nudges = (at: string, folder: 'one' | 'two') => npmRun(['run', 'nudges', '--silent', '--', '--at', at], [], env(folder, 'operator'));
    const opens = addDays(expiry, -120);
    expect((await nudges(`${addDays(opens, -1)}T11:00:00Z`, 'one')).stdout).toBe('');
    const first = await nudges(`${addDays(opens, 1)}T08:15:00Z`, 'two');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.split('[reminder → terminal:amina]').length - 1).toBe(1);
    expect(first.stdout.replace(/[\u2066-\u2069]/g, '')).toContain(opening(ar.reminders.anef_open));
    // The same minute from the other folder, and from the same one: nothing twice.
    expect((await nudges(`${addDays(opens, 1)}T08:16:00Z`, 'one')).stdout).toBe('');
    expect((await nudges(`${addDays(opens, 1)}T08:17:00Z`, 'two')).stdout).toBe('');
    const closing = addDays(expiry, -60);
    const later = await nudges(`${closing}T11:30:00Z`, 'one');
    // Catching up: the reminder a month in, the last week, and the closing day, each once.
    expect(later.stdout.split('[reminder → terminal:amina]').length - 1).toBe(3);
    expect(later.stdout.replace(/[\u2066-\u2069]/g, '')).toContain(opening(ar.reminders.anef_closes));
    expect((await nudges(`${closing}T11:31:00Z`, 'two')).stdout).toBe('');
  });
});
