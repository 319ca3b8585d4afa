import { describe, expect, it } from 'vitest';
import mongoose from 'mongoose';
import { openMongoStore } from '../../src/store/mongo/mongo-store.js';
import pino from 'pino';
import { pruneDaily } from '../../src/retention/daily-prune.js';
import { compareVaultItems, vaultBlobs } from '../../src/store/mongo/mongo-vault.js';
import { defineModels, VAULT_BUCKET, LEGACY_OWN_CASE_INDEX, OWN_CASE_KEY_INDEX, PARTIAL_OWN_CASE_INDEX } from '../../src/store/mongo/schemas.js';
import type { VaultItem } from '../../src/store/ports.js';
import { defineStoreContract } from './store-contract.js';
import { dropMongoDb, freshMongoUri, MONGODB_BASE_URI, noticeMongoSkipped, withMongoDb } from '../helpers/mongo-db.js';

/**
 * Runs the same contract against MongoDB when MONGODB_URI is set (for example
 * `docker compose up mongo` and MONGODB_URI=mongodb://localhost:27017). Each
 * test gets its own database, dropped afterwards.
 */
const baseUri = MONGODB_BASE_URI;

/** A document as plain JSON values: binary data (GridFS chunks) as hex, ObjectIds as hex, dates as ISO text. */
function plain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object' && value !== null) {
    const bsontype = (value as { _bsontype?: unknown })._bsontype;
    if (bsontype === 'Binary') return (value as mongoose.mongo.Binary).toString('hex');
    if (bsontype === 'ObjectId') return (value as mongoose.mongo.ObjectId).toHexString();
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

if (baseUri) {
  defineStoreContract('mongodb', async () => {
    const uri = freshMongoUri(baseUri);
    const withDb = <T>(fn: (db: mongoose.mongo.Db) => Promise<T>) => withMongoDb(uri, fn);
    return {
      open: () => openMongoStore(uri),
      destroy: () => withDb((db) => db.dropDatabase().then(() => undefined)),
      dump: () =>
        withDb(async (db) => {
          const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
          const parts: string[] = [];
          for (const name of names) {
            const docs = await db.collection(name).find().toArray();
            parts.push([`## ${name}`, ...docs.map((d) => JSON.stringify(plain(d)))].join('\n'));
          }
          return parts.join('\n');
        }),
      addIdentity: (personId, channel, address) =>
        withDb(async (db) => void (await db.collection('identities').insertOne({ channel, address, personId, unreachableSince: null, lastSeenAt: null }))),
    };
  });
  describe('mongodb vault: a put that stopped between its two writes', () => {
    it('leaves bytes no item names, which the daily prune removes once they are a day old, and only those', async () => {
      const uri = freshMongoUri(baseUri);
      const store = await openMongoStore(uri);
      const connection = await mongoose.createConnection(uri).asPromise();
      try {
        const personId = await store.people.resolveIdentity('telegram', 'orphan-owner', 1);
        const caseId = await store.cases.ensureOwnCase(personId, 1);
        const item: VaultItem = { id: 'named', caseId, kind: 'postal-receipt', documentDate: null, mimeType: 'image/jpeg', size: 3, sha256: 'ab'.repeat(32), receivedAt: 1, channel: 'telegram', senderId: personId };
        expect(await store.vault.put(item, new Uint8Array([1, 2, 3]))).toBe(true);
        // The bytes of a put whose process stopped before the item was written.
        const blobs = vaultBlobs(connection.db!);
        await blobs.upload('stopped-put', new Uint8Array(300 * 1024).fill(9));
        const chunks = connection.db!.collection(`${VAULT_BUCKET}.chunks`);
        expect(await chunks.countDocuments({ files_id: 'stopped-put' as never })).toBeGreaterThan(0);
        // Not yet a day old: it may be a put in progress.
        expect(await pruneDaily(store, pino({ level: 'silent' }), Date.now())).toMatchObject({ orphanFiles: 0 });
        expect(await blobs.download('stopped-put')).toBeDefined();
        const aDayLater = Date.now() + 24 * 3600_000 + 1000;
        expect(await pruneDaily(store, pino({ level: 'silent' }), aDayLater)).toMatchObject({ orphanFiles: 1 });
        expect(await blobs.download('stopped-put')).toBeUndefined();
        expect(await chunks.countDocuments({ files_id: 'stopped-put' as never })).toBe(0);
        expect(await store.vault.readSealed('named')).toEqual(new Uint8Array([1, 2, 3]));
        // The retried put of that same item still works after the sweep.
        expect(await store.vault.put({ ...item, id: 'stopped-put' }, new Uint8Array([4]))).toBe(true);
        expect(await pruneDaily(store, pino({ level: 'silent' }), aDayLater)).toMatchObject({ orphanFiles: 0 });
      } finally {
        await connection.db!.dropDatabase();
        await connection.close();
        await store.close();
      }
    });
  });
  describe('mongodb reminders: claim records', () => {
    it('are pruned by the daily job once their lease is days old; send records stay with their reminder', async () => {
      const uri = freshMongoUri(baseUri);
      const store = await openMongoStore(uri);
      try {
        const personId = await store.people.resolveIdentity('telegram', 'claims', 1);
        const caseId = await store.cases.ensureOwnCase(personId, 1);
        const now = Date.now();
        const base = { caseId, personId, dateKind: 'permit-expiry' as const, dateVersion: 'v1', channel: 'telegram' as const, address: '42', textKey: 'reminders.expiry_day', params: {} };
        await store.reminders.replaceNudges(caseId, 'permit-expiry', [{ ...base, id: 'one', dueAt: now - 1000 }, { ...base, id: 'two', dueAt: now - 1000 }]);
        await store.reminders.claimDue(now, now + 60_000, 5, 'a');
        expect(await store.reminders.markSending('one', 'a')).toBe(true);
        const marks = () => withMongoDb(uri, async (db) => (await db.collection<{ _id: string }>('nudge_sends').find().toArray()).map((d) => d._id).sort());
        expect(await marks()).toEqual(['claim:one:0', 'claim:two:0', 'send:one']);
        expect(await pruneDaily(store, pino({ level: 'silent' }), now)).toMatchObject({ claimRecords: 0 });
        expect(await pruneDaily(store, pino({ level: 'silent' }), now + 3 * 24 * 3600_000)).toMatchObject({ claimRecords: 2 });
        expect(await marks()).toEqual(['send:one']);
      } finally {
        await store.close();
        await dropMongoDb(uri);
      }
    });
  });
} else {
  noticeMongoSkipped('MongoDB store contract');
  describe('store contract: mongodb', () => {
    it.skip('needs MONGODB_URI to run against a real MongoDB server', () => undefined);
  });
}

/** What can be checked of the MongoDB adapter without a server. */
describe('mongodb schemas and ordering (no server needed)', () => {
  const declared = () => {
    const connection = mongoose.createConnection();
    const models = defineModels(connection);
    void connection.close();
    return Object.fromEntries(Object.entries(models).map(([name, model]) => [name, model.schema.indexes()]));
  };
  const defaultName = (keys: Record<string, unknown>) => Object.entries(keys).map(([k, v]) => `${k}_${String(v)}`).join('_');

  it('declares one own case per owner as a plain unique index (no partial index, which FerretDB lacks), never a name dropped at open', () => {
    const indexes = declared();
    const names = Object.values(indexes).flatMap((list) => list.map(([keys, options]) => (options['name'] as string | undefined) ?? defaultName(keys)));
    expect(names.filter((n) => n === LEGACY_OWN_CASE_INDEX || n === PARTIAL_OWN_CASE_INDEX)).toEqual([]);
    expect(indexes['Case']).toContainEqual([{ ownKey: 1 }, { unique: true, name: OWN_CASE_KEY_INDEX }]);
    // Nothing any server would refuse or silently ignore: no partial or TTL index anywhere.
    for (const list of Object.values(indexes)) for (const [, options] of list) expect(Object.keys(options)).not.toEqual(expect.arrayContaining(['partialFilterExpression']));
    for (const list of Object.values(indexes)) for (const [, options] of list) expect(options['expireAfterSeconds']).toBeUndefined();
  });

  it('indexes every field an erasure looks people and cases up by', () => {
    const indexes = declared();
    const leading = (model: string) => (indexes[model] ?? []).map(([keys]) => Object.keys(keys)[0]);
    expect(leading('Person')).toContain('activeCaseId');
    expect(leading('Identity')).toContain('personId');
    expect(leading('Nudge')).toEqual(expect.arrayContaining(['caseId', 'personId']));
    expect(leading('CaseHelper')).toEqual(expect.arrayContaining(['caseId', 'personId']));
    expect(leading('CaseActivity')).toEqual(expect.arrayContaining(['caseId', 'personId']));
    expect(leading('VaultItem')).toEqual(expect.arrayContaining(['caseId', 'senderId']));
    expect(leading('LinkCode')).toContain('helperId');
    // Wrong code tries are kept by sending identity and outlive an erasure; they are pruned by time.
    expect(leading('LinkTry')).toEqual(expect.arrayContaining(['who', 'at']));
    expect(leading('CaseDate')).toContain('caseId');
    expect(leading('CaseRecord')).toContain('caseId');
    expect(leading('Case')).toEqual(expect.arrayContaining(['ownerId', 'lastActiveAt']));
  });

  it('orders vault items as the SQLite adapter does', () => {
    const item = (id: string, receivedAt: number, documentDate: string | null): VaultItem => ({
      id,
      caseId: 'c',
      kind: documentDate ? 'other' : null,
      documentDate,
      mimeType: 'image/png',
      size: 1,
      sha256: '',
      receivedAt,
      channel: 'telegram',
      senderId: null,
    });
    const items = [item('a', 30, null), item('b', 10, null), item('c', 20, '2026-05-01'), item('d', 40, '2026-01-15'), item('e', 50, '2026-05-01'), item('f', 10, null)];
    expect(items.sort(compareVaultItems).map((i) => i.id)).toEqual(['d', 'c', 'e', 'b', 'f', 'a']);
  });
});
