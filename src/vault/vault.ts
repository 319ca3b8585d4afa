import { createHash } from 'node:crypto';
import type { ChannelName } from '../messages.js';
import type { ProofKind, Store, VaultItem } from '../store/ports.js';
import { openSealed, sealBytes } from './vault-cipher.js';
import { sniffProofType } from './sniff-type.js';

export type KeepResult =
  | { readonly kept: true; readonly item: VaultItem }
  /** Not a JPEG, PNG, WebP, HEIC or PDF by its content (whatever its name said), or larger than allowed. */
  | { readonly kept: false; readonly problem: 'unsupported' | 'too-large' };

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
  ) {}

  /**
   * Seal and store one file. `id` is chosen by the caller from the message, so
   * a retried turn stores it once; nothing is stored when the file is refused.
   */
  async keep(file: { readonly id: string; readonly caseId: string; readonly bytes: Uint8Array; readonly channel: ChannelName; readonly senderId: string; readonly receivedAt: number }): Promise<KeepResult> {
    if (file.bytes.length > this.maxBytes) return { kept: false, problem: 'too-large' };
    const mimeType = sniffProofType(file.bytes);
    if (!mimeType) return { kept: false, problem: 'unsupported' };
    const item: VaultItem = {
      id: file.id,
      caseId: file.caseId,
      kind: null,
      documentDate: null,
      mimeType,
      size: file.bytes.length,
      sha256: createHash('sha256').update(file.bytes).digest('hex'),
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
