import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQLITE_FILE_NAME } from '../../src/store/sqlite/sqlite-store.js';
import { tempDir } from '../helpers/test-app.js';
import { npmStart } from './npm-start.js';

/** Tables that may keep rows once everyone is erased: schema bookkeeping and platform message ids (no content). */
const NOT_PERSONAL = new Set(['processed_messages', 'channel_auth']);

describe('proof, export and erasure through npm start', () => {
  let temp: ReturnType<typeof tempDir>;
  beforeAll(() => void (temp = tempDir('guichet-vault-e2e-')));
  afterAll(() => temp.remove());

  it('keeps a photo sent with /photo, exports it, then erases everything: nothing is left in the store', async () => {
    const marker = randomBytes(48);
    const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]), marker, Buffer.from([0xff, 0xd9])]);
    const photoPath = join(temp.dir, 'recu-poste.jpg');
    writeFileSync(photoPath, photo);
    const dataDir = join(temp.dir, 'data');
    const env = { DATA_DIR: dataDir, CHAT_USER: 'fatou-e2e' };

    // English; the photo; "post office receipt"; today; then the export.
    const kept = await npmStart(['5', `/photo ${photoPath}`, '2', '1', 'export'], env);
    expect(kept.code).toBe(0);
    expect(kept.stderr).toBe('');
    expect(kept.stdout).toMatch(/I have received your document and locked it safely/);
    expect(kept.stdout).toMatch(/Kept: Post office receipt for a registered letter, 28 November 2026|Kept: Post office receipt for a registered letter, \d+ \w+ \d{4}/);
    const zipPath = /^\[file\] (.+\.zip)$/m.exec(kept.stdout)?.[1];
    expect(zipPath).toBeDefined();
    const zip = unzipSync(readFileSync(zipPath!));
    const data = JSON.parse(strFromU8(zip['guichet-export.json']!));
    const doc = data.cases[0].documents[0];
    expect(doc).toMatchObject({ kind: 'postal-receipt', type: 'image/jpeg', size: photo.length });
    expect(Buffer.from(zip[doc.file]!).equals(photo)).toBe(true);

    // The vault key was generated on first run, for its owner only.
    expect(statSync(join(dataDir, 'vault.key')).mode & 0o077).toBe(0);
    // At rest the photo cannot be read from the database.
    const files = () => readdirSync(dataDir).filter((n) => n.startsWith(SQLITE_FILE_NAME));
    for (const name of files()) expect(readFileSync(join(dataDir, name)).includes(marker.subarray(0, 16))).toBe(false);

    const erased = await npmStart(['delete', '1'], env);
    expect(erased.stdout).toMatch(/Everything is erased/);

    const db = new Database(join(dataDir, SQLITE_FILE_NAME), { readonly: true });
    const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all();
    for (const { name } of tables) {
      if (NOT_PERSONAL.has(name)) continue;
      expect(db.prepare(`SELECT COUNT(*) AS n FROM "${name}"`).get(), name).toEqual({ n: 0 });
    }
    db.close();
    // Nor in the file itself: erased pages are zeroed and the write-ahead log emptied.
    for (const name of files()) {
      const raw = readFileSync(join(dataDir, name));
      expect(raw.includes(Buffer.from('fatou-e2e')), name).toBe(false);
    }
  });

  it('refuses a file that is not a photo or PDF, whatever its name', async () => {
    const fake = join(temp.dir, 'not-a-photo.jpg');
    writeFileSync(fake, Buffer.from('PK\u0003\u0004 this is a zip archive'));
    const run = await npmStart(['5', `/file ${fake}`], { DATA_DIR: join(temp.dir, 'other'), CHAT_USER: 'sami' });
    expect(run.stdout).toMatch(/I can only keep photos \(JPEG, PNG, WebP, HEIC\) and PDF files/);
    expect(run.stdout).not.toMatch(/What is this document/);
  });
});
