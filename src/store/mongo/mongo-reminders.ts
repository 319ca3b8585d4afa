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
 * Reminders on MongoDB. Each claim is one `findOneAndUpdate`: the document
 * moves to "claimed" atomically, so two pumps never take the same reminder;
 * it becomes "sending" just before the channel gets it and is never retaken
 * from there.
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
    claimDue: (now, leaseUntil, limit, claimer) =>
      run('reminders.claimDue', async () => {
        const claimed: Nudge[] = [];
        while (claimed.length < limit) {
          const doc = await m.Nudge.findOneAndUpdate(
            { $or: [{ status: 'pending', dueAt: { $lte: now } }, { status: 'claimed', leaseUntil: { $lt: now } }] },
            { $set: { status: 'claimed', leaseUntil, claimedBy: claimer }, $inc: { attempts: 1 } },
            { sort: { dueAt: 1 }, returnDocument: 'after' },
          ).lean();
          if (!doc) break;
          claimed.push(toNudge(doc as unknown as NudgeDoc));
        }
        return claimed;
      }),
    markSending: (id, claimer, previous) =>
      run('reminders.markSending', async () => {
        if (previous) await m.Nudge.updateOne({ _id: previous.id }, { $set: { status: previous.status, leaseUntil: null } });
        return (await m.Nudge.updateOne({ _id: id, status: 'claimed', claimedBy: claimer }, { $set: { status: 'sending' } })).modifiedCount === 1;
      }),
    finish: (id, status) => run('reminders.finish', async () => void (await m.Nudge.updateOne({ _id: id }, { $set: { status, leaseUntil: null } }))),
    retry: (id, retryAt) => run('reminders.retry', async () => void (await m.Nudge.updateOne({ _id: id }, { $set: { status: 'pending', dueAt: retryAt, leaseUntil: null } }))),
    nextPending: (caseId) =>
      run('reminders.nextPending', async () => {
        const doc = await m.Nudge.findOne({ caseId, status: 'pending' }).sort({ dueAt: 1 }).lean();
        return doc ? toNudge(doc as unknown as NudgeDoc) : undefined;
      }),
    setPaused: (personId, paused) => run('reminders.setPaused', async () => void (await m.Person.updateOne({ _id: personId }, { $set: { remindersPaused: paused } }))),
    isPaused: (personId) => run('reminders.isPaused', async () => (await m.Person.findById(personId, { remindersPaused: 1 }).lean())?.remindersPaused === true),
  };
}
