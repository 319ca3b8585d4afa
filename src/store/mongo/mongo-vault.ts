import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import mongoose from 'mongoose';
import type { ProofKind, VaultItem, VaultStore } from '../ports.js';
import { VAULT_BUCKET, type Models } from './schemas.js';

/** Files looked at per round when sweeping orphans. */
const ORPHAN_PAGE = 500;

type Run = <T>(operation: string, fn: () => Promise<T>) => Promise<T>;

interface VaultDoc {
  _id: string;
  caseId: string;
  kind?: string | null;
  documentDate?: string | null;
  mimeType: string;
  size: number;
  sha256: string;
  receivedAt: number;
  channel: string;
  senderId?: string | null;
}

const toItem = (d: VaultDoc): VaultItem => ({
  id: d._id,
  caseId: d.caseId,
  kind: (d.kind ?? null) as ProofKind | null,
  documentDate: d.documentDate ?? null,
  mimeType: d.mimeType as VaultItem['mimeType'],
  size: d.size,
  sha256: d.sha256,
  receivedAt: d.receivedAt,
  channel: d.channel as VaultItem['channel'],
  senderId: d.senderId ?? null,
});

/**
 * The list order, the same rule as the SQLite adapter: items with a document
 * date first, by document date, then by time received; then items not yet
 * described, by time received; ties by id.
 */
export function compareVaultItems(a: VaultItem, b: VaultItem): number {
  if ((a.documentDate === null) !== (b.documentDate === null)) return a.documentDate === null ? 1 : -1;
  if (a.documentDate !== null && b.documentDate !== null && a.documentDate !== b.documentDate) return a.documentDate < b.documentDate ? -1 : 1;
  if (a.receivedAt !== b.receivedAt) return a.receivedAt - b.receivedAt;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Sealed bytes in GridFS, one file per vault item whose `_id` (and filename)
 * is the item id. GridFS takes any `_id`; the driver's types only say ObjectId.
 */
export function vaultBlobs(db: mongoose.mongo.Db) {
  const bucket = new mongoose.mongo.GridFSBucket(db, { bucketName: VAULT_BUCKET });
  const fileId = (id: string) => id as unknown as mongoose.mongo.ObjectId;
  const files = db.collection<{ _id: string }>(`${VAULT_BUCKET}.files`);
  const chunks = db.collection<{ files_id: string }>(`${VAULT_BUCKET}.chunks`);
  return {
    async upload(id: string, bytes: Uint8Array): Promise<void> {
      const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      await pipeline(Readable.from([buffer]), bucket.openUploadStreamWithId(fileId(id), id));
    },
    /** Undefined when there is no such file. */
    async download(id: string): Promise<Uint8Array | undefined> {
      const parts: Buffer[] = [];
      try {
        for await (const part of bucket.openDownloadStream(fileId(id))) parts.push(part as Buffer);
      } catch (error) {
        if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
        throw error;
      }
      const whole = Buffer.concat(parts);
      return new Uint8Array(whole.buffer, whole.byteOffset, whole.byteLength);
    },
    /**
     * Remove the files of these items, chunks first: a crash half-way leaves
     * a file entry whose retry of the same delete finishes the job, never
     * chunks that nothing names.
     */
    /** Ids of files uploaded before `before`, oldest first, a page at a time. */
    async uploadedBefore(before: number, after: string | null, limit: number): Promise<string[]> {
      const query = after === null ? { uploadDate: { $lt: new Date(before) } } : { uploadDate: { $lt: new Date(before) }, _id: { $gt: after } };
      return (await files.find(query, { projection: { _id: 1 } }).sort({ _id: 1 }).limit(limit).toArray()).map((f) => f._id);
    },
    async remove(ids: readonly string[]): Promise<void> {
      if (ids.length === 0) return;
      await chunks.deleteMany({ files_id: { $in: [...ids] } });
      await files.deleteMany({ _id: { $in: [...ids] } });
    },
  };
}

export type VaultBlobs = ReturnType<typeof vaultBlobs>;

/**
 * The proof vault on MongoDB: metadata in `vault_items`, sealed bytes in
 * GridFS. A put uploads the bytes first and then inserts the metadata, so an
 * item is never listed without its bytes; a crash between the two leaves a
 * file no item names, which the retried put (same item id) replaces. Two puts
 * of the same item at the same moment do not happen: the message that
 * carries the file is claimed once (ProcessedMessageStore).
 */
export function mongoVault(m: Models, blobs: VaultBlobs, run: Run): VaultStore {
  return {
    put: (item, sealed) =>
      run('vault.put', async () => {
        if (await m.VaultItem.exists({ _id: item.id })) return false;
        await blobs.remove([item.id]);
        await blobs.upload(item.id, sealed);
        try {
          await m.VaultItem.create({
            _id: item.id,
            caseId: item.caseId,
            kind: item.kind,
            documentDate: item.documentDate,
            mimeType: item.mimeType,
            size: item.size,
            sha256: item.sha256,
            receivedAt: item.receivedAt,
            channel: item.channel,
            senderId: item.senderId,
          });
          return true;
        } catch (error) {
          if ((error as { code?: unknown }).code === 11000) return false;
          throw error;
        }
      }),
    describe: (id, kind, documentDate) =>
      run('vault.describe', async () => (await m.VaultItem.updateOne({ _id: id }, { $set: { kind, documentDate } })).matchedCount === 1),
    get: (id) =>
      run('vault.get', async () => {
        const doc = await m.VaultItem.findById(id).lean();
        return doc ? toItem(doc as VaultDoc) : undefined;
      }),
    list: (caseId) =>
      run('vault.list', async () => (await m.VaultItem.find({ caseId }).lean()).map((d) => toItem(d as VaultDoc)).sort(compareVaultItems)),
    readSealed: (id) =>
      run('vault.readSealed', async () => {
        if (!(await m.VaultItem.exists({ _id: id }))) return undefined;
        return blobs.download(id);
      }),
    sentSince: (senderId, since) =>
      run('vault.sentSince', async () => {
        const sizes = await m.VaultItem.find({ senderId, receivedAt: { $gte: since } }, { size: 1 }).lean();
        return { files: sizes.length, bytes: sizes.reduce((sum, d) => sum + Number(d.size), 0) };
      }),
    delete: (id) =>
      run('vault.delete', async () => {
        if (!(await m.VaultItem.exists({ _id: id }))) return false;
        // The bytes first: a crash leaves the item listed, and deleting it again finishes.
        await blobs.remove([id]);
        return (await m.VaultItem.deleteOne({ _id: id })).deletedCount === 1;
      }),
    pruneOrphans: (before) =>
      run('vault.pruneOrphans', async () => {
        // A page at a time, so that a large bucket is never read into memory at once.
        let removed = 0;
        let after: string | null = null;
        for (;;) {
          const ids = await blobs.uploadedBefore(before, after, ORPHAN_PAGE);
          if (ids.length === 0) return removed;
          const named = new Set((await m.VaultItem.find({ _id: { $in: ids } }, { _id: 1 }).lean()).map((d) => String(d._id)));
          const orphans = ids.filter((id) => !named.has(id));
          await blobs.remove(orphans);
          removed += orphans.length;
          after = ids[ids.length - 1]!;
        }
      }),
  };
}
