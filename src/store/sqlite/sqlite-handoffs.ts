import type { Database } from 'better-sqlite3';
import type { Handoff, HandoffMessage, HandoffStore, HelpdeskErasure, HelpdeskKind } from '../ports.js';

interface HandoffRow {
  id: string;
  case_id: string;
  person_id: string;
  helpdesk: string;
  external_id: string | null;
  external_data: string | null;
  pseudonym: string;
  status: string;
  opened_at: number;
  closed_at: number | null;
  waiting_since: number | null;
  flagged_at: number | null;
  feedback: string | null;
}

interface MessageRow {
  id: string;
  handoff_id: string;
  at: number;
  sender: string;
  author: string | null;
  text: string | null;
  vault_item_id: string | null;
  state: string;
}

type Run = <T>(operation: string, fn: () => T) => Promise<T>;

const toHandoff = (r: HandoffRow): Handoff => ({
  id: r.id,
  caseId: r.case_id,
  personId: r.person_id,
  helpdesk: r.helpdesk as HelpdeskKind,
  externalId: r.external_id,
  externalData: r.external_data,
  pseudonym: r.pseudonym,
  status: r.status as Handoff['status'],
  openedAt: r.opened_at,
  closedAt: r.closed_at,
  waitingSince: r.waiting_since,
  flaggedAt: r.flagged_at,
  feedback: r.feedback as Handoff['feedback'],
});

const toMessage = (r: MessageRow): HandoffMessage => ({
  id: r.id,
  handoffId: r.handoff_id,
  at: r.at,
  from: r.sender as HandoffMessage['from'],
  author: r.author,
  text: r.text,
  vaultItemId: r.vault_item_id,
  state: r.state as HandoffMessage['state'],
});

const isUniqueViolation = (error: unknown) => (error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE' || (error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY';

/**
 * Handoffs on SQLite. The partial unique index keeps one open handoff per
 * case, so two racing "talk to a person" turns open one; the foreign keys
 * erase handoffs and their messages with the case or with the person.
 */
export function sqliteHandoffs(db: Database, run: Run): HandoffStore {
  const q = {
    insert: db.prepare(
      "INSERT INTO handoffs (id, case_id, person_id, helpdesk, external_id, external_data, pseudonym, status, opened_at, closed_at, waiting_since, flagged_at, feedback) VALUES (?, ?, ?, ?, NULL, NULL, ?, 'open', ?, NULL, NULL, NULL, NULL)",
    ),
    get: db.prepare<[string], HandoffRow>('SELECT * FROM handoffs WHERE id = ?'),
    openForCase: db.prepare<[string], HandoffRow>("SELECT * FROM handoffs WHERE case_id = ? AND status = 'open'"),
    latestForCase: db.prepare<[string], HandoffRow>('SELECT * FROM handoffs WHERE case_id = ? ORDER BY opened_at DESC, id DESC LIMIT 1'),
    byExternal: db.prepare<[string, string], HandoffRow>('SELECT * FROM handoffs WHERE helpdesk = ? AND external_id = ?'),
    setExternal: db.prepare('UPDATE handoffs SET external_id = ?, external_data = ? WHERE id = ? AND external_id IS NULL'),
    close: db.prepare("UPDATE handoffs SET status = 'closed', closed_at = ?, waiting_since = NULL WHERE id = ? AND status = 'open'"),
    reopen: db.prepare("UPDATE handoffs SET status = 'open', closed_at = NULL, waiting_since = NULL, flagged_at = NULL, feedback = NULL WHERE id = ? AND status = 'closed'"),
    feedback: db.prepare('UPDATE handoffs SET feedback = ? WHERE id = ?'),
    flag: db.prepare('UPDATE handoffs SET flagged_at = ? WHERE id = ? AND flagged_at IS NULL'),
    open: db.prepare<[number], HandoffRow>("SELECT * FROM handoffs WHERE status = 'open' ORDER BY opened_at, id LIMIT ?"),
    unmade: db.prepare<[number], HandoffRow>("SELECT * FROM handoffs WHERE status = 'open' AND external_id IS NULL ORDER BY opened_at, id LIMIT ?"),
    waiting: db.prepare<[number, number], HandoffRow>(
      "SELECT * FROM handoffs WHERE status = 'open' AND flagged_at IS NULL AND waiting_since IS NOT NULL AND waiting_since < ? ORDER BY waiting_since, id LIMIT ?",
    ),
    insertMessage: db.prepare(
      'INSERT INTO handoff_messages (id, handoff_id, at, sender, author, text, vault_item_id, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
    ),
    startWaiting: db.prepare('UPDATE handoffs SET waiting_since = ? WHERE id = ? AND waiting_since IS NULL'),
    answered: db.prepare('UPDATE handoffs SET waiting_since = NULL, flagged_at = NULL WHERE id = ?'),
    messageState: db.prepare('UPDATE handoff_messages SET state = ? WHERE id = ?'),
    messages: db.prepare<[string], MessageRow>('SELECT * FROM handoff_messages WHERE handoff_id = ? ORDER BY at, rowid'),
    pending: db.prepare<[string, number], MessageRow>("SELECT * FROM handoff_messages WHERE sender = ? AND state = 'pending' ORDER BY at, rowid LIMIT ?"),
    forCase: db.prepare<[string], HandoffRow>('SELECT * FROM handoffs WHERE case_id = ? ORDER BY opened_at, id'),
    byPerson: db.prepare<[string], HandoffRow>('SELECT * FROM handoffs WHERE person_id = ? ORDER BY opened_at, id'),
    delete: db.prepare('DELETE FROM handoffs WHERE id = ?'),
    queueErasure: db.prepare('INSERT INTO helpdesk_erasures (id, helpdesk, external_id, external_data, queued_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING'),
    erasures: db.prepare<[number], { id: string; helpdesk: string; external_id: string; external_data: string | null; queued_at: number }>(
      'SELECT * FROM helpdesk_erasures ORDER BY queued_at, id LIMIT ?',
    ),
    erasureDone: db.prepare('DELETE FROM helpdesk_erasures WHERE id = ?'),
    closedBefore: db.prepare<[number, number], HandoffRow>("SELECT * FROM handoffs WHERE status = 'closed' AND closed_at < ? ORDER BY closed_at, id LIMIT ?"),
  };
  const addMessage = db.transaction((m: HandoffMessage): boolean => {
    if (!q.get.get(m.handoffId)) return false;
    if (q.insertMessage.run(m.id, m.handoffId, m.at, m.from, m.author, m.text, m.vaultItemId, m.state).changes === 0) return false;
    if (m.from === 'person') q.startWaiting.run(m.at, m.handoffId);
    else q.answered.run(m.handoffId);
    return true;
  });
  const one = (row: HandoffRow | undefined) => (row ? toHandoff(row) : undefined);
  return {
    open: (h) =>
      run('handoffs.open', () => {
        try {
          return q.insert.run(h.id, h.caseId, h.personId, h.helpdesk, h.pseudonym, h.openedAt).changes === 1;
        } catch (error) {
          if (isUniqueViolation(error)) return false;
          throw error;
        }
      }),
    get: (id) => run('handoffs.get', () => one(q.get.get(id))),
    openForCase: (caseId) => run('handoffs.openForCase', () => one(q.openForCase.get(caseId))),
    latestForCase: (caseId) => run('handoffs.latestForCase', () => one(q.latestForCase.get(caseId))),
    byExternalId: (helpdesk, externalId) => run('handoffs.byExternalId', () => one(q.byExternal.get(helpdesk, externalId))),
    setExternalId: (id, externalId, externalData) =>
      run('handoffs.setExternalId', () => {
        try {
          return q.setExternal.run(externalId, externalData, id).changes === 1;
        } catch (error) {
          // Another handoff already holds that helpdesk conversation.
          if (isUniqueViolation(error)) return false;
          throw error;
        }
      }),
    close: (id, now) => run('handoffs.close', () => q.close.run(now, id).changes === 1),
    reopen: (id) =>
      run('handoffs.reopen', () => {
        try {
          return q.reopen.run(id).changes === 1;
        } catch (error) {
          if (isUniqueViolation(error)) return false;
          throw error;
        }
      }),
    setFeedback: (id, feedback) => run('handoffs.setFeedback', () => void q.feedback.run(feedback, id)),
    markFlagged: (id, now) => run('handoffs.markFlagged', () => q.flag.run(now, id).changes === 1),
    listOpen: (limit) => run('handoffs.listOpen', () => q.open.all(limit).map(toHandoff)),
    listUnmade: (limit) => run('handoffs.listUnmade', () => q.unmade.all(limit).map(toHandoff)),
    listWaiting: (before, limit) => run('handoffs.listWaiting', () => q.waiting.all(before, limit).map(toHandoff)),
    addMessage: (message) => run('handoffs.addMessage', () => addMessage.immediate(message)),
    setMessageState: (id, state) => run('handoffs.setMessageState', () => void q.messageState.run(state, id)),
    listMessages: (handoffId) => run('handoffs.listMessages', () => q.messages.all(handoffId).map(toMessage)),
    listPending: (from, limit) => run('handoffs.listPending', () => q.pending.all(from, limit).map(toMessage)),
    listForCase: (caseId) => run('handoffs.listForCase', () => q.forCase.all(caseId).map(toHandoff)),
    listByPerson: (personId) => run('handoffs.listByPerson', () => q.byPerson.all(personId).map(toHandoff)),
    delete: (id) => run('handoffs.delete', () => q.delete.run(id).changes === 1),
    listClosedBefore: (before, limit) => run('handoffs.listClosedBefore', () => q.closedBefore.all(before, limit).map(toHandoff)),
    queueErasure: (e) => run('handoffs.queueErasure', () => void q.queueErasure.run(e.id, e.helpdesk, e.externalId, e.externalData, e.queuedAt)),
    listErasures: (limit) =>
      run('handoffs.listErasures', () =>
        q.erasures.all(limit).map((r): HelpdeskErasure => ({ id: r.id, helpdesk: r.helpdesk as HelpdeskKind, externalId: r.external_id, externalData: r.external_data, queuedAt: r.queued_at })),
      ),
    erasureDone: (id) => run('handoffs.erasureDone', () => void q.erasureDone.run(id)),
  };
}
