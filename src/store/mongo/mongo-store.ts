import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { RevisionConflictError, StoreError } from '../../errors.js';
import { isLanguage } from '../../../machines/lib/intents.js';
import type { CaseRecord, CaseRecordKind, ConversationState, Store } from '../ports.js';
import { defineModels } from './schemas.js';
import { mongoReminders } from './mongo-reminders.js';

const DUPLICATE_KEY = 11000;

function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === DUPLICATE_KEY;
}

async function run<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof StoreError) throw error;
    throw new StoreError(`mongodb: ${operation} failed`, operation, { cause: error });
  }
}

/**
 * The production store on MongoDB through mongoose. Every write that must not
 * race is a single atomic operation: a conditional update on `rev`, an upsert
 * on a unique index, or an insert whose duplicate-key error is the answer.
 */
export async function openMongoStore(uri: string): Promise<Store> {
  const connection = await run('connect', () => mongoose.createConnection(uri, { serverSelectionTimeoutMS: 10_000 }).asPromise());
  const m = defineModels(connection);
  await run('init indexes', () => Promise.all(Object.values(m).map((model) => model.init())));

  return {
    kind: 'mongodb',
    conversations: {
      load: (personId) =>
        run('conversations.load', async () => {
          const doc = await m.Conversation.findById(personId).lean();
          if (!doc) return undefined;
          return { personId, state: JSON.parse(doc.state) as ConversationState, rev: doc.rev, updatedAt: doc.updatedAt };
        }),
      save: (personId, state, expectedRev, now) =>
        run('conversations.save', async () => {
          const json = JSON.stringify(state);
          if (expectedRev === 0) {
            try {
              await m.Conversation.create({ _id: personId, state: json, rev: 1, updatedAt: now });
            } catch (error) {
              if (isDuplicateKey(error)) throw new RevisionConflictError(personId, expectedRev);
              throw error;
            }
            return 1;
          }
          const result = await m.Conversation.updateOne(
            { _id: personId, rev: expectedRev },
            { $set: { state: json, updatedAt: now }, $inc: { rev: 1 } },
          );
          if (result.matchedCount !== 1) throw new RevisionConflictError(personId, expectedRev);
          return expectedRev + 1;
        }),
    },
    people: {
      resolveIdentity: (channel, address, now) =>
        run('people.resolveIdentity', async () => {
          const existing = await m.Identity.findOne({ channel, address }).lean();
          if (existing) return existing.personId;
          // The person exists before the identity points at it, so a reader
          // never finds an identity without its person.
          const candidate = randomUUID();
          await m.Person.create({ _id: candidate, language: null, createdAt: now });
          let winner: string;
          try {
            const doc = await m.Identity.findOneAndUpdate(
              { channel, address },
              { $setOnInsert: { personId: candidate } },
              { upsert: true, returnDocument: 'after' },
            ).lean();
            winner = doc!.personId;
          } catch (error) {
            if (!isDuplicateKey(error)) throw error;
            const doc = await m.Identity.findOne({ channel, address }).lean();
            if (!doc) throw error;
            winner = doc.personId;
          }
          if (winner !== candidate) await m.Person.deleteOne({ _id: candidate });
          return winner;
        }),
      get: (personId) =>
        run('people.get', async () => {
          const doc = await m.Person.findById(personId).lean();
          if (!doc) return undefined;
          return { id: doc._id, language: isLanguage(doc.language) ? doc.language : null, createdAt: doc.createdAt };
        }),
      setLanguage: (personId, language) =>
        run('people.setLanguage', async () => (await m.Person.updateOne({ _id: personId }, { $set: { language } })).matchedCount === 1),
      markUnreachable: (channel, address, now) =>
        run('people.markUnreachable', async () => void (await m.Identity.updateOne({ channel, address }, { $set: { unreachableSince: now } }))),
      markReachable: (channel, address) =>
        run('people.markReachable', async () => void (await m.Identity.updateOne({ channel, address, unreachableSince: { $ne: null } }, { $set: { unreachableSince: null } }))),
      isReachable: (channel, address) =>
        run('people.isReachable', async () => ((await m.Identity.findOne({ channel, address }, { unreachableSince: 1 }).lean())?.unreachableSince ?? null) === null),
      delete: (personId) =>
        run('people.delete', async () => {
          const cases = await m.Case.find({ ownerId: personId }, { _id: 1 }).lean();
          const caseIds = cases.map((c) => c._id);
          await m.Nudge.deleteMany({ caseId: { $in: caseIds } });
          await m.CaseDate.deleteMany({ caseId: { $in: caseIds } });
          await m.CaseRecord.deleteMany({ caseId: { $in: caseIds } });
          await m.Case.deleteMany({ _id: { $in: caseIds } });
          await m.Conversation.deleteOne({ _id: personId });
          await m.Identity.deleteMany({ personId });
          return (await m.Person.deleteOne({ _id: personId })).deletedCount === 1;
        }),
    },
    cases: {
      ensureOwnCase: (personId, now) =>
        run('cases.ensureOwnCase', async () => {
          try {
            const doc = await m.Case.findOneAndUpdate(
              { ownerId: personId },
              { $setOnInsert: { _id: randomUUID(), createdAt: now } },
              { upsert: true, returnDocument: 'after' },
            ).lean();
            return doc!._id;
          } catch (error) {
            if (!isDuplicateKey(error)) throw error;
            const doc = await m.Case.findOne({ ownerId: personId }).lean();
            if (!doc) throw error;
            return doc._id;
          }
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
    },
    processed: {
      claim: (key, now) =>
        run('processed.claim', async () => {
          try {
            await m.ProcessedMessage.create({ _id: key, processedAt: new Date(now) });
            return true;
          } catch (error) {
            if (isDuplicateKey(error)) return false;
            throw error;
          }
        }),
      release: (key) => run('processed.release', async () => void (await m.ProcessedMessage.deleteOne({ _id: key }))),
      prune: (before) =>
        run('processed.prune', async () => (await m.ProcessedMessage.deleteMany({ processedAt: { $lt: new Date(before) } })).deletedCount),
    },
    channelAuth: {
      read: (channel, keys) =>
        run('channelAuth.read', async () => {
          const docs = await m.ChannelAuth.find({ _id: { $in: keys.map((k) => `${channel}\u0000${k}`) } }).lean();
          return new Map(docs.map((d) => [d._id.slice(channel.length + 1), d.value]));
        }),
      write: (channel, entries) =>
        run('channelAuth.write', async () => {
          const ops = Object.entries(entries).map(([key, value]) => {
            const _id = `${channel}\u0000${key}`;
            return value === null
              ? { deleteOne: { filter: { _id } } }
              : { updateOne: { filter: { _id }, update: { $set: { channel, value } }, upsert: true } };
          });
          // Ordered: applied in turn; a failure throws before Baileys is told the keys are saved.
          if (ops.length > 0) await m.ChannelAuth.bulkWrite(ops as never, { ordered: true });
        }),
      clear: (channel) => run('channelAuth.clear', async () => void (await m.ChannelAuth.deleteMany({ channel }))),
    },
    reminders: mongoReminders(m, run),
    ping: () => run('ping', async () => void (await connection.db!.admin().ping())),
    close: () => run('close', () => connection.close()),
  };
}
