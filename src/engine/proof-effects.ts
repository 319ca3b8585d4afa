import type { Intent, ProofSummary } from '../../machines/lib/intents.js';
import { PROOF_KIND_LABELS } from '../../machines/proof-describe.machine.js';
import type { EvidenceEntry, EvidenceInput } from '../documents/evidence-file.js';
import type { MadeDocument } from '../documents/make-document.js';
import type { Store, VaultItem } from '../store/ports.js';
import type { Vault } from '../vault/vault.js';
import { callLogsOf, recordId } from './call-log-effects.js';
import type { EffectContext } from './effect-context.js';

export type ProofIntent = Extract<Intent, { type: 'list-proofs' | 'describe-proof' | 'send-proof' | 'delete-proof' | 'make-evidence-file' }>;

export interface ProofEffectDeps {
  readonly store: Store;
  readonly vault: Vault;
  readonly evidence: (input: EvidenceInput) => Promise<MadeDocument>;
  /** The calendar day of an instant, in Guichet's time zone. */
  readonly localDay: (epoch: number) => string;
}

/** What the person is told when the vault refuses a file. */
export const REFUSALS = {
  'too-large': 'attachment.too_large',
  unsupported: 'attachment.unsupported',
  'case-full': 'proof.case_full',
  'day-full': 'proof.day_full',
} as const;

/** Photo bytes one evidence file reproduces at most (the others are listed with their fingerprints). */
export const EVIDENCE_MAX_IMAGE_BYTES = 40 * 1024 * 1024;

/** Frames above which a newly received file is kept without opening its questions (a burst of photos). */
const MAX_FRAMES_FOR_QUESTIONS = 6;

/**
 * A file sent in the chat: kept in the vault of the case the person is
 * working on, then described. Returns the id of the stored item, or
 * undefined when it was refused (and the person was told why).
 */
export async function receiveProof(deps: ProofEffectDeps, ctx: EffectContext, bytes: Uint8Array, frames: number): Promise<string | undefined> {
  const caseId = await ctx.caseId();
  const result = await deps.vault.keep({
    id: recordId('proof', ctx.personId, ctx.messageKey),
    caseId,
    bytes,
    channel: ctx.from.channel,
    senderId: ctx.personId,
    receivedAt: ctx.now,
  });
  if (!result.kept) {
    ctx.say({ key: REFUSALS[result.problem] });
    return undefined;
  }
  if (result.duplicate) {
    // Sent again: kept once, and no questions about it a second time.
    ctx.say({ key: 'proof.duplicate', params: { date: { date: deps.localDay(result.item.receivedAt) } } });
    return undefined;
  }
  await ctx.activity('proof');
  if (frames >= MAX_FRAMES_FOR_QUESTIONS) {
    ctx.say({ key: 'proof.kept_undescribed' });
    return undefined;
  }
  ctx.say({ key: 'proof.received' });
  return result.item.id;
}

export async function runProofEffect(deps: ProofEffectDeps, ctx: EffectContext, intent: ProofIntent): Promise<void> {
  const { store, vault } = deps;
  switch (intent.type) {
    case 'list-proofs': {
      const items = (await store.vault.list(await ctx.caseId())).map((item): ProofSummary => ({ id: item.id, kind: item.kind, date: dateOf(deps, item) }));
      return ctx.deliver({ type: 'PROOFS', items, today: ctx.today });
    }
    case 'describe-proof': {
      const item = await itemInCase(store, ctx, intent.itemId);
      if (!item) return;
      await vault.describe(item.id, intent.kind, intent.date);
      // The fingerprint itself belongs in the evidence file, not on a small screen.
      ctx.say({ key: 'proof.kept', params: { kind: { key: PROOF_KIND_LABELS[intent.kind] }, date: { date: intent.date } } });
      return;
    }
    case 'send-proof': {
      const item = await itemInCase(store, ctx, intent.itemId);
      if (!item) return;
      const bytes = await vault.open(item).catch(() => undefined);
      // Damaged storage or a wrong key: say so plainly rather than fail the whole turn.
      if (bytes) ctx.file({ fileName: fileNameOf(deps, item), bytes, mimeType: item.mimeType });
      else ctx.say({ key: 'proofs.damaged' });
      return;
    }
    case 'delete-proof': {
      const item = await itemInCase(store, ctx, intent.itemId);
      if (!item) return;
      // A helper may take back what they sent, never what the owner or another helper did.
      if ((await ctx.role()) !== 'owner' && item.senderId !== ctx.personId) {
        ctx.say({ key: 'proofs.delete_not_yours' });
        return;
      }
      if (await store.vault.delete(item.id)) {
        ctx.say({ key: 'proofs.deleted' });
        // The owner sees it in the case's activity (their own deletions are not logged).
        await ctx.activity('proof-deleted');
      }
      return;
    }
    case 'make-evidence-file': {
      const document = await deps.evidence(await evidenceOf(deps, await ctx.caseId(), ctx.today));
      ctx.file({ ...document, mimeType: 'application/pdf' });
      ctx.say({ key: 'proofs.evidence_ready' });
      await ctx.activity('document');
      return;
    }
  }
}

/** Everything recorded in a case, with the originals opened, for the evidence file. */
export async function evidenceOf(deps: ProofEffectDeps, caseId: string, today: string, maxImageBytes = EVIDENCE_MAX_IMAGE_BYTES): Promise<EvidenceInput> {
  const { store, vault } = deps;
  const entries: EvidenceEntry[] = [];
  for (const log of await callLogsOf(store, caseId)) entries.push({ kind: 'call', log });
  for (const record of await store.cases.listRecords(caseId, 'letter-posted')) {
    const date = (record.data as { date?: unknown }).date;
    if (typeof date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(date)) entries.push({ kind: 'letter-posted', date });
  }
  // Only photos the PDF can reproduce are opened, up to what one document may hold: the
  // evidence file of a full case stays a file that can be sent, and memory stays bounded.
  let opened = 0;
  for (const item of await store.vault.list(caseId)) {
    if (item.mimeType !== 'image/jpeg' && item.mimeType !== 'image/png') {
      entries.push({ kind: 'proof', item, bytes: null });
      continue;
    }
    if (opened + item.size > maxImageBytes) {
      entries.push({ kind: 'proof', item, bytes: null, omitted: true });
      continue;
    }
    // A file that cannot be opened (damaged storage) is still listed, with its fingerprint.
    const bytes = await vault.open(item).catch(() => null);
    if (bytes) opened += bytes.length;
    entries.push({ kind: 'proof', item, bytes });
  }
  return { generatedOn: today, entries };
}

/** Only an item of the case the person is working on: ids from elsewhere are ignored. */
async function itemInCase(store: Store, ctx: EffectContext, itemId: string): Promise<VaultItem | undefined> {
  const item = await store.vault.get(itemId);
  return item && item.caseId === (await ctx.caseId()) ? item : undefined;
}

function dateOf(deps: Pick<ProofEffectDeps, 'localDay'>, item: VaultItem): string {
  return item.documentDate ?? deps.localDay(item.receivedAt);
}

const EXTENSIONS: Record<VaultItem['mimeType'], string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/heic': 'heic',
  'application/pdf': 'pdf',
};

export function fileNameOf(deps: Pick<ProofEffectDeps, 'localDay'>, item: VaultItem): string {
  return `preuve-${dateOf(deps, item)}-${item.sha256.slice(0, 8)}.${EXTENSIONS[item.mimeType]}`;
}
