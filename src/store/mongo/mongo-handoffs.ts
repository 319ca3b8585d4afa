import type { Handoff, HandoffMessage, HandoffStore, HelpdeskErasure, HelpdeskKind } from '../ports.js';
import type { Models } from './schemas.js';

type Run = <T>(operation: string, fn: () => Promise<T>) => Promise<T>;

interface HandoffDoc {
  _id: string;
  caseId: string;
  personId: string;
  helpdesk: string;
  externalId?: string | null;
  externalData?: string | null;
  pseudonym: string;
  status: string;
  round: number;
  openedAt: number;
  closedAt?: number | null;
  waitingSince?: number | null;
  flaggedAt?: number | null;
  feedback?: string | null;
}

interface MessageDoc {
  _id: string;
  handoffId: string;
  at: number;
  from: string;
  author?: string | null;
  text?: string | null;
  vaultItemId?: string | null;
  state: string;
}

const toHandoff = (d: HandoffDoc): Handoff => ({
  id: d._id,
  caseId: d.caseId,
  personId: d.personId,
  helpdesk: d.helpdesk as HelpdeskKind,
  externalId: d.externalId ?? null,
  externalData: d.externalData ?? null,
  pseudonym: d.pseudonym,
  status: d.status as Handoff['status'],
  openedAt: d.openedAt,
  closedAt: d.closedAt ?? null,
  waitingSince: d.waitingSince ?? null,
  flaggedAt: d.flaggedAt ?? null,
  feedback: (d.feedback ?? null) as Handoff['feedback'],
});

const toMessage = (d: MessageDoc): HandoffMessage => ({
  id: d._id,
  handoffId: d.handoffId,
  at: d.at,
  from: d.from as HandoffMessage['from'],
  author: d.author ?? null,
  text: d.text ?? null,
  vaultItemId: d.vaultItemId ?? null,
  state: d.state as HandoffMessage['state'],
});

const isDuplicate = (error: unknown) => (error as { code?: unknown }).code === 11000;

/** A lock on the case older than this whose handoff is gone or closed was left by a stopped process. */
const STALE_LOCK_MS = 60_000;

/** Erase handoffs with their messages, locks and marks: for a case's or a person's erasure. */
export function mongoHandoffEraser(m: Models) {
  return async (filter: { caseId: { $in: readonly string[] } } | { personId: string } | { _id: string }): Promise<void> => {
    const docs = (await m.Handoff.find(filter, { _id: 1, caseId: 1, externalId: 1, helpdesk: 1 }).lean()) as Pick<HandoffDoc, '_id' | 'caseId' | 'externalId' | 'helpdesk'>[];
    if (docs.length === 0) return;
    const ids = docs.map((d) => d._id);
    await m.HandoffMessage.deleteMany({ handoffId: { $in: ids } });
    await m.HandoffOpen.deleteMany({ handoffId: { $in: ids } });
    const external = docs.flatMap((d) => (d.externalId ? [`ext:${d.helpdesk}:${d.externalId}`] : []));
    await m.HandoffMark.deleteMany({ _id: { $in: external } });
    await m.HandoffMark.deleteMany({ _id: { $regex: `^(close|flag):(${ids.map(escapeRegex).join('|')}):` } });
    await m.Handoff.deleteMany({ _id: { $in: ids } });
  };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Handoffs on MongoDB. FerretDB 1.x applies no conditional update
 * atomically, so every "only once" here is a unique insert: the case's open
 * lock (`handoff_open`, keyed by the case), a closing per opening round
 * (`close:<id>:<round>`), a flag per wait (`flag:<id>:<since>`), an external
 * id per helpdesk conversation. Removing a lock comes last, so a stopped
 * process leaves the case locked, never two handoffs open; a stale lock is
 * taken over after a minute.
 */
export function mongoHandoffs(m: Models, run: Run): HandoffStore {
  const erase = mongoHandoffEraser(m);
  const find = async (id: string) => (await m.Handoff.findById(id).lean()) as HandoffDoc | null;

  /** Take the case's open lock for `handoffId`; a lock whose holder is gone or closed and is old is taken over once. */
  const lockCase = async (caseId: string, handoffId: string, now: number): Promise<boolean> => {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await m.HandoffOpen.create({ _id: caseId, handoffId, at: now });
        return true;
      } catch (error) {
        if (!isDuplicate(error)) throw error;
      }
      const lock = await m.HandoffOpen.findById(caseId).lean();
      if (!lock) continue;
      const holder = await find(lock.handoffId);
      const stale = (!holder || holder.status === 'closed') && lock.at < now - STALE_LOCK_MS;
      if (!stale) return false;
      await m.HandoffOpen.deleteOne({ _id: caseId, handoffId: lock.handoffId });
    }
    return false;
  };

  return {
    open: (h) =>
      run('handoffs.open', async () => {
        if (!(await lockCase(h.caseId, h.id, h.openedAt))) return false;
        try {
          await m.Handoff.create({ _id: h.id, caseId: h.caseId, personId: h.personId, helpdesk: h.helpdesk, externalId: null, pseudonym: h.pseudonym, status: 'open', round: 1, openedAt: h.openedAt });
          return true;
        } catch (error) {
          await m.HandoffOpen.deleteOne({ _id: h.caseId, handoffId: h.id });
          if (isDuplicate(error)) return false;
          throw error;
        }
      }),
    get: (id) => run('handoffs.get', async () => {
      const d = await find(id);
      return d ? toHandoff(d) : undefined;
    }),
    openForCase: (caseId) =>
      run('handoffs.openForCase', async () => {
        const d = (await m.Handoff.findOne({ caseId, status: 'open' }).lean()) as HandoffDoc | null;
        return d ? toHandoff(d) : undefined;
      }),
    latestForCase: (caseId) =>
      run('handoffs.latestForCase', async () => {
        const d = (await m.Handoff.findOne({ caseId }).sort({ openedAt: -1, _id: -1 }).lean()) as HandoffDoc | null;
        return d ? toHandoff(d) : undefined;
      }),
    byExternalId: (helpdesk, externalId) =>
      run('handoffs.byExternalId', async () => {
        const d = (await m.Handoff.findOne({ helpdesk, externalId }).lean()) as HandoffDoc | null;
        return d ? toHandoff(d) : undefined;
      }),
    setExternalId: (id, externalId, externalData) =>
      run('handoffs.setExternalId', async () => {
        const d = await find(id);
        if (!d || d.externalId) return false;
        try {
          await m.HandoffMark.create({ _id: `ext:${d.helpdesk}:${externalId}`, at: d.openedAt });
        } catch (error) {
          if (isDuplicate(error)) return false;
          throw error;
        }
        await m.Handoff.updateOne({ _id: id }, { $set: { externalId, externalData } });
        return true;
      }),
    close: (id, now) =>
      run('handoffs.close', async () => {
        const d = await find(id);
        if (!d || d.status !== 'open') return false;
        try {
          await m.HandoffMark.create({ _id: `close:${id}:${d.round}`, at: now });
        } catch (error) {
          if (isDuplicate(error)) return false;
          throw error;
        }
        await m.Handoff.updateOne({ _id: id }, { $set: { status: 'closed', closedAt: now, waitingSince: null } });
        await m.HandoffOpen.deleteOne({ _id: d.caseId, handoffId: id });
        return true;
      }),
    reopen: (id, now) =>
      run('handoffs.reopen', async () => {
        const d = await find(id);
        if (!d || d.status !== 'closed') return false;
        if (!(await lockCase(d.caseId, id, now))) return false;
        await m.Handoff.updateOne(
          { _id: id },
          { $set: { status: 'open', round: d.round + 1, closedAt: null, waitingSince: null, flaggedAt: null, feedback: null } },
        );
        return true;
      }),
    setFeedback: (id, feedback) => run('handoffs.setFeedback', async () => void (await m.Handoff.updateOne({ _id: id }, { $set: { feedback } }))),
    markFlagged: (id, now) =>
      run('handoffs.markFlagged', async () => {
        const d = await find(id);
        if (!d || (d.flaggedAt ?? null) !== null) return false;
        try {
          await m.HandoffMark.create({ _id: `flag:${id}:${d.waitingSince ?? 'none'}`, at: now });
        } catch (error) {
          if (isDuplicate(error)) return false;
          throw error;
        }
        await m.Handoff.updateOne({ _id: id }, { $set: { flaggedAt: now } });
        return true;
      }),
    listOpen: (limit) =>
      run('handoffs.listOpen', async () => ((await m.Handoff.find({ status: 'open' }).sort({ openedAt: 1, _id: 1 }).limit(limit).lean()) as HandoffDoc[]).map(toHandoff)),
    listUnmade: (limit) =>
      run('handoffs.listUnmade', async () =>
        ((await m.Handoff.find({ status: 'open', externalId: null }).sort({ openedAt: 1, _id: 1 }).limit(limit).lean()) as HandoffDoc[]).map(toHandoff),
      ),
    listWaiting: (before, limit) =>
      run('handoffs.listWaiting', async () => {
        const docs = await m.Handoff.find({ status: 'open', flaggedAt: null, waitingSince: { $ne: null, $lt: before } })
          .sort({ waitingSince: 1, _id: 1 })
          .limit(limit)
          .lean();
        return (docs as HandoffDoc[]).map(toHandoff);
      }),
    addMessage: (message) =>
      run('handoffs.addMessage', async () => {
        if (!(await m.Handoff.exists({ _id: message.handoffId }))) return false;
        try {
          await m.HandoffMessage.create({ _id: message.id, ...withoutId(message) });
        } catch (error) {
          if (isDuplicate(error)) return false;
          throw error;
        }
        if (message.from === 'person') await m.Handoff.updateOne({ _id: message.handoffId, waitingSince: null }, { $set: { waitingSince: message.at } });
        else await m.Handoff.updateOne({ _id: message.handoffId }, { $set: { waitingSince: null, flaggedAt: null } });
        return true;
      }),
    setMessageState: (id, state) => run('handoffs.setMessageState', async () => void (await m.HandoffMessage.updateOne({ _id: id }, { $set: { state } }))),
    listMessages: (handoffId) =>
      run('handoffs.listMessages', async () => ((await m.HandoffMessage.find({ handoffId }).sort({ at: 1, _id: 1 }).lean()) as MessageDoc[]).map(toMessage)),
    listPending: (from, limit) =>
      run('handoffs.listPending', async () =>
        ((await m.HandoffMessage.find({ from, state: 'pending' }).sort({ at: 1, _id: 1 }).limit(limit).lean()) as MessageDoc[]).map(toMessage),
      ),
    listForCase: (caseId) =>
      run('handoffs.listForCase', async () => ((await m.Handoff.find({ caseId }).sort({ openedAt: 1, _id: 1 }).lean()) as HandoffDoc[]).map(toHandoff)),
    listByPerson: (personId) =>
      run('handoffs.listByPerson', async () => ((await m.Handoff.find({ personId }).sort({ openedAt: 1, _id: 1 }).lean()) as HandoffDoc[]).map(toHandoff)),
    delete: (id) =>
      run('handoffs.delete', async () => {
        if (!(await m.Handoff.exists({ _id: id }))) return false;
        await erase({ _id: id });
        return true;
      }),
    queueErasure: (e) =>
      run('handoffs.queueErasure', async () => {
        try {
          await m.HelpdeskErasure.create({ _id: e.id, helpdesk: e.helpdesk, externalId: e.externalId, externalData: e.externalData, queuedAt: e.queuedAt });
        } catch (error) {
          if (!isDuplicate(error)) throw error;
        }
      }),
    listErasures: (limit) =>
      run('handoffs.listErasures', async () =>
        (await m.HelpdeskErasure.find({}).sort({ queuedAt: 1, _id: 1 }).limit(limit).lean()).map(
          (d): HelpdeskErasure => ({ id: d._id, helpdesk: d.helpdesk as HelpdeskKind, externalId: d.externalId, externalData: d.externalData ?? null, queuedAt: d.queuedAt }),
        ),
      ),
    erasureDone: (id) => run('handoffs.erasureDone', async () => void (await m.HelpdeskErasure.deleteOne({ _id: id }))),
    listClosedBefore: (before, limit) =>
      run('handoffs.listClosedBefore', async () =>
        ((await m.Handoff.find({ status: 'closed', closedAt: { $lt: before } }).sort({ closedAt: 1, _id: 1 }).limit(limit).lean()) as HandoffDoc[]).map(toHandoff),
      ),
  };
}

function withoutId(message: HandoffMessage) {
  const { id: _id, ...rest } = message;
  return rest;
}
