import type { Database } from 'better-sqlite3';
import type { SmsLogStore, SmsRecord, SmsState } from '../ports.js';

type Run = <T>(operation: string, fn: () => T) => Promise<T>;

interface SmsRow {
  id: string;
  who: string;
  parts: number;
  state: string;
  created_at: number;
  updated_at: number;
}

const toRecord = (row: SmsRow): SmsRecord => ({
  id: row.id,
  who: row.who,
  parts: row.parts,
  state: row.state as SmsState,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** The SMS log on SQLite. */
export function sqliteSms(db: Database, run: Run): SmsLogStore {
  const q = {
    insert: db.prepare("INSERT INTO sms_log (id, who, parts, state, created_at, updated_at) VALUES (?, ?, ?, 'queued', ?, ?) ON CONFLICT (id) DO NOTHING"),
    setState: db.prepare('UPDATE sms_log SET state = ?, updated_at = ? WHERE id = ?'),
    get: db.prepare<[string], SmsRow>('SELECT * FROM sms_log WHERE id = ?'),
    partsSince: db.prepare<[string, number], { n: number | null }>('SELECT SUM(parts) AS n FROM sms_log WHERE who = ? AND created_at >= ?'),
    claimNotice: db.prepare('INSERT INTO sms_notices (who, day, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'),
    pruneLog: db.prepare('DELETE FROM sms_log WHERE created_at < ?'),
    pruneNotices: db.prepare('DELETE FROM sms_notices WHERE at < ?'),
  };
  return {
    record: (sms) => run('sms.record', () => void q.insert.run(sms.id, sms.who, sms.parts, sms.createdAt, sms.createdAt)),
    setState: (id, state, at) => run('sms.setState', () => q.setState.run(state, at, id).changes === 1),
    get: (id) =>
      run('sms.get', () => {
        const row = q.get.get(id);
        return row ? toRecord(row) : undefined;
      }),
    partsSince: (who, since) => run('sms.partsSince', () => q.partsSince.get(who, since)?.n ?? 0),
    claimNotice: (who, day) => run('sms.claimNotice', () => q.claimNotice.run(who, day, Date.now()).changes === 1),
    prune: (before) => run('sms.prune', () => q.pruneLog.run(before).changes + q.pruneNotices.run(before).changes),
  };
}
