import { randomUUID } from 'node:crypto';
import type { ActivityAction, CaseRecord, CaseRecordKind, CaseStore, CaseSummary } from '../ports.js';
import { ownKeyOf, type Models } from './schemas.js';
import type { VaultBlobs } from './mongo-vault.js';
import { mongoHandoffEraser } from './mongo-handoffs.js';

type Run = <T>(operation: string, fn: () => Promise<T>) => Promise<T>;

const DUPLICATE_KEY = 11000;
const isDuplicateKey = (error: unknown) => typeof error === 'object' && error !== null && (error as { code?: unknown }).code === DUPLICATE_KEY;

export const helperKey = (caseId: string, personId: string) => `${caseId}\u0000${personId}`;


interface CaseDoc {
  _id: string;
  ownerId: string;
  onBehalf?: boolean | null;
  label?: string | null;
  createdAt: number;
  lastActiveAt?: number | null;
  purgeNoticeAt?: number | null;
}

/**
 * Erasing cases without transactions (a standalone MongoDB has none):
 * everything in the cases goes first, children before parents (GridFS
 * chunks, files, vault items, reminders, dates, records, helpers, activity, handoffs,
 * pointers to the cases), the case documents last. A crash half-way leaves
 * the cases in place with less in them, never something that points at a
 * missing case, and running the same deletion again finishes it.
 */
export function mongoCaseEraser(m: Models, blobs: VaultBlobs) {
  const eraseHandoffs = mongoHandoffEraser(m);
  return async (caseIds: readonly string[]): Promise<number> => {
    if (caseIds.length === 0) return 0;
    const inCases = { caseId: { $in: [...caseIds] } };
    await eraseHandoffs(inCases);
    const items = await m.VaultItem.find(inCases, { _id: 1 }).lean();
    await blobs.remove(items.map((i) => i._id));
    await m.VaultItem.deleteMany(inCases);
    await m.Nudge.deleteMany(inCases);
    await m.CaseDate.deleteMany(inCases);
    await m.CaseRecord.deleteMany(inCases);
    await m.CaseHelper.deleteMany(inCases);
    await m.CaseActivity.deleteMany(inCases);
    await m.Person.updateMany({ activeCaseId: { $in: [...caseIds] } }, { $set: { activeCaseId: null } });
    return (await m.Case.deleteMany({ _id: { $in: [...caseIds] } })).deletedCount;
  };
}

export function mongoCases(m: Models, blobs: VaultBlobs, run: Run): CaseStore {
  const eraseCases = mongoCaseEraser(m, blobs);
  const summary = (c: CaseDoc, role: CaseSummary['role'], label: string | null): CaseSummary => ({
    id: c._id,
    role,
    own: role === 'owner' && c.onBehalf !== true,
    onBehalf: c.onBehalf === true,
    label,
    createdAt: c.createdAt,
  });
  return {
    ensureOwnCase: (personId, now) =>
      run('cases.ensureOwnCase', async () => {
        // The own case's key is the owner's id: of two racing upserts, the unique index lets one insert.
        const filter = { ownKey: personId };
        try {
          const doc = await m.Case.findOneAndUpdate(
            filter,
            { $setOnInsert: { _id: randomUUID(), ownerId: personId, onBehalf: false, label: null, createdAt: now, lastActiveAt: now, purgeNoticeAt: null } },
            { upsert: true, returnDocument: 'after' },
          ).lean();
          return doc!._id;
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
          const doc = await m.Case.findOne(filter).lean();
          if (!doc) throw error;
          return doc._id;
        }
      }),
    createOnBehalfCase: (ownerId, label, now) =>
      run('cases.createOnBehalfCase', async () => {
        const id = randomUUID();
        await m.Case.create({ _id: id, ownerId, ownKey: ownKeyOf({ _id: id, ownerId, onBehalf: true }), onBehalf: true, label, createdAt: now, lastActiveAt: now, purgeNoticeAt: null });
        return id;
      }),
    listForPerson: (personId) =>
      run('cases.listForPerson', async () => {
        const byCreation = { createdAt: 1, _id: 1 } as const;
        const owned = (await m.Case.find({ ownerId: personId }).sort(byCreation).lean()) as CaseDoc[];
        const links = await m.CaseHelper.find({ personId }).lean();
        const labels = new Map(links.map((l) => [l.caseId, l.label]));
        const joined = new Map(links.map((l) => [l.caseId, l.addedAt]));
        const helped = links.length === 0 ? [] : ((await m.Case.find({ _id: { $in: [...labels.keys()] } }).lean()) as CaseDoc[]);
        // The own case first, then every other in the order the person got it: a new case goes last.
        const others = [
          ...owned.filter((c) => c.onBehalf === true).map((c) => ({ at: c.createdAt, summary: summary(c, 'owner', c.label ?? null) })),
          ...helped.map((c) => ({ at: joined.get(c._id) ?? c.createdAt, summary: summary(c, 'helper', labels.get(c._id) ?? null) })),
        ].sort((a, b) => a.at - b.at || (a.summary.id < b.summary.id ? -1 : a.summary.id > b.summary.id ? 1 : 0));
        return [...owned.filter((c) => c.onBehalf !== true).map((c) => summary(c, 'owner', c.label ?? null)), ...others.map((o) => o.summary)];
      }),
    role: (caseId, personId) =>
      run('cases.role', async () => {
        const c = await m.Case.findById(caseId, { ownerId: 1 }).lean();
        if (!c) return undefined;
        if (c.ownerId === personId) return 'owner';
        return (await m.CaseHelper.exists({ _id: helperKey(caseId, personId) })) ? 'helper' : undefined;
      }),
    ownerOf: (caseId) => run('cases.ownerOf', async () => (await m.Case.findById(caseId, { ownerId: 1 }).lean())?.ownerId),
    addHelper: (caseId, helper, now) =>
      run('cases.addHelper', async () => {
        const c = await m.Case.findById(caseId, { ownerId: 1 }).lean();
        if (!c || c.ownerId === helper.personId) return false;
        try {
          await m.CaseHelper.create({ _id: helperKey(caseId, helper.personId), caseId, personId: helper.personId, name: helper.name, label: helper.label, addedAt: now });
          return true;
        } catch (error) {
          if (isDuplicateKey(error)) return false;
          throw error;
        }
      }),
    // The link goes last: a crash half-way leaves the helper linked, and removing them again finishes.
    removeHelper: (caseId, helperId) =>
      run('cases.removeHelper', async () => {
        const _id = helperKey(caseId, helperId);
        if (!(await m.CaseHelper.exists({ _id }))) return false;
        await m.Nudge.deleteMany({ caseId, personId: helperId, status: 'pending' });
        await m.Person.updateOne({ _id: helperId, activeCaseId: caseId }, { $set: { activeCaseId: null } });
        return (await m.CaseHelper.deleteOne({ _id })).deletedCount === 1;
      }),
    helpers: (caseId) =>
      run('cases.helpers', async () =>
        (await m.CaseHelper.find({ caseId }).sort({ addedAt: 1, personId: 1 }).lean()).map((h) => ({ personId: h.personId, name: h.name, addedAt: h.addedAt })),
      ),
    logActivity: (entry) =>
      run('cases.logActivity', async () => void (await m.CaseActivity.create({ caseId: entry.caseId, personId: entry.personId, action: entry.action, at: entry.at }))),
    listActivity: (caseId, limit) =>
      run('cases.listActivity', async () => {
        if (limit <= 0) return [];
        const docs = await m.CaseActivity.find({ caseId }).sort({ at: -1, _id: -1 }).limit(limit).lean();
        return docs.map((d) => ({ caseId: d.caseId, personId: d.personId ?? null, action: d.action as ActivityAction, at: d.at }));
      }),
    touch: (caseId, now) => run('cases.touch', async () => void (await m.Case.updateOne({ _id: caseId }, { $set: { lastActiveAt: now, purgeNoticeAt: null } }))),
    listInactive: (before, limit) =>
      run('cases.listInactive', async () => {
        if (limit <= 0) return [];
        const docs = (await m.Case.find({ lastActiveAt: { $lt: before } }).sort({ lastActiveAt: 1, _id: 1 }).limit(limit).lean()) as CaseDoc[];
        return docs.map((c) => ({ id: c._id, ownerId: c.ownerId, lastActiveAt: c.lastActiveAt ?? c.createdAt, purgeNoticeAt: c.purgeNoticeAt ?? null }));
      }),
    markPurgeNotice: (caseId, at) => run('cases.markPurgeNotice', async () => void (await m.Case.updateOne({ _id: caseId }, { $set: { purgeNoticeAt: at } }))),
    deleteCase: (caseId) =>
      run('cases.deleteCase', async () => {
        if (!(await m.Case.exists({ _id: caseId }))) return false;
        return (await eraseCases([caseId])) === 1;
      }),
    addRecord: (record) =>
      run('cases.addRecord', async () => {
        try {
          await m.CaseRecord.create({
            _id: record.id,
            caseId: record.caseId,
            kind: record.kind,
            data: JSON.stringify(record.data),
            createdAt: record.createdAt,
          });
          return true;
        } catch (error) {
          if (isDuplicateKey(error)) return false;
          throw error;
        }
      }),
    listRecords: (caseId, kind) =>
      run('cases.listRecords', async () => {
        const docs = await m.CaseRecord.find({ caseId, kind }).sort({ createdAt: 1, _id: 1 }).lean();
        return docs.map(
          (d): CaseRecord => ({ id: d._id, caseId: d.caseId, kind: d.kind as CaseRecordKind, data: JSON.parse(d.data) as unknown, createdAt: d.createdAt }),
        );
      }),
  };
}
