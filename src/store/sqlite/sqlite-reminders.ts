import type { Database } from 'better-sqlite3';
import type { CaseDate, DateKind, Nudge, ReminderStore } from '../ports.js';

interface NudgeRow {
  id: string;
  case_id: string;
  person_id: string;
  date_kind: string;
  date_version: string;
  due_at: number;
  channel: string;
  address: string;
  text_key: string;
  params: string;
  status: string;
  attempts: number;
}

function toNudge(row: NudgeRow): Nudge {
  return {
    id: row.id,
    caseId: row.case_id,
    personId: row.person_id,
    dateKind: row.date_kind as DateKind,
    dateVersion: row.date_version,
    dueAt: row.due_at,
    channel: row.channel as Nudge['channel'],
    address: row.address,
    textKey: row.text_key,
    params: JSON.parse(row.params) as Record<string, string>,
    status: row.status as Nudge['status'],
    attempts: row.attempts,
  };
}

/**
 * Reminders on SQLite. Claiming is one `UPDATE … RETURNING` statement: SQLite
 * runs it under its write lock, so two pumps on one file never take the same
 * reminder; an expired lease makes a claimed reminder claimable again, but
 * never one already handed to a channel ("sending").
 */
export function sqliteReminders(db: Database, run: <T>(operation: string, fn: () => T) => Promise<T>): ReminderStore {
  const q = {
    setDate: db.prepare(
      'INSERT INTO case_dates (case_id, kind, data, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (case_id, kind) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at',
    ),
    removeDate: db.prepare('DELETE FROM case_dates WHERE case_id = ? AND kind = ?'),
    listDates: db.prepare<[string], { case_id: string; kind: string; data: string; updated_at: number }>('SELECT * FROM case_dates WHERE case_id = ? ORDER BY kind'),
    getDate: db.prepare<[string, string], { case_id: string; kind: string; data: string; updated_at: number }>('SELECT * FROM case_dates WHERE case_id = ? AND kind = ?'),
    // A reminder being sent (or perhaps sent, after a crash) is kept: planning again must not recreate it.
    dropUnsent: db.prepare("DELETE FROM nudges WHERE case_id = ? AND date_kind = ? AND status IN ('pending', 'claimed', 'failed', 'dropped')"),
    insert: db.prepare(
      "INSERT INTO nudges (id, case_id, person_id, date_kind, date_version, due_at, channel, address, text_key, params, status, attempts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0) ON CONFLICT (id) DO NOTHING",
    ),
    claim: db.prepare<[number, string, number, number, string | null, string | null, number], NudgeRow>(
      `UPDATE nudges SET status = 'claimed', lease_until = ?, claimed_by = ?, attempts = attempts + 1
       WHERE id IN (
         SELECT id FROM nudges
         WHERE ((status = 'pending' AND due_at <= ?) OR (status = 'claimed' AND lease_until < ?))
           AND (? IS NULL OR channel IN (SELECT value FROM json_each(?)))
         ORDER BY due_at LIMIT ?
       )
       RETURNING *`,
    ),
    markSending: db.prepare("UPDATE nudges SET status = 'sending' WHERE id = ? AND status = 'claimed' AND claimed_by = ?"),
    finish: db.prepare('UPDATE nudges SET status = ?, lease_until = NULL WHERE id = ?'),
    retry: db.prepare("UPDATE nudges SET status = 'pending', due_at = ?, lease_until = NULL WHERE id = ?"),
    nextPending: db.prepare<[string], NudgeRow>("SELECT * FROM nudges WHERE case_id = ? AND status = 'pending' ORDER BY due_at LIMIT 1"),
    setPaused: db.prepare('UPDATE people SET reminders_paused = ? WHERE id = ?'),
    isPaused: db.prepare<[string], { reminders_paused: number }>('SELECT reminders_paused FROM people WHERE id = ?'),
  };
  const replace = db.transaction((caseId: string, kind: string, nudges: readonly Parameters<ReminderStore['replaceNudges']>[2][number][]) => {
    q.dropUnsent.run(caseId, kind);
    for (const n of nudges) {
      q.insert.run(n.id, n.caseId, n.personId, n.dateKind, n.dateVersion, n.dueAt, n.channel, n.address, n.textKey, JSON.stringify(n.params));
    }
  });
  const markSending = db.transaction((id: string, claimer: string, previous: { id: string; status: 'sent' } | undefined): boolean => {
    if (previous) q.finish.run(previous.status, previous.id);
    return q.markSending.run(id, claimer).changes === 1;
  });
  const toDate = (row: { case_id: string; kind: string; data: string; updated_at: number }): CaseDate => ({
    caseId: row.case_id,
    kind: row.kind as DateKind,
    data: JSON.parse(row.data) as Record<string, string | null>,
    updatedAt: row.updated_at,
  });

  return {
    setDate: (date) => run('reminders.setDate', () => void q.setDate.run(date.caseId, date.kind, JSON.stringify(date.data), date.updatedAt)),
    removeDate: (caseId, kind) => run('reminders.removeDate', () => q.removeDate.run(caseId, kind).changes === 1),
    listDates: (caseId) => run('reminders.listDates', () => q.listDates.all(caseId).map(toDate)),
    getDate: (caseId, kind) =>
      run('reminders.getDate', () => {
        const row = q.getDate.get(caseId, kind);
        return row ? toDate(row) : undefined;
      }),
    replaceNudges: (caseId, kind, nudges) => run('reminders.replaceNudges', () => replace(caseId, kind, nudges)),
    claimDue: (now, leaseUntil, limit, claimer, channels) =>
      run('reminders.claimDue', () => {
        const only = channels ? JSON.stringify(channels) : null;
        return q.claim.all(leaseUntil, claimer, now, now, only, only, limit).map(toNudge);
      }),
    markSending: (id, claimer, previous) => run('reminders.markSending', () => markSending(id, claimer, previous)),
    finish: (id, status) => run('reminders.finish', () => void q.finish.run(status, id)),
    retry: (id, retryAt) => run('reminders.retry', () => void q.retry.run(retryAt, id)),
    // A claim is the reminder row's own status and lease: nothing to prune.
    pruneClaims: async () => 0,
    nextPending: (caseId) =>
      run('reminders.nextPending', () => {
        const row = q.nextPending.get(caseId);
        return row ? toNudge(row) : undefined;
      }),
    setPaused: (personId, paused) => run('reminders.setPaused', () => void q.setPaused.run(paused ? 1 : 0, personId)),
    isPaused: (personId) => run('reminders.isPaused', () => (q.isPaused.get(personId)?.reminders_paused ?? 0) === 1),
  };
}
