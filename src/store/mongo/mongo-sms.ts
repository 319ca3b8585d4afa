import type { SmsLogStore, SmsState } from '../ports.js';
import { isDuplicateKey } from './duplicate-key.js';
import type { Models } from './schemas.js';

type Run = <T>(operation: string, fn: () => Promise<T>) => Promise<T>;

/** The SMS log on MongoDB; the notice once a day is an insert that only one writer wins. */
export function mongoSms(m: Models, run: Run): SmsLogStore {
  return {
    record: (sms) =>
      run('sms.record', async () => {
        try {
          await m.SmsLog.create({ _id: sms.id, who: sms.who, parts: sms.parts, state: 'queued', createdAt: sms.createdAt, updatedAt: sms.createdAt });
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
        }
      }),
    setState: (id, state, at) => run('sms.setState', async () => (await m.SmsLog.updateOne({ _id: id }, { $set: { state, updatedAt: at } })).matchedCount === 1),
    get: (id) =>
      run('sms.get', async () => {
        const d = await m.SmsLog.findById(id).lean();
        return d ? { id: d._id, who: d.who, parts: d.parts, state: d.state as SmsState, createdAt: d.createdAt, updatedAt: d.updatedAt } : undefined;
      }),
    partsSince: (who, since) =>
      run('sms.partsSince', async () => {
        // Summed here rather than with $group: a person's day is a handful of documents.
        const docs = await m.SmsLog.find({ who, createdAt: { $gte: since } }, { parts: 1 }).lean();
        return docs.reduce((sum, d) => sum + d.parts, 0);
      }),
    claimNotice: (who, day) =>
      run('sms.claimNotice', async () => {
        try {
          await m.SmsNotice.create({ _id: `${who}\u0000${day}`, at: Date.now() });
          return true;
        } catch (error) {
          if (isDuplicateKey(error)) return false;
          throw error;
        }
      }),
    prune: (before) =>
      run('sms.prune', async () => {
        const log = await m.SmsLog.deleteMany({ createdAt: { $lt: before } });
        const notices = await m.SmsNotice.deleteMany({ at: { $lt: before } });
        return log.deletedCount + notices.deletedCount;
      }),
  };
}
