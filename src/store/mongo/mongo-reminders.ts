import type { CaseDate, DateKind, Nudge, ReminderStore } from '../ports.js';
import type { Models } from './schemas.js';

type NudgeDoc = Omit<Nudge, 'id' | 'params'> & { _id: string; params: string };

function toNudge(doc: NudgeDoc): Nudge {
  return {
    id: doc._id,
    caseId: doc.caseId,
    personId: doc.personId,
    dateKind: doc.dateKind,
    dateVersion: doc.dateVersion,
    dueAt: doc.dueAt,
    channel: doc.channel,
    address: doc.address,
    textKey: doc.textKey,
    params: JSON.parse(doc.params) as Record<string, string>,
    status: doc.status,
    attempts: doc.attempts,
  };
}

const dateId = (caseId: string, kind: string) => `${caseId}\u0000${kind}`;

/**
 * Reminders on MongoDB. A claim is won by inserting the mark
 * "claim:<id>:<attempt>", so two pumps never take the same reminder on any
 * server; it becomes "sending" just before the channel gets it, behind the
 * mark "send:<id>", and is never retaken from there. A send the channel
 * refused (retry) removes that mark, so the reminder can go out on its retry.
 */
export function mongoReminders(m: Models, run: <T>(operation: string, fn: () => Promise<T>) => Promise<T>): ReminderStore {
  const toDate = (d: { caseId: string; kind: string; data: string; updatedAt: number }): CaseDate => ({
    caseId: d.caseId,
    kind: d.kind as DateKind,
    data: JSON.parse(d.data) as Record<string, string | null>,
    updatedAt: d.updatedAt,
  });
  return {
    setDate: (date) =>
      run('reminders.setDate', async () => {
        await m.CaseDate.updateOne(
          { _id: dateId(date.caseId, date.kind) },
          { $set: { caseId: date.caseId, kind: date.kind, data: JSON.stringify(date.data), updatedAt: date.updatedAt } },
          { upsert: true },
        );
      }),
    removeDate: (caseId, kind) => run('reminders.removeDate', async () => (await m.CaseDate.deleteOne({ _id: dateId(caseId, kind) })).deletedCount === 1),
    listDates: (caseId) => run('reminders.listDates', async () => (await m.CaseDate.find({ caseId }).sort({ kind: 1 }).lean()).map(toDate)),
    getDate: (caseId, kind) =>
      run('reminders.getDate', async () => {
        const doc = await m.CaseDate.findById(dateId(caseId, kind)).lean();
        return doc ? toDate(doc) : undefined;
      }),
    replaceNudges: (caseId, kind, nudges) =>
      run('reminders.replaceNudges', async () => {
        // A reminder being sent (or perhaps sent, after a crash) is kept: planning again must not recreate it.
        await m.Nudge.deleteMany({ caseId, dateKind: kind, status: { $in: ['pending', 'claimed', 'failed', 'dropped'] } });
        if (nudges.length === 0) return;
        // Upserts that only insert: a reminder already sent keeps its state.
        await m.Nudge.bulkWrite(
          nudges.map((n) => ({
            updateOne: {
              filter: { _id: n.id },
              update: { $setOnInsert: { ...n, _id: n.id, params: JSON.stringify(n.params), status: 'pending', attempts: 0, leaseUntil: null, claimedBy: null } },
              upsert: true,
            },
          })) as never,
          { ordered: false },
        );
      }),
    claimDue: (now, leaseUntil, limit, claimer, channels) =>
      run('reminders.claimDue', async () => {
        const claimed: Nudge[] = [];
        // Lost to another claimer in this run: not looked at again.
        const lost: string[] = [];
        while (claimed.length < limit) {
          const doc = await m.Nudge.findOne({
            $or: [{ status: 'pending', dueAt: { $lte: now } }, { status: 'claimed', leaseUntil: { $lt: now } }],
            ...(lost.length > 0 ? { _id: { $nin: lost } } : {}),
            ...(channels ? { channel: { $in: [...channels] } } : {}),
          })
            .sort({ dueAt: 1 })
            .lean();
          if (!doc) break;
          // The claim itself is a unique insert, keyed by the attempt: of two claimers, one wins
          // on any server (FerretDB 1.x does not apply findOneAndUpdate's filter atomically).
          if (!(await takeOnce(m, `claim:${doc._id}:${doc.attempts}`, now, leaseUntil))) {
            lost.push(doc._id);
            continue;
          }
          const updated = await m.Nudge.findOneAndUpdate(
            { _id: doc._id },
            { $set: { status: 'claimed', leaseUntil, claimedBy: claimer }, $inc: { attempts: 1 } },
            { returnDocument: 'after' },
          ).lean();
          if (updated) claimed.push(toNudge(updated as unknown as NudgeDoc));
        }
        return claimed;
      }),
    markSending: (id, claimer, previous) =>
      run('reminders.markSending', async () => {
        if (previous) await m.Nudge.updateOne({ _id: previous.id }, { $set: { status: previous.status, leaseUntil: null } });
        const doc = await m.Nudge.findById(id, { status: 1, claimedBy: 1 }).lean();
        if (!doc || doc.status !== 'claimed' || doc.claimedBy !== claimer) return false;
        // Handed to the channel once: the mark is a unique insert, never retaken.
        if (!(await takeOnce(m, `send:${id}`, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER))) {
          // Marked by a sender that stopped before the status followed: it may have gone out,
          // so it is "sending" now, and not claimed again lease after lease.
          await m.Nudge.updateOne({ _id: id, status: 'claimed' }, { $set: { status: 'sending' } });
          return false;
        }
        await m.Nudge.updateOne({ _id: id }, { $set: { status: 'sending' } });
        return true;
      }),
    finish: (id, status) => run('reminders.finish', async () => void (await m.Nudge.updateOne({ _id: id }, { $set: { status, leaseUntil: null } }))),
    retry: (id, retryAt) =>
      run('reminders.retry', async () => {
        // The channel refused it: not sent, so it may be handed over again.
        await m.NudgeSend.deleteOne({ _id: `send:${id}` });
        await m.Nudge.updateOne({ _id: id }, { $set: { status: 'pending', dueAt: retryAt, leaseUntil: null } });
      }),
    pruneClaims: (before) => run('reminders.pruneClaims', async () => (await m.NudgeSend.deleteMany({ _id: { $regex: /^claim:/ }, at: { $lt: before } })).deletedCount),
    nextPending: (caseId) =>
      run('reminders.nextPending', async () => {
        const doc = await m.Nudge.findOne({ caseId, status: 'pending' }).sort({ dueAt: 1 }).lean();
        return doc ? toNudge(doc as unknown as NudgeDoc) : undefined;
      }),
    setPaused: (personId, paused) => run('reminders.setPaused', async () => void (await m.Person.updateOne({ _id: personId }, { $set: { remindersPaused: paused } }))),
    isPaused: (personId) => run('reminders.isPaused', async () => (await m.Person.findById(personId, { remindersPaused: 1 }).lean())?.remindersPaused === true),
  };
}

/**
 * Writes the mark `key` unless another writer did: true for the one that
 * wrote it. A mark whose time (`until`) has passed was left by a claimer that
 * stopped between writing it and claiming: it is taken over.
 */
async function takeOnce(m: Models, key: string, now: number, until: number): Promise<boolean> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await m.NudgeSend.create({ _id: key, at: until });
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 11000) throw error;
      const mark = await m.NudgeSend.findById(key).lean();
      if (!mark || mark.at >= now) return false;
      await m.NudgeSend.deleteOne({ _id: key, at: mark.at });
    }
  }
  return false;
}
