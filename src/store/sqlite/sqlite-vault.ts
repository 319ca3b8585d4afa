import type { Database } from 'better-sqlite3';
import type { ProofKind, VaultItem, VaultStore } from '../ports.js';

interface ItemRow {
  id: string;
  case_id: string;
  kind: string | null;
  document_date: string | null;
  mime_type: string;
  size: number;
  sha256: string;
  received_at: number;
  channel: string;
  sender_id: string | null;
}

type Run = <T>(operation: string, fn: () => T) => Promise<T>;

/** Every column but the sealed blob: listing never loads file contents. */
const COLUMNS = 'id, case_id, kind, document_date, mime_type, size, sha256, received_at, channel, sender_id';

const toItem = (row: ItemRow): VaultItem => ({
  id: row.id,
  caseId: row.case_id,
  kind: row.kind as ProofKind | null,
  documentDate: row.document_date,
  mimeType: row.mime_type as VaultItem['mimeType'],
  size: row.size,
  sha256: row.sha256,
  receivedAt: row.received_at,
  channel: row.channel as VaultItem['channel'],
  senderId: row.sender_id,
});

/**
 * The proof vault on SQLite: metadata and the sealed bytes in one row, the
 * blob last so that reading metadata never touches its overflow pages.
 *
 * List order (the same rule in every adapter): items with a document date
 * first, by document date, then by time received; then items not yet
 * described, by time received; ties by id.
 */
export function sqliteVault(db: Database, run: Run): VaultStore {
  const q = {
    put: db.prepare(
      `INSERT INTO vault_items (id, case_id, kind, document_date, mime_type, size, sha256, received_at, channel, sender_id, sealed)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    ),
    describe: db.prepare('UPDATE vault_items SET kind = ?, document_date = ? WHERE id = ?'),
    get: db.prepare<[string], ItemRow>(`SELECT ${COLUMNS} FROM vault_items WHERE id = ?`),
    list: db.prepare<[string], ItemRow>(
      `SELECT ${COLUMNS} FROM vault_items WHERE case_id = ? ORDER BY document_date IS NULL, document_date, received_at, id`,
    ),
    readSealed: db.prepare<[string], { sealed: Buffer }>('SELECT sealed FROM vault_items WHERE id = ?'),
    delete: db.prepare('DELETE FROM vault_items WHERE id = ?'),
    sentSince: db.prepare<[string, number], { files: number; bytes: number }>(
      'SELECT COUNT(*) AS files, COALESCE(SUM(size), 0) AS bytes FROM vault_items WHERE sender_id = ? AND received_at >= ?',
    ),
  };
  return {
    put: (item, sealed) =>
      run('vault.put', () => {
        const blob = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
        return (
          q.put.run(item.id, item.caseId, item.kind, item.documentDate, item.mimeType, item.size, item.sha256, item.receivedAt, item.channel, item.senderId, blob)
            .changes === 1
        );
      }),
    describe: (id, kind, documentDate) => run('vault.describe', () => q.describe.run(kind, documentDate, id).changes === 1),
    get: (id) =>
      run('vault.get', () => {
        const row = q.get.get(id);
        return row ? toItem(row) : undefined;
      }),
    list: (caseId) => run('vault.list', () => q.list.all(caseId).map(toItem)),
    readSealed: (id) =>
      run('vault.readSealed', () => {
        const row = q.readSealed.get(id);
        return row ? new Uint8Array(row.sealed.buffer, row.sealed.byteOffset, row.sealed.byteLength) : undefined;
      }),
    delete: (id) => run('vault.delete', () => q.delete.run(id).changes === 1),
    sentSince: (senderId, since) => run('vault.sentSince', () => q.sentSince.get(senderId, since)!),
    // The bytes live in the item's own row: a put writes both or neither.
    pruneOrphans: async () => 0,
  };
}
