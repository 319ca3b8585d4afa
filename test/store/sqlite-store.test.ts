import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { openSqliteStore, SQLITE_FILE_NAME } from '../../src/store/sqlite/sqlite-store.js';
import { MIGRATIONS } from '../../src/store/sqlite/migrations.js';
import { tempDir } from '../helpers/test-app.js';
import { defineStoreContract } from './store-contract.js';

defineStoreContract('sqlite', async () => {
  const temp = tempDir();
  return { open: async () => openSqliteStore(temp.dir), destroy: async () => temp.remove() };
});

describe('sqlite specifics', () => {
  it('uses WAL and records the schema version', async () => {
    const temp = tempDir();
    const store = openSqliteStore(temp.dir);
    await store.close();
    const db = new Database(join(temp.dir, SQLITE_FILE_NAME), { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    db.close();
    temp.remove();
  });

  it('refuses a database written by a newer Guichet', async () => {
    const temp = tempDir();
    (await openSqliteStore(temp.dir)).close();
    const db = new Database(join(temp.dir, SQLITE_FILE_NAME));
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    expect(() => openSqliteStore(temp.dir)).toThrow(/newer than this Guichet/);
    temp.remove();
  });
});
