import type { Database } from 'better-sqlite3';
import type { ChannelName } from '../../messages.js';
import type { LinkCode, LinkStore } from '../ports.js';

interface LinkRow {
  id: string;
  code_hash: string;
  helper_id: string;
  helper_name: string;
  label: string;
  helper_channel: string;
  helper_hint: string | null;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

type Run = <T>(operation: string, fn: () => T) => Promise<T>;

const toCode = (row: LinkRow): LinkCode => ({
  id: row.id,
  codeHash: row.code_hash,
  helperId: row.helper_id,
  helperName: row.helper_name,
  label: row.label,
  helperChannel: row.helper_channel as ChannelName,
  helperHint: row.helper_hint,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  usedAt: row.used_at,
});

/**
 * Link codes on SQLite. A code is live while `used_at IS NULL AND expires_at > now`;
 * consuming it is one conditional UPDATE, so only one of two racing consumers wins.
 */
export function sqliteLinks(db: Database, run: Run): LinkStore {
  const q = {
    findLive: db.prepare<[string, number], LinkRow>(
      'SELECT * FROM link_codes WHERE code_hash = ? AND used_at IS NULL AND expires_at > ? ORDER BY created_at DESC, id LIMIT 1',
    ),
    insert: db.prepare(
      'INSERT INTO link_codes (id, code_hash, helper_id, helper_name, label, helper_channel, helper_hint, created_at, expires_at, used_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL) ON CONFLICT (id) DO NOTHING',
    ),
    get: db.prepare<[string], LinkRow>('SELECT * FROM link_codes WHERE id = ?'),
    consume: db.prepare('UPDATE link_codes SET used_at = ? WHERE id = ? AND used_at IS NULL AND expires_at > ?'),
    insertFailure: db.prepare('INSERT INTO link_tries (who, at) VALUES (?, ?)'),
    countFailures: db.prepare<[string, number], { n: number }>('SELECT COUNT(*) AS n FROM link_tries WHERE who = ? AND at >= ?'),
    countAllFailures: db.prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM link_tries WHERE at >= ?'),
    liveCount: db.prepare<[string, number], { n: number }>('SELECT COUNT(*) AS n FROM link_codes WHERE helper_id = ? AND used_at IS NULL AND expires_at > ?'),
    createdSince: db.prepare<[string, number], { n: number }>('SELECT COUNT(*) AS n FROM link_codes WHERE helper_id = ? AND created_at >= ?'),
    pruneCodes: db.prepare('DELETE FROM link_codes WHERE expires_at < ? OR used_at < ?'),
    pruneFailures: db.prepare('DELETE FROM link_tries WHERE at < ?'),
  };
  // Check then insert under the write lock (IMMEDIATE): no second live code with the same hash.
  const create = db.transaction((code: Omit<LinkCode, 'usedAt'>): boolean => {
    if (q.findLive.get(code.codeHash, code.createdAt)) return false;
    return (
      q.insert.run(code.id, code.codeHash, code.helperId, code.helperName, code.label, code.helperChannel, code.helperHint, code.createdAt, code.expiresAt).changes === 1
    );
  });
  const recordFailure = db.transaction((who: string, now: number, since: number): number => {
    q.insertFailure.run(who, now);
    return q.countFailures.get(who, since)!.n;
  });
  const prune = db.transaction((before: number): number => q.pruneCodes.run(before, before).changes + q.pruneFailures.run(before).changes);

  return {
    create: (code) => run('links.create', () => create.immediate(code)),
    findLive: (codeHash, now) =>
      run('links.findLive', () => {
        const row = q.findLive.get(codeHash, now);
        return row ? toCode(row) : undefined;
      }),
    get: (id) =>
      run('links.get', () => {
        const row = q.get.get(id);
        return row ? toCode(row) : undefined;
      }),
    consume: (id, now) => run('links.consume', () => q.consume.run(now, id, now).changes === 1),
    recordFailure: (who, now, since) => run('links.recordFailure', () => recordFailure.immediate(who, now, since)),
    failuresSince: (who, since) => run('links.failuresSince', () => q.countFailures.get(who, since)!.n),
    allFailuresSince: (since) => run('links.allFailuresSince', () => q.countAllFailures.get(since)!.n),
    liveCount: (helperId, now) => run('links.liveCount', () => q.liveCount.get(helperId, now)!.n),
    createdSince: (helperId, since) => run('links.createdSince', () => q.createdSince.get(helperId, since)!.n),
    prune: (before) => run('links.prune', () => prune.immediate(before)),
  };
}
