import { join } from 'node:path';
import { z } from 'zod';
import { CALL_OUTCOMES, EXCLUSION_REASONS, REQUEST_KINDS } from '../../machines/lib/intents.js';
import { PROOF_KINDS } from '../store/ports.js';
import { readJson } from './load-content.js';

/** The French document texts, checked at start-up so a content edit cannot break a document at run time. */
const documentsSchema = z.object({
  call_log: z.object({
    title: z.string().min(1),
    date: z.string().includes('{{date}}'),
    time: z.string().includes('{{time}}'),
    time_unknown: z.string().min(1),
    number: z.string().includes('{{number}}'),
    number_anef: z.string().min(1),
    agent: z.string().includes('{{agent}}'),
    agent_unknown: z.string().min(1),
    outcome: z.string().includes('{{outcome}}'),
    outcomes: z.object(Object.fromEntries(CALL_OUTCOMES.map((o) => [o, z.string().min(1)]))),
    notes: z.string().includes('{{notes}}'),
    footer: z.string().includes('{{date}}'),
  }),
  common: z.object({
    born_on: z.string().includes('{{date}}'),
    foreigner_number: z.string().includes('{{number}}'),
    place_date: z.string().includes('{{town}}').includes('{{date}}'),
    signature: z.string().min(1),
  }),
  requests: z.object(Object.fromEntries(REQUEST_KINDS.map((r) => [r, z.string().min(1)]))),
  letter: z.object({
    recipient_title: z.string().min(1),
    recipient_prefecture: z.string().includes('{{departement}}'),
    recipient_city: z.string().includes('{{city}}'),
    recipient_address: z.string().min(1),
    registered: z.string().min(1),
    subject: z.string().includes('{{request}}'),
    salutation: z.string().min(1),
    body: z.array(z.string().min(1)).min(1),
    closing: z.string().min(1),
  }),
  statement: z.object({
    title: z.string().min(1),
    subtitle: z.string().min(1),
    declarant: z.string().includes('{{surname}}'),
    declare: z.string().min(1),
    reasons: z.object(Object.fromEntries(EXCLUSION_REASONS.map((r) => [r, z.string().min(1)]))),
    request: z.string().min(1),
    acknowledge: z.string().min(1),
  }),
  evidence: z.object({
    title: z.string().min(1),
    intro: z.string().min(1),
    summary: z.string().includes('{{calls}}').includes('{{letters}}').includes('{{proofs}}'),
    period: z.string().includes('{{from}}').includes('{{to}}'),
    period_single: z.string().includes('{{date}}'),
    empty: z.string().min(1),
    call: z.string().includes('{{date}}'),
    letter_posted: z.string().includes('{{date}}'),
    proof: z.string().includes('{{kind}}'),
    // One label for every kind of proof, and one for a proof not described yet.
    kinds: z.object(Object.fromEntries([...PROOF_KINDS, 'unknown'].map((k) => [k, z.string().min(1)]))),
    document_date: z.string().includes('{{date}}'),
    document_date_unknown: z.string().min(1),
    received: z.string().includes('{{date}}').includes('{{time}}'),
    file: z.string().includes('{{type}}').includes('{{size}}'),
    file_types: z.object({ jpeg: z.string().min(1), png: z.string().min(1), webp: z.string().min(1), heic: z.string().min(1), pdf: z.string().min(1) }),
    fingerprint: z.string().includes('{{hex}}'),
    in_annex: z.string().includes('{{number}}'),
    original_kept: z.string().min(1),
    not_reproduced_size: z.string().min(1),
    image_failed: z.string().min(1),
    annex_caption: z.string().includes('{{number}}').includes('{{kind}}'),
    footer: z.string().includes('{{date}}'),
  }),
});

export type DocumentTexts = z.infer<typeof documentsSchema>;

export function loadDocumentTexts(contentDir: string): DocumentTexts {
  return readJson(join(contentDir, 'documents', 'fr.json'), documentsSchema);
}
