import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { RevisionConflictError, StoreError } from '../../errors.js';
import { isLanguage } from '../../../machines/lib/intents.js';
import type { ChannelName } from '../../messages.js';
import type { ConversationState, Store } from '../ports.js';
import { defineModels, LEGACY_OWN_CASE_INDEX, ownKeyOf, PARTIAL_OWN_CASE_INDEX, PROCESSED_AT_INDEX, type Models } from './schemas.js';
import { mongoCaseEraser, mongoCases } from './mongo-cases.js';
import { mongoHandoffEraser, mongoHandoffs } from './mongo-handoffs.js';
import { mongoLinks } from './mongo-links.js';
import { mongoSms } from './mongo-sms.js';
import { mongoReminders } from './mongo-reminders.js';
import { mongoVault, vaultBlobs } from './mongo-vault.js';

const DUPLICATE_KEY = 11000;
/** Message keys kept in each conversation document: enough for any redelivery, whose key is also in `processed`. */
const HANDLED_KEPT = 50;

function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === DUPLICATE_KEY;
}

/** Server codes for a collection or an index that is not there. */
const NAMESPACE_NOT_FOUND = 26;
const INDEX_NOT_FOUND = 27;

/**
 * Bring documents written by an older Guichet up to date, before any index is
 * built: the legacy unique index on `cases.ownerId` would forbid cases held on
 * someone's behalf, and the partial unique index that replaces it only covers
 * cases that say `onBehalf: false`. Each step is idempotent.
 */
async function upgrade(db: mongoose.mongo.Db, m: Models): Promise<void> {
  // The driver's collections directly: no mongoose casting or buffering in the way.
  const cases = db.collection(m.Case.collection.collectionName);
  const identities = db.collection(m.Identity.collection.collectionName);
  const conversations = db.collection(m.Conversation.collection.collectionName);
  for (const name of [LEGACY_OWN_CASE_INDEX, PARTIAL_OWN_CASE_INDEX]) {
    try {
      await cases.dropIndex(name);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code !== INDEX_NOT_FOUND && code !== NAMESPACE_NOT_FOUND) throw error;
    }
  }
  // The message claims' TTL index of earlier versions: the daily prune does its work now.
  const processed = db.collection(m.ProcessedMessage.collection.collectionName);
  const ttl = (await processed.indexes().catch(() => [])).find((index) => index.name === PROCESSED_AT_INDEX && index.expireAfterSeconds !== undefined);
  if (ttl) await processed.dropIndex(PROCESSED_AT_INDEX);
  await cases.updateMany({ onBehalf: { $exists: false } }, { $set: { onBehalf: false } });
  for await (const old of cases.find({ ownKey: { $exists: false } }, { projection: { ownerId: 1, onBehalf: 1 } })) {
    await cases.updateOne({ _id: old._id }, { $set: { ownKey: ownKeyOf(old as unknown as { _id: string; ownerId: string; onBehalf?: boolean }) } });
  }
  // One document at a time rather than an update pipeline ($set: '$createdAt'), which
  // FerretDB 1.x does not implement; this runs once, on cases older than the field.
  for await (const old of cases.find({ lastActiveAt: { $exists: false } }, { projection: { createdAt: 1 } })) {
    await cases.updateOne({ _id: old._id }, { $set: { lastActiveAt: old['createdAt'] ?? 0 } });
  }
  // Identities from before `lastSeenAt`: a person had one identity and every
  // message saved their conversation, so its last save is when they last wrote.
  // New identities always carry the field (null or a time), so this runs once.
  for await (const identity of identities.find({ lastSeenAt: { $exists: false } }, { projection: { personId: 1 } })) {
    const conversation = await conversations.findOne({ _id: identity['personId'] }, { projection: { updatedAt: 1 } });
    await identities.updateOne({ _id: identity._id }, { $set: { lastSeenAt: conversation?.['updatedAt'] ?? null } });
  }
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
  // autoIndex off: indexes are built below, once `upgrade` has made old documents fit them.
  const connection = await run('connect', () => mongoose.createConnection(uri, { serverSelectionTimeoutMS: 10_000, autoIndex: false }).asPromise());
  const m = defineModels(connection);
  await run('upgrade', () => upgrade(connection.db!, m));
  await run('init indexes', async () => {
    await Promise.all(Object.values(m).map((model) => model.init()));
    await Promise.all(Object.values(m).map((model) => model.createIndexes()));
  });
  const blobs = vaultBlobs(connection.db!);
  const eraseCases = mongoCaseEraser(m, blobs);
  const eraseHandoffs = mongoHandoffEraser(m);

  return {
    kind: 'mongodb',
    conversations: {
      load: (personId) =>
        run('conversations.load', async () => {
          const doc = await m.Conversation.findById(personId).lean();
          let latest: { state: string; rev: number; updatedAt: number } | undefined = doc ?? undefined;
          // A revision won but not yet (or never, after a crash) copied into the document.
          for (;;) {
            const next = await m.ConversationRev.findById(`${personId}:${(latest?.rev ?? 0) + 1}`).lean();
            if (!next) break;
            latest = next;
          }
          if (!latest) return undefined;
          return { personId, state: JSON.parse(latest.state) as ConversationState, rev: latest.rev, updatedAt: latest.updatedAt };
        }),
      save: (personId, state, expectedRev, now, handled) =>
        run('conversations.save', async () => {
          const json = JSON.stringify(state);
          // Without multi-document transactions, the message answered is kept in
          // the conversation document itself, written with the state in one
          // atomic operation; the processed collection is filled afterwards.
          const handledNow = handled === undefined ? [] : [handled];
          if (handled !== undefined && (await m.ProcessedMessage.exists({ _id: handled }))) throw new RevisionConflictError(personId, expectedRev);
          const rev = expectedRev + 1;
          // The revision the turn started from must be the one stored (as a revision, or in the document).
          const previous = expectedRev === 0 ? undefined : await m.ConversationRev.findById(`${personId}:${expectedRev}`, { handled: 1 }).lean();
          const stored = previous ? undefined : await m.Conversation.findById(personId, { handled: 1, rev: 1 }).lean();
          if (expectedRev === 0 ? stored !== null && stored !== undefined : !previous && stored?.rev !== expectedRev) throw new RevisionConflictError(personId, expectedRev);
          const current = previous ?? stored ?? undefined;
          // The same message answered by another process meanwhile: this turn is not saved.
          if (handled !== undefined && current?.handled?.includes(handled)) throw new RevisionConflictError(personId, expectedRev);
          const handledAfter = [...(current?.handled ?? []), ...handledNow].slice(-HANDLED_KEPT);
          // The revision is won by its unique insert: the other writer gets a duplicate key.
          try {
            await m.ConversationRev.create({ _id: `${personId}:${rev}`, personId, rev, state: json, updatedAt: now, handled: handledAfter });
          } catch (error) {
            if (isDuplicateKey(error)) throw new RevisionConflictError(personId, expectedRev);
            throw error;
          }
          await m.Conversation.updateOne({ _id: personId }, { $set: { state: json, rev, updatedAt: now, handled: handledAfter } }, { upsert: true });
          if (expectedRev > 1) await m.ConversationRev.deleteOne({ _id: `${personId}:${expectedRev - 1}` });
          if (handled !== undefined) {
            await m.ProcessedMessage.create({ _id: handled, processedAt: new Date(now) }).catch((error: unknown) => {
              if (!isDuplicateKey(error)) throw error;
            });
          }
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
          await m.Person.create({ _id: candidate, language: null, createdAt: now, activeCaseId: null });
          let winner: string;
          try {
            const doc = await m.Identity.findOneAndUpdate(
              { channel, address },
              { $setOnInsert: { personId: candidate, lastSeenAt: now } },
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
      // One update on the unique (channel, address) index; last-seen never moves back ($max).
      markReachable: (channel, address, now) =>
        run('people.markReachable', async () => void (await m.Identity.updateOne({ channel, address }, { $set: { unreachableSince: null }, $max: { lastSeenAt: now } }))),
      isReachable: (channel, address) =>
        run('people.isReachable', async () => ((await m.Identity.findOne({ channel, address }, { unreachableSince: 1 }).lean())?.unreachableSince ?? null) === null),
      preferredAddress: (personId) =>
        run('people.preferredAddress', async () => {
          // `unreachableSince: null` also matches a missing field; a null last-seen sorts last.
          const doc = await m.Identity.findOne({ personId, unreachableSince: null }, { channel: 1, address: 1 }).sort({ lastSeenAt: -1, channel: 1, address: 1 }).lean();
          return doc ? { channel: doc.channel as ChannelName, address: doc.address } : undefined;
        }),
      lastSeenAt: (personId) =>
        run('people.lastSeenAt', async () => {
          const doc = await m.Identity.findOne({ personId, lastSeenAt: { $ne: null } }, { lastSeenAt: 1 }).sort({ lastSeenAt: -1 }).lean();
          return doc?.lastSeenAt ?? null;
        }),
      identities: (personId) =>
        run('people.identities', async () =>
          (await m.Identity.find({ personId }, { channel: 1, address: 1 }).sort({ channel: 1, address: 1 }).lean()).map((d) => ({ channel: d.channel as ChannelName, address: d.address })),
        ),
      activeCase: (personId) =>
        run('people.activeCase', async () => {
          const caseId = (await m.Person.findById(personId, { activeCaseId: 1 }).lean())?.activeCaseId ?? null;
          // Without transactions a pointer may outlive its case for a moment: only an existing case counts.
          if (caseId === null || !(await m.Case.exists({ _id: caseId }))) return null;
          return caseId;
        }),
      setActiveCase: (personId, caseId) =>
        run('people.setActiveCase', async () => void (await m.Person.updateOne({ _id: personId }, { $set: { activeCaseId: caseId } }))),
      /**
       * No transactions on a standalone MongoDB, so the order is what keeps it
       * safe: the cases the person owns go first (see mongoCaseEraser), then
       * their traces in other people's cases, then what hangs off the person,
       * and the person document last. A crash half-way leaves the person in
       * place with less attached, and deleting them again finishes the job.
       */
      delete: (personId) =>
        run('people.delete', async () => {
          if (!(await m.Person.exists({ _id: personId }))) return false;
          const owned = await m.Case.find({ ownerId: personId }, { _id: 1 }).lean();
          await eraseCases(owned.map((c) => c._id));
          await eraseHandoffs({ personId });
          await m.CaseActivity.updateMany({ personId }, { $set: { personId: null } });
          await m.VaultItem.updateMany({ senderId: personId }, { $set: { senderId: null } });
          await m.Nudge.deleteMany({ personId });
          await m.CaseHelper.deleteMany({ personId });
          await m.LinkCode.deleteMany({ helperId: personId });
          await m.Conversation.deleteOne({ _id: personId });
          await m.ConversationRev.deleteMany({ personId });
          await m.Identity.deleteMany({ personId });
          return (await m.Person.deleteOne({ _id: personId })).deletedCount === 1;
        }),
    },
    cases: mongoCases(m, blobs, run),
    processed: {
      seen: (key) =>
        run(
          'processed.seen',
          async () =>
            (await m.ProcessedMessage.exists({ _id: key })) !== null ||
            (await m.Conversation.exists({ handled: key })) !== null ||
            (await m.ConversationRev.exists({ handled: key })) !== null,
        ),
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
    links: mongoLinks(m, run),
    vault: mongoVault(m, blobs, run),
    handoffs: mongoHandoffs(m, run),
    sms: mongoSms(m, run),
    ping: () => run('ping', async () => void (await connection.db!.admin().ping())),
    close: () => run('close', () => connection.close()),
  };
}
