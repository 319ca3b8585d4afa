import { createHash } from 'node:crypto';
import type { ChannelName } from '../messages.js';
import type { ProofKind, Store, VaultItem } from '../store/ports.js';
import { openSealed, sealBytes } from './vault-cipher.js';
import { sniffProofType } from './sniff-type.js';

export type KeepResult =
  /** `duplicate`: the same bytes were already in this case; the item kept then is returned. */
  | { readonly kept: true; readonly item: VaultItem; readonly duplicate?: boolean }
  /**
   * Not a JPEG, PNG, WebP, HEIC or PDF by its content (whatever its name said), larger than
   * allowed, or over a quota: the case holds as much as it may, or its sender sent as much as a day allows.
   */
  | { readonly kept: false; readonly problem: 'unsupported' | 'too-large' | 'case-full' | 'day-full' };

/**
 * How much one case and one sender may fill: what a real case needs — dozens
 * of photos of receipts and letters — and far from what a script could send.
 */
export interface VaultQuota {
  readonly filesPerCase: number;
  readonly bytesPerCase: number;
  readonly filesPerDay: number;
  readonly bytesPerDay: number;
}

export const DEFAULT_VAULT_QUOTA: VaultQuota = { filesPerCase: 200, bytesPerCase: 500 * 1024 * 1024, filesPerDay: 50, bytesPerDay: 200 * 1024 * 1024 };
const DAY_MS = 24 * 3600_000;

/**
 * The proof vault: files people send as proof, checked by content, sealed
 * with AES-256-GCM before they reach the store, and opened only for a person
 * linked to their case. The store never holds plaintext.
 */
export class Vault {
  constructor(
    private readonly store: Store,
    private readonly key: Buffer,
    private readonly maxBytes: number,
    private readonly quota: VaultQuota = DEFAULT_VAULT_QUOTA,
  ) {}

  /**
   * Seal and store one file. `id` is chosen by the caller from the message, so
   * a retried turn stores it once; nothing is stored when the file is refused.
   */
  async keep(file: { readonly id: string; readonly caseId: string; readonly bytes: Uint8Array; readonly channel: ChannelName; readonly senderId: string; readonly receivedAt: number }): Promise<KeepResult> {
    if (file.bytes.length > this.maxBytes) return { kept: false, problem: 'too-large' };
    const mimeType = sniffProofType(file.bytes);
    if (!mimeType) return { kept: false, problem: 'unsupported' };
    const sha256 = createHash('sha256').update(file.bytes).digest('hex');
    const inCase = await this.store.vault.list(file.caseId);
    // The same file twice (sent again, or a retried turn): kept once.
    const same = inCase.find((i) => i.sha256 === sha256);
    if (same) return { kept: true, item: same, duplicate: same.id !== file.id };
    const caseBytes = inCase.reduce((sum, i) => sum + i.size, 0);
    if (inCase.length >= this.quota.filesPerCase || caseBytes + file.bytes.length > this.quota.bytesPerCase) return { kept: false, problem: 'case-full' };
    const sent = await this.store.vault.sentSince(file.senderId, file.receivedAt - DAY_MS);
    if (sent.files >= this.quota.filesPerDay || sent.bytes + file.bytes.length > this.quota.bytesPerDay) return { kept: false, problem: 'day-full' };
    const item: VaultItem = {
      id: file.id,
      caseId: file.caseId,
      kind: null,
      documentDate: null,
      mimeType,
      size: file.bytes.length,
      sha256,
      receivedAt: file.receivedAt,
      channel: file.channel,
      senderId: file.senderId,
    };
    // Already there (a retried turn): the stored item is the one that counts.
    if (await this.store.vault.put(item, sealBytes(this.key, item.id, file.bytes))) return { kept: true, item };
    return { kept: true, item: (await this.store.vault.get(item.id)) ?? item };
  }

  describe(id: string, kind: ProofKind, documentDate: string): Promise<boolean> {
    return this.store.vault.describe(id, kind, documentDate);
  }

  /** The original bytes, checked against the fingerprint taken when they arrived. */
  async open(item: VaultItem): Promise<Uint8Array> {
    const sealed = await this.store.vault.readSealed(item.id);
    if (!sealed) throw new Error('vault item has no stored file');
    const bytes = openSealed(this.key, item.id, sealed);
    if (createHash('sha256').update(bytes).digest('hex') !== item.sha256) throw new Error('vault item does not match its fingerprint');
    return bytes;
  }
}
