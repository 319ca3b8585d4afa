import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { RevisionConflictError, StoreError } from '../../errors.js';
import { isLanguage } from '../../../machines/lib/intents.js';
import type { CaseRecord, CaseRecordKind, ConversationState, Store } from '../ports.js';
import { migrate } from './migrations.js';
import { sqliteReminders } from './sqlite-reminders.js';

export const SQLITE_FILE_NAME = 'guichet.sqlite';

/** Wrap a synchronous better-sqlite3 call so failures surface as StoreError with the operation named. */
export function run<T>(operation: string, fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    if (error instanceof StoreError) return Promise.reject(error);
    return Promise.reject(new StoreError(`sqlite: ${operation} failed`, operation, { cause: error }));
  }
}

interface ConversationRow { state: string; rev: number; updated_at: number }
interface PersonRow { id: string; language: string | null; created_at: number }
interface RecordRow { id: string; case_id: string; kind: string; data: string; created_at: number }

/**
 * The embedded store: one SQLite file in DATA_DIR, in WAL mode so readers do
 * not block the writer. `synchronous = NORMAL` keeps every committed turn
 * across a process crash; only a power cut can lose the last moments.
 */
export function openSqliteStore(dataDir: string): Store {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = new Database(join(dataDir, SQLITE_FILE_NAME));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);

  const q = {
    loadConversation: db.prepare<[string], ConversationRow>('SELECT state, rev, updated_at FROM conversations WHERE person_id = ?'),
    insertConversation: db.prepare('INSERT INTO conversations (person_id, state, rev, updated_at) VALUES (?, ?, 1, ?) ON CONFLICT DO NOTHING'),
    updateConversation: db.prepare('UPDATE conversations SET state = ?, rev = rev + 1, updated_at = ? WHERE person_id = ? AND rev = ?'),
    findIdentity: db.prepare<[string, string], { person_id: string }>('SELECT person_id FROM identities WHERE channel = ? AND address = ?'),
    insertPerson: db.prepare('INSERT INTO people (id, language, created_at) VALUES (?, NULL, ?)'),
    insertIdentity: db.prepare('INSERT INTO identities (channel, address, person_id) VALUES (?, ?, ?)'),
    markUnreachable: db.prepare('UPDATE identities SET unreachable_since = ? WHERE channel = ? AND address = ?'),
    markReachable: db.prepare('UPDATE identities SET unreachable_since = NULL WHERE channel = ? AND address = ? AND unreachable_since IS NOT NULL'),
    isReachable: db.prepare<[string, string], { unreachable_since: number | null }>('SELECT unreachable_since FROM identities WHERE channel = ? AND address = ?'),
    getPerson: db.prepare<[string], PersonRow>('SELECT id, language, created_at FROM people WHERE id = ?'),
    setLanguage: db.prepare('UPDATE people SET language = ? WHERE id = ?'),
    deletePerson: db.prepare('DELETE FROM people WHERE id = ?'),
    findOwnCase: db.prepare<[string], { id: string }>('SELECT id FROM cases WHERE owner_id = ?'),
    insertCase: db.prepare('INSERT INTO cases (id, owner_id, created_at) VALUES (?, ?, ?) ON CONFLICT (owner_id) DO NOTHING'),
    insertRecord: db.prepare('INSERT INTO case_records (id, case_id, kind, data, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING'),
    listRecords: db.prepare<[string, string], RecordRow>(
      'SELECT id, case_id, kind, data, created_at FROM case_records WHERE case_id = ? AND kind = ? ORDER BY created_at, id',
    ),
    authGet: db.prepare<[string, string], { value: string }>('SELECT value FROM channel_auth WHERE channel = ? AND key = ?'),
    authSet: db.prepare('INSERT INTO channel_auth (channel, key, value) VALUES (?, ?, ?) ON CONFLICT (channel, key) DO UPDATE SET value = excluded.value'),
    authDelete: db.prepare('DELETE FROM channel_auth WHERE channel = ? AND key = ?'),
    authClear: db.prepare('DELETE FROM channel_auth WHERE channel = ?'),
    claim: db.prepare('INSERT INTO processed_messages (key, processed_at) VALUES (?, ?) ON CONFLICT DO NOTHING'),
    release: db.prepare('DELETE FROM processed_messages WHERE key = ?'),
    prune: db.prepare('DELETE FROM processed_messages WHERE processed_at < ?'),
  };

  // Resolving an identity reads then writes; IMMEDIATE takes the write lock
  // first so two processes cannot both create a person for the same identity.
  const resolveIdentity = db.transaction((channel: string, address: string, now: number): string => {
    const found = q.findIdentity.get(channel, address);
    if (found) return found.person_id;
    const id = randomUUID();
    q.insertPerson.run(id, now);
    q.insertIdentity.run(channel, address, id);
    return id;
  });

  const writeAuth = db.transaction((channel: string, entries: Readonly<Record<string, string | null>>) => {
    for (const [key, value] of Object.entries(entries)) {
      if (value === null) q.authDelete.run(channel, key);
      else q.authSet.run(channel, key, value);
    }
  });

  return {
    kind: 'sqlite',
    conversations: {
      load: (personId) =>
        run('conversations.load', () => {
          const row = q.loadConversation.get(personId);
          if (!row) return undefined;
          return { personId, state: JSON.parse(row.state) as ConversationState, rev: row.rev, updatedAt: row.updated_at };
        }),
      save: (personId, state, expectedRev, now) =>
        run('conversations.save', () => {
          const json = JSON.stringify(state);
          const changed =
            expectedRev === 0
              ? q.insertConversation.run(personId, json, now).changes
              : q.updateConversation.run(json, now, personId, expectedRev).changes;
          if (changed !== 1) throw new RevisionConflictError(personId, expectedRev);
          return expectedRev + 1;
        }),
    },
    people: {
      resolveIdentity: (channel, address, now) => run('people.resolveIdentity', () => resolveIdentity.immediate(channel, address, now)),
      get: (personId) =>
        run('people.get', () => {
          const row = q.getPerson.get(personId);
          if (!row) return undefined;
          return { id: row.id, language: isLanguage(row.language) ? row.language : null, createdAt: row.created_at };
        }),
      setLanguage: (personId, language) => run('people.setLanguage', () => q.setLanguage.run(language, personId).changes === 1),
      delete: (personId) => run('people.delete', () => q.deletePerson.run(personId).changes === 1),
      markUnreachable: (channel, address, now) => run('people.markUnreachable', () => void q.markUnreachable.run(now, channel, address)),
      markReachable: (channel, address) => run('people.markReachable', () => void q.markReachable.run(channel, address)),
      isReachable: (channel, address) => run('people.isReachable', () => (q.isReachable.get(channel, address)?.unreachable_since ?? null) === null),
    },
    cases: {
      ensureOwnCase: (personId, now) =>
        run('cases.ensureOwnCase', () => {
          q.insertCase.run(randomUUID(), personId, now);
          const found = q.findOwnCase.get(personId);
          if (!found) throw new StoreError('case could not be created', 'cases.ensureOwnCase');
          return found.id;
        }),
      addRecord: (record) =>
        run('cases.addRecord', () =>
          q.insertRecord.run(record.id, record.caseId, record.kind, JSON.stringify(record.data), record.createdAt).changes === 1,
        ),
      listRecords: (caseId, kind) =>
        run('cases.listRecords', () =>
          q.listRecords.all(caseId, kind).map(
            (row): CaseRecord => ({
              id: row.id,
              caseId: row.case_id,
              kind: row.kind as CaseRecordKind,
              data: JSON.parse(row.data) as unknown,
              createdAt: row.created_at,
            }),
          ),
        ),
    },
    processed: {
      claim: (key, now) => run('processed.claim', () => q.claim.run(key, now).changes === 1),
      release: (key) => run('processed.release', () => void q.release.run(key)),
      prune: (before) => run('processed.prune', () => q.prune.run(before).changes),
    },
    channelAuth: {
      read: (channel, keys) =>
        run('channelAuth.read', () => {
          const found = new Map<string, string>();
          for (const key of keys) {
            const row = q.authGet.get(channel, key);
            if (row) found.set(key, row.value);
          }
          return found;
        }),
      write: (channel, entries) => run('channelAuth.write', () => writeAuth(channel, entries)),
      clear: (channel) => run('channelAuth.clear', () => void q.authClear.run(channel)),
    },
    reminders: sqliteReminders(db, run),
    ping: () => run('ping', () => void db.prepare('SELECT 1').get()),
    close: () => run('close', () => void (db.open && db.close())),
  };
}
