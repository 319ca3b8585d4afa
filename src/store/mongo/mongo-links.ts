import type { ChannelName } from '../../messages.js';
import type { LinkCode, LinkStore } from '../ports.js';
import type { Models } from './schemas.js';

type Run = <T>(operation: string, fn: () => Promise<T>) => Promise<T>;

interface LinkDoc {
  _id: string;
  codeHash: string;
  helperId: string;
  helperName: string;
  label: string;
  helperChannel?: string;
  helperHint?: string | null;
  createdAt: number;
  expiresAt: number;
  usedAt?: number | null;
}

const toCode = (d: LinkDoc): LinkCode => ({
  id: d._id,
  codeHash: d.codeHash,
  helperId: d.helperId,
  helperName: d.helperName,
  label: d.label,
  helperChannel: (d.helperChannel ?? 'terminal') as ChannelName,
  helperHint: d.helperHint ?? null,
  createdAt: d.createdAt,
  expiresAt: d.expiresAt,
  usedAt: d.usedAt ?? null,
});

/**
 * Link codes on MongoDB. Consuming is one conditional update, so one of two
 * racing consumers wins. `create` checks for a live code with the same hash
 * and then inserts: not atomic, but two codes drawn at random with the same
 * hash in the same instant are not a case to design for; `findLive` then
 * answers the newest.
 */
export function mongoLinks(m: Models, run: Run): LinkStore {
  const live = (codeHash: string, now: number) => ({ codeHash, usedAt: null, expiresAt: { $gt: now } });
  return {
    create: (code) =>
      run('links.create', async () => {
        if (await m.LinkCode.exists(live(code.codeHash, code.createdAt))) return false;
        try {
          await m.LinkCode.create({
            _id: code.id,
            codeHash: code.codeHash,
            helperId: code.helperId,
            helperName: code.helperName,
            label: code.label,
            helperChannel: code.helperChannel,
            helperHint: code.helperHint,
            createdAt: code.createdAt,
            expiresAt: code.expiresAt,
            usedAt: null,
          });
          return true;
        } catch (error) {
          if ((error as { code?: unknown }).code === 11000) return false;
          throw error;
        }
      }),
    findLive: (codeHash, now) =>
      run('links.findLive', async () => {
        const doc = await m.LinkCode.findOne(live(codeHash, now)).sort({ createdAt: -1, _id: 1 }).lean();
        // Spent, even if the process stopped before marking the code itself.
        if (!doc || (await m.LinkUse.exists({ _id: doc._id }))) return undefined;
        return toCode(doc as LinkDoc);
      }),
    get: (id) =>
      run('links.get', async () => {
        const doc = await m.LinkCode.findById(id).lean();
        return doc ? toCode(doc as LinkDoc) : undefined;
      }),
    consume: (id, now) =>
      run('links.consume', async () => {
        const code = await m.LinkCode.findById(id).lean();
        if (!code || (code.usedAt ?? null) !== null || code.expiresAt <= now) return false;
        // The spending is the unique insert: of two at once, one wins on any server.
        try {
          await m.LinkUse.create({ _id: id, at: now });
        } catch (error) {
          if ((error as { code?: unknown }).code === 11000) return false;
          throw error;
        }
        await m.LinkCode.updateOne({ _id: id }, { $set: { usedAt: now } });
        return true;
      }),
    recordFailure: (who, now, since) =>
      run('links.recordFailure', async () => {
        await m.LinkTry.create({ who, at: now });
        return m.LinkTry.countDocuments({ who, at: { $gte: since } });
      }),
    failuresSince: (who, since) => run('links.failuresSince', async () => m.LinkTry.countDocuments({ who, at: { $gte: since } })),
    allFailuresSince: (since) => run('links.allFailuresSince', async () => m.LinkTry.countDocuments({ at: { $gte: since } })),
    liveCount: (helperId, now) => run('links.liveCount', async () => m.LinkCode.countDocuments({ helperId, usedAt: null, expiresAt: { $gt: now } })),
    createdSince: (helperId, since) => run('links.createdSince', async () => m.LinkCode.countDocuments({ helperId, createdAt: { $gte: since } })),
    prune: (before) =>
      run('links.prune', async () => {
        const codes = await m.LinkCode.deleteMany({ $or: [{ expiresAt: { $lt: before } }, { usedAt: { $lt: before } }] });
        const failures = await m.LinkTry.deleteMany({ at: { $lt: before } });
        await m.LinkUse.deleteMany({ at: { $lt: before } });
        return codes.deletedCount + failures.deletedCount;
      }),
  };
}
