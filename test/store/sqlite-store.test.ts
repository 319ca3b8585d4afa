import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { PROJECT_ROOT } from '../../src/paths.js';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { openSqliteStore, SQLITE_FILE_NAME } from '../../src/store/sqlite/sqlite-store.js';
import { MIGRATIONS } from '../../src/store/sqlite/migrations.js';
import { tempDir } from '../helpers/test-app.js';
import { defineStoreContract } from './store-contract.js';

/** Every row of every table, blobs as hex. */
export function dumpSqlite(db: Database.Database): string {
  const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
  return tables
    .map(({ name }) => {
      const rows = db.prepare<[], Record<string, unknown>>(`SELECT * FROM "${name}"`).all();
      const lines = rows.map((row) => JSON.stringify(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Buffer.isBuffer(v) ? v.toString('hex') : v]))));
      return [`## ${name}`, ...lines].join('\n');
    })
    .join('\n');
}

defineStoreContract('sqlite', async () => {
  const temp = tempDir();
  // A second connection on the same file, beside the store's own (WAL lets it read everything committed).
  const raw = <T>(fn: (db: Database.Database) => T): T => {
    const db = new Database(join(temp.dir, SQLITE_FILE_NAME));
    try {
      return fn(db);
    } finally {
      db.close();
    }
  };
  return {
    open: async () => openSqliteStore(temp.dir),
    destroy: async () => temp.remove(),
    dump: async () => raw(dumpSqlite),
    addIdentity: async (personId, channel, address) =>
      raw((db) => void db.prepare('INSERT INTO identities (channel, address, person_id) VALUES (?, ?, ?)').run(channel, address, personId)),
  };
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

  it('upgrades a database of schema 4: cases, identities and their times carry over', async () => {
    const temp = tempDir();
    const db = new Database(join(temp.dir, SQLITE_FILE_NAME));
    db.pragma('foreign_keys = ON');
    for (const migration of MIGRATIONS.slice(0, 4)) db.exec(migration);
    db.pragma('user_version = 4');
    db.prepare('INSERT INTO people (id, language, created_at) VALUES (?, ?, ?)').run('p-old', 'fr', 100);
    db.prepare('INSERT INTO identities (channel, address, person_id) VALUES (?, ?, ?)').run('telegram', '77', 'p-old');
    db.prepare('INSERT INTO conversations (person_id, state, rev, updated_at) VALUES (?, ?, ?, ?)').run('p-old', '{"frames":[]}', 3, 900);
    db.prepare('INSERT INTO people (id, language, created_at) VALUES (?, ?, ?)').run('p-quiet', null, 100);
    db.prepare('INSERT INTO identities (channel, address, person_id) VALUES (?, ?, ?)').run('telegram', '78', 'p-quiet');
    db.prepare('INSERT INTO cases (id, owner_id, created_at) VALUES (?, ?, ?)').run('case-old', 'p-old', 200);
    db.close();

    const store = openSqliteStore(temp.dir);
    expect(await store.cases.ensureOwnCase('p-old', 1000)).toBe('case-old');
    expect(await store.cases.listInactive(1000, 10)).toEqual([{ id: 'case-old', ownerId: 'p-old', lastActiveAt: 200, purgeNoticeAt: null }]);
    expect(await store.people.lastSeenAt('p-old')).toBe(900);
    expect(await store.people.lastSeenAt('p-quiet')).toBeNull();
    expect(await store.people.preferredAddress('p-quiet')).toEqual({ channel: 'telegram', address: '78' });
    const mum = await store.cases.createOnBehalfCase('p-old', 'Mum', 1100);
    expect((await store.cases.listForPerson('p-old')).map((c) => [c.id, c.own])).toEqual([
      ['case-old', true],
      [mum, false],
    ]);
    await store.close();
    temp.remove();
  });

  it('erases through foreign keys: every reference to a person or a case cascades, and none dangles after an erasure', async () => {
    const temp = tempDir();
    const store = openSqliteStore(temp.dir);
    const db = new Database(join(temp.dir, SQLITE_FILE_NAME));
    const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").all();
    const references = tables.flatMap(({ name }) =>
      db.prepare<[string], { table: string; from: string; on_delete: string }>('SELECT "table", "from", on_delete FROM pragma_foreign_key_list(?)').all(name).map((fk) => ({ child: name, ...fk })),
    );
    // Wrong link-code tries are kept by sending identity, not by person: no foreign key, by design.
    expect(references.length).toBeGreaterThanOrEqual(11);
    for (const fk of references) expect(`${fk.child}.${fk.from} ${fk.on_delete}`).toBe(`${fk.child}.${fk.from} CASCADE`);
    // Columns that name a person or a case without a foreign key are handled by the adapter.
    const loose = tables.flatMap(({ name }) =>
      db
        .prepare<[string], { name: string }>('SELECT name FROM pragma_table_info(?)')
        .all(name)
        .filter((c) => /(^|_)(person|owner|helper|sender|case)_id$|active_case_id/.test(c.name) && !references.some((r) => r.child === name && r.from === c.name))
        .map((c) => `${name}.${c.name}`),
    );
    expect(loose.sort()).toEqual(['case_activity.person_id', 'nudges.person_id', 'people.active_case_id', 'vault_items.sender_id']);

    const a = await store.people.resolveIdentity('terminal', 'fk-a', 1);
    const b = await store.people.resolveIdentity('terminal', 'fk-b', 1);
    const caseA = await store.cases.ensureOwnCase(a, 1);
    const caseB = await store.cases.ensureOwnCase(b, 1);
    await store.cases.addHelper(caseB, { personId: a, name: 'A', label: 'B' }, 2);
    await store.cases.addHelper(caseA, { personId: b, name: 'B', label: 'A' }, 2);
    await store.people.setActiveCase(b, caseA);
    await store.cases.logActivity({ caseId: caseB, personId: a, action: 'joined', at: 2 });
    await store.people.delete(a);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM people WHERE active_case_id IS NOT NULL AND active_case_id NOT IN (SELECT id FROM cases)').get()).toEqual({ n: 0 });
    db.close();
    await store.close();
    temp.remove();
  });
});

describe('several processes starting at once on a new folder', () => {
  it('each opens the store: every migration is applied once', async () => {
    const temp = tempDir();
    // Every child waits for the same instant, so they really open the new file together.
    const script = `import { openSqliteStore } from './src/store/sqlite/sqlite-store.ts'; const go = Number(process.argv[2]); while (Date.now() < go); const s = openSqliteStore(process.argv[1]); await s.close();`;
    const go = String(Date.now() + 4000);
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        new Promise<{ code: number | null; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, temp.dir, go], { cwd: PROJECT_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
          let stderr = '';
          child.stderr.on('data', (d) => (stderr += d));
          child.on('close', (code) => resolve({ code, stderr }));
        }),
      ),
    );
    expect(results.map((r) => r.code), results.map((r) => r.stderr).join('\n')).toEqual([0, 0, 0, 0, 0]);
    expect(results.map((r) => r.stderr)).toEqual(['', '', '', '', '']);
    const db = new Database(join(temp.dir, SQLITE_FILE_NAME), { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    db.close();
    temp.remove();
  }, 60_000);
});
