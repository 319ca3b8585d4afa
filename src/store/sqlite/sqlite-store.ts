import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { RevisionConflictError, StoreError } from '../../errors.js';
import { isLanguage } from '../../../machines/lib/intents.js';
import type { ChannelName } from '../../messages.js';
import type { ConversationState, Store } from '../ports.js';
import { migrate } from './migrations.js';
import { sqliteCaseEraser, sqliteCases } from './sqlite-cases.js';
import { sqliteHandoffs } from './sqlite-handoffs.js';
import { sqliteLinks } from './sqlite-links.js';
import { sqliteSms } from './sqlite-sms.js';
import { sqliteReminders } from './sqlite-reminders.js';
import { sqliteVault } from './sqlite-vault.js';

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

/**
 * Switching a new file to WAL can fail at once with SQLITE_BUSY while another
 * process switches it too (SQLite does not wait there, whatever busy_timeout
 * says): try again for a few seconds, then give up with the error.
 */
function switchToWal(db: Database.Database): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let attempt = 1; ; attempt++) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if (attempt >= 50 || (error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
      Atomics.wait(pause, 0, 0, 100);
    }
  }
}

/**
 * The embedded store: one SQLite file in DATA_DIR, in WAL mode so readers do
 * not block the writer. `synchronous = NORMAL` keeps every committed turn
 * across a process crash; only a power cut can lose the last moments.
 */
export function openSqliteStore(dataDir: string): Store {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = new Database(join(dataDir, SQLITE_FILE_NAME));
  // First, so that everything after waits for a process starting at the same moment.
  db.pragma('busy_timeout = 10000');
  switchToWal(db);
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // Erased rows are overwritten with zeros, not left in free pages: a deleted
  // person's words and photos cannot be read back from the file.
  db.pragma('secure_delete = ON');
  migrate(db);

  const q = {
    loadConversation: db.prepare<[string], ConversationRow>('SELECT state, rev, updated_at FROM conversations WHERE person_id = ?'),
    insertConversation: db.prepare('INSERT INTO conversations (person_id, state, rev, updated_at) VALUES (?, ?, 1, ?) ON CONFLICT DO NOTHING'),
    updateConversation: db.prepare('UPDATE conversations SET state = ?, rev = rev + 1, updated_at = ? WHERE person_id = ? AND rev = ?'),
    findIdentity: db.prepare<[string, string], { person_id: string }>('SELECT person_id FROM identities WHERE channel = ? AND address = ?'),
    insertPerson: db.prepare('INSERT INTO people (id, language, created_at) VALUES (?, NULL, ?)'),
    insertIdentity: db.prepare('INSERT INTO identities (channel, address, person_id, last_seen_at) VALUES (?, ?, ?, ?)'),
    markUnreachable: db.prepare('UPDATE identities SET unreachable_since = ? WHERE channel = ? AND address = ?'),
    // Runs on every inbound message: one UPDATE on the primary key. Last-seen never moves back.
    markReachable: db.prepare(
      'UPDATE identities SET unreachable_since = NULL, last_seen_at = MAX(COALESCE(last_seen_at, 0), ?) WHERE channel = ? AND address = ?',
    ),
    isReachable: db.prepare<[string, string], { unreachable_since: number | null }>('SELECT unreachable_since FROM identities WHERE channel = ? AND address = ?'),
    getPerson: db.prepare<[string], PersonRow>('SELECT id, language, created_at FROM people WHERE id = ?'),
    setLanguage: db.prepare('UPDATE people SET language = ? WHERE id = ?'),
    // Legacy identities (before migration 5) have no last-seen time: they come last.
    preferredAddress: db.prepare<[string], { channel: string; address: string }>(
      'SELECT channel, address FROM identities WHERE person_id = ? AND unreachable_since IS NULL ORDER BY last_seen_at DESC NULLS LAST, channel, address LIMIT 1',
    ),
    lastSeenAt: db.prepare<[string], { at: number | null }>('SELECT MAX(last_seen_at) AS at FROM identities WHERE person_id = ?'),
    identities: db.prepare<[string], { channel: string; address: string }>('SELECT channel, address FROM identities WHERE person_id = ? ORDER BY channel, address'),
    activeCase: db.prepare<[string], { active_case_id: string | null }>('SELECT active_case_id FROM people WHERE id = ?'),
    // Only to a case that exists, so that no pointer dangles (deleteCase clears pointers in its transaction).
    setActiveCase: db.prepare('UPDATE people SET active_case_id = ? WHERE id = ? AND (? IS NULL OR EXISTS (SELECT 1 FROM cases WHERE id = ?))'),
    personExists: db.prepare<[string], { id: string }>('SELECT id FROM people WHERE id = ?'),
    unlinkActivity: db.prepare('UPDATE case_activity SET person_id = NULL WHERE person_id = ?'),
    unlinkVaultSender: db.prepare('UPDATE vault_items SET sender_id = NULL WHERE sender_id = ?'),
    deleteNudgesFor: db.prepare('DELETE FROM nudges WHERE person_id = ?'),
    deletePerson: db.prepare('DELETE FROM people WHERE id = ?'),
    authGet: db.prepare<[string, string], { value: string }>('SELECT value FROM channel_auth WHERE channel = ? AND key = ?'),
    authSet: db.prepare('INSERT INTO channel_auth (channel, key, value) VALUES (?, ?, ?) ON CONFLICT (channel, key) DO UPDATE SET value = excluded.value'),
    authDelete: db.prepare('DELETE FROM channel_auth WHERE channel = ? AND key = ?'),
    authClear: db.prepare('DELETE FROM channel_auth WHERE channel = ?'),
    claim: db.prepare('INSERT INTO processed_messages (key, processed_at) VALUES (?, ?) ON CONFLICT DO NOTHING'),
    seen: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM processed_messages WHERE key = ?'),
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
    q.insertIdentity.run(channel, address, id, now);
    return id;
  });

  const eraser = sqliteCaseEraser(db);
  // One transaction. Cases the person owns go with everything in them (foreign
  // keys cascade); in other people's cases the person is unlinked: what they
  // added stays, with the author erased, and reminders meant for them go.
  // Deleting the person row cascades to identities, conversation, helper
  // links, link codes and failed tries.
  const deletePerson = db.transaction((personId: string): boolean => {
    if (!q.personExists.get(personId)) return false;
    eraser.deleteCasesOwnedBy(personId);
    q.unlinkActivity.run(personId);
    q.unlinkVaultSender.run(personId);
    q.deleteNudgesFor.run(personId);
    return q.deletePerson.run(personId).changes === 1;
  });

  // The turn's state and the message it answered, in one transaction: a
  // message is handled exactly when its turn is saved.
  const saveConversation = db.transaction((personId: string, json: string, expectedRev: number, now: number, handled: string | undefined): number => {
    if (handled !== undefined && q.claim.run(handled, now).changes !== 1) throw new RevisionConflictError(personId, expectedRev);
    const changed = expectedRev === 0 ? q.insertConversation.run(personId, json, now).changes : q.updateConversation.run(json, now, personId, expectedRev).changes;
    if (changed !== 1) throw new RevisionConflictError(personId, expectedRev);
    return expectedRev + 1;
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
      save: (personId, state, expectedRev, now, handled) => run('conversations.save', () => saveConversation(personId, JSON.stringify(state), expectedRev, now, handled)),
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
      delete: (personId) =>
        run('people.delete', () => {
          const deleted = deletePerson.immediate(personId);
          // The write-ahead log still holds the pages as they were before: empty it.
          db.pragma('wal_checkpoint(TRUNCATE)');
          return deleted;
        }),
      markUnreachable: (channel, address, now) => run('people.markUnreachable', () => void q.markUnreachable.run(now, channel, address)),
      markReachable: (channel, address, now) => run('people.markReachable', () => void q.markReachable.run(now, channel, address)),
      isReachable: (channel, address) => run('people.isReachable', () => (q.isReachable.get(channel, address)?.unreachable_since ?? null) === null),
      preferredAddress: (personId) =>
        run('people.preferredAddress', () => {
          const row = q.preferredAddress.get(personId);
          return row ? { channel: row.channel as ChannelName, address: row.address } : undefined;
        }),
      lastSeenAt: (personId) => run('people.lastSeenAt', () => q.lastSeenAt.get(personId)?.at ?? null),
      identities: (personId) =>
        run('people.identities', () => q.identities.all(personId).map((row) => ({ channel: row.channel as ChannelName, address: row.address }))),
      activeCase: (personId) => run('people.activeCase', () => q.activeCase.get(personId)?.active_case_id ?? null),
      setActiveCase: (personId, caseId) => run('people.setActiveCase', () => void q.setActiveCase.run(caseId, personId, caseId, caseId)),
    },
    cases: sqliteCases(db, run),
    processed: {
      seen: (key) => run('processed.seen', () => q.seen.get(key) !== undefined),
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
    links: sqliteLinks(db, run),
    vault: sqliteVault(db, run),
    handoffs: sqliteHandoffs(db, run),
    sms: sqliteSms(db, run),
    ping: () => run('ping', () => void db.prepare('SELECT 1').get()),
    close: () => run('close', () => void (db.open && db.close())),
  };
}
