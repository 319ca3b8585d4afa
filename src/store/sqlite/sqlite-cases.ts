import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { StoreError } from '../../errors.js';
import type { ActivityAction, CaseActivity, CaseRecord, CaseRecordKind, CaseRole, CaseStore, CaseSummary } from '../ports.js';

interface RecordRow { id: string; case_id: string; kind: string; data: string; created_at: number }
interface SummaryRow { id: string; role: CaseRole; on_behalf: number; label: string | null; created_at: number }
interface ActivityRow { case_id: string; person_id: string | null; action: string; at: number }
interface InactiveRow { id: string; owner_id: string; last_active_at: number; purge_notice_at: number | null }

type Run = <T>(operation: string, fn: () => T) => Promise<T>;

/**
 * Erasing cases, shared by `cases.deleteCase` and `people.delete`. Foreign
 * keys (PRAGMA foreign_keys = ON) cascade from `cases` to records, dates,
 * nudges, vault items, helpers and activity; `people.active_case_id` has no
 * foreign key (ALTER TABLE cannot add one), so it is cleared here, in the
 * same transaction as the caller's.
 */
export function sqliteCaseEraser(db: Database) {
  const q = {
    clearPointer: db.prepare('UPDATE people SET active_case_id = NULL WHERE active_case_id = ?'),
    deleteCase: db.prepare('DELETE FROM cases WHERE id = ?'),
    clearPointersOfOwner: db.prepare('UPDATE people SET active_case_id = NULL WHERE active_case_id IN (SELECT id FROM cases WHERE owner_id = ?)'),
    deleteCasesOfOwner: db.prepare('DELETE FROM cases WHERE owner_id = ?'),
  };
  return {
    /** Not a transaction by itself: call inside one. Returns whether the case existed. */
    deleteCase(caseId: string): boolean {
      q.clearPointer.run(caseId);
      return q.deleteCase.run(caseId).changes === 1;
    },
    /** Every case the person owns (their own and those held on someone's behalf). Call inside a transaction. */
    deleteCasesOwnedBy(personId: string): void {
      q.clearPointersOfOwner.run(personId);
      q.deleteCasesOfOwner.run(personId);
    },
  };
}

/**
 * Cases on SQLite. One own case per person is enforced by the partial unique
 * index `cases_own` (owner_id WHERE on_behalf = 0); cases held on someone's
 * behalf are not limited.
 */
export function sqliteCases(db: Database, run: Run): CaseStore {
  const eraser = sqliteCaseEraser(db);
  const q = {
    findOwnCase: db.prepare<[string], { id: string }>('SELECT id FROM cases WHERE owner_id = ? AND on_behalf = 0'),
    insertOwnCase: db.prepare(
      'INSERT INTO cases (id, owner_id, created_at, on_behalf, label, last_active_at) VALUES (?, ?, ?, 0, NULL, ?) ON CONFLICT (owner_id) WHERE on_behalf = 0 DO NOTHING',
    ),
    insertOnBehalfCase: db.prepare('INSERT INTO cases (id, owner_id, created_at, on_behalf, label, last_active_at) VALUES (?, ?, ?, 1, ?, ?)'),
    // The own case first, then every other in the order the person got it (created
    // on someone's behalf, or joined as a helper): a new case goes last, so the
    // numbers a person has learnt for the others do not move.
    listForPerson: db.prepare<[string, string], SummaryRow>(
      `SELECT id, role, on_behalf, label, created_at FROM (
         SELECT id, 'owner' AS role, on_behalf, label, created_at, created_at AS got_at, CASE WHEN on_behalf = 0 THEN 0 ELSE 1 END AS grp
         FROM cases WHERE owner_id = ?
         UNION ALL
         SELECT c.id, 'helper' AS role, c.on_behalf, h.label, c.created_at, h.added_at AS got_at, 1 AS grp
         FROM case_helpers h JOIN cases c ON c.id = h.case_id WHERE h.person_id = ?
       ) ORDER BY grp, got_at, id`,
    ),
    role: db.prepare<[string, string, string], { role: CaseRole | null }>(
      `SELECT CASE
         WHEN c.owner_id = ? THEN 'owner'
         WHEN EXISTS (SELECT 1 FROM case_helpers h WHERE h.case_id = c.id AND h.person_id = ?) THEN 'helper'
       END AS role
       FROM cases c WHERE c.id = ?`,
    ),
    ownerOf: db.prepare<[string], { owner_id: string }>('SELECT owner_id FROM cases WHERE id = ?'),
    // Only for an existing case, and never its owner: the owner is already linked.
    addHelper: db.prepare(
      `INSERT INTO case_helpers (case_id, person_id, name, label, added_at)
       SELECT id, ?, ?, ?, ? FROM cases WHERE id = ? AND owner_id <> ?
       ON CONFLICT (case_id, person_id) DO NOTHING`,
    ),
    removeHelper: db.prepare('DELETE FROM case_helpers WHERE case_id = ? AND person_id = ?'),
    dropHelperNudges: db.prepare("DELETE FROM nudges WHERE case_id = ? AND person_id = ? AND status = 'pending'"),
    clearHelperPointer: db.prepare('UPDATE people SET active_case_id = NULL WHERE id = ? AND active_case_id = ?'),
    helpers: db.prepare<[string], { person_id: string; name: string; added_at: number }>(
      'SELECT person_id, name, added_at FROM case_helpers WHERE case_id = ? ORDER BY added_at, person_id',
    ),
    logActivity: db.prepare('INSERT INTO case_activity (case_id, person_id, action, at) VALUES (?, ?, ?, ?)'),
    listActivity: db.prepare<[string, number], ActivityRow>(
      'SELECT case_id, person_id, action, at FROM case_activity WHERE case_id = ? ORDER BY at DESC, id DESC LIMIT ?',
    ),
    touch: db.prepare('UPDATE cases SET last_active_at = ?, purge_notice_at = NULL WHERE id = ?'),
    listInactive: db.prepare<[number, number], InactiveRow>(
      'SELECT id, owner_id, last_active_at, purge_notice_at FROM cases WHERE last_active_at < ? ORDER BY last_active_at, id LIMIT ?',
    ),
    markPurgeNotice: db.prepare('UPDATE cases SET purge_notice_at = ? WHERE id = ?'),
    insertRecord: db.prepare('INSERT INTO case_records (id, case_id, kind, data, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING'),
    listRecords: db.prepare<[string, string], RecordRow>(
      'SELECT id, case_id, kind, data, created_at FROM case_records WHERE case_id = ? AND kind = ? ORDER BY created_at, id',
    ),
  };

  const removeHelper = db.transaction((caseId: string, helperId: string): boolean => {
    if (q.removeHelper.run(caseId, helperId).changes !== 1) return false;
    q.dropHelperNudges.run(caseId, helperId);
    q.clearHelperPointer.run(helperId, caseId);
    return true;
  });
  const deleteCase = db.transaction((caseId: string): boolean => eraser.deleteCase(caseId));

  return {
    ensureOwnCase: (personId, now) =>
      run('cases.ensureOwnCase', () => {
        q.insertOwnCase.run(randomUUID(), personId, now, now);
        const found = q.findOwnCase.get(personId);
        if (!found) throw new StoreError('case could not be created', 'cases.ensureOwnCase');
        return found.id;
      }),
    createOnBehalfCase: (ownerId, label, now) =>
      run('cases.createOnBehalfCase', () => {
        const id = randomUUID();
        q.insertOnBehalfCase.run(id, ownerId, now, label, now);
        return id;
      }),
    listForPerson: (personId) =>
      run('cases.listForPerson', () =>
        q.listForPerson.all(personId, personId).map(
          (row): CaseSummary => ({
            id: row.id,
            role: row.role,
            own: row.role === 'owner' && row.on_behalf === 0,
            onBehalf: row.on_behalf === 1,
            label: row.label,
            createdAt: row.created_at,
          }),
        ),
      ),
    role: (caseId, personId) => run('cases.role', () => q.role.get(personId, personId, caseId)?.role ?? undefined),
    ownerOf: (caseId) => run('cases.ownerOf', () => q.ownerOf.get(caseId)?.owner_id),
    addHelper: (caseId, helper, now) =>
      run('cases.addHelper', () => q.addHelper.run(helper.personId, helper.name, helper.label, now, caseId, helper.personId).changes === 1),
    removeHelper: (caseId, helperId) => run('cases.removeHelper', () => removeHelper(caseId, helperId)),
    helpers: (caseId) =>
      run('cases.helpers', () => q.helpers.all(caseId).map((row) => ({ personId: row.person_id, name: row.name, addedAt: row.added_at }))),
    logActivity: (entry) => run('cases.logActivity', () => void q.logActivity.run(entry.caseId, entry.personId, entry.action, entry.at)),
    listActivity: (caseId, limit) =>
      run('cases.listActivity', () =>
        (limit <= 0 ? [] : q.listActivity.all(caseId, limit)).map(
          (row): CaseActivity => ({ caseId: row.case_id, personId: row.person_id, action: row.action as ActivityAction, at: row.at }),
        ),
      ),
    touch: (caseId, now) => run('cases.touch', () => void q.touch.run(now, caseId)),
    listInactive: (before, limit) =>
      run('cases.listInactive', () =>
        (limit <= 0 ? [] : q.listInactive.all(before, limit)).map((row) => ({
          id: row.id,
          ownerId: row.owner_id,
          lastActiveAt: row.last_active_at,
          purgeNoticeAt: row.purge_notice_at,
        })),
      ),
    markPurgeNotice: (caseId, at) => run('cases.markPurgeNotice', () => void q.markPurgeNotice.run(at, caseId)),
    deleteCase: (caseId) => run('cases.deleteCase', () => deleteCase.immediate(caseId)),
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
  };
}
