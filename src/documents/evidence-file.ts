import { createHash } from 'node:crypto';
import type { CallLog } from '../../machines/lib/intents.js';
import type { Renderer } from '../engine/render.js';
import type { ProofMimeType, VaultItem } from '../store/ports.js';
import { sniffProofType } from '../vault/sniff-type.js';
import type { MadeDocument } from './make-document.js';
import { embeddableImage, writePdf, type Block } from './pdf-writer.js';

export type EvidenceEntry =
  /** Dated by the call. */
  | { readonly kind: 'call'; readonly log: CallLog }
  /** `date` is YYYY-MM-DD. */
  | { readonly kind: 'letter-posted'; readonly date: string }
  /**
   * Dated by the document, or by the day it was received (Paris time) until
   * the person gives that date. `bytes` is the opened original, null when it
   * could not be opened, or was not (`omitted`: the images already reproduced
   * fill what one document may hold).
   */
  | { readonly kind: 'proof'; readonly item: VaultItem; readonly bytes: Uint8Array | null; readonly omitted?: boolean };

export interface EvidenceInput {
  /** YYYY-MM-DD */
  readonly generatedOn: string;
  readonly entries: readonly EvidenceEntry[];
}

const TIME_ZONE = 'Europe/Paris';
/** Details under an entry's heading. */
const DETAIL_INDENT = 16;

const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
const timeFormat = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
// A plain no-break space between thousands (French style) rather than the
// narrow one Intl uses, which not every PDF viewer copies cleanly.
const numberFormat = new Intl.NumberFormat('fr-FR', { useGrouping: true });

function parisDay(epoch: number): string {
  return dayFormat.format(new Date(epoch));
}

/** "09 h 15", as the call record writes times. */
function parisTime(epoch: number): string {
  const parts = timeFormat.formatToParts(new Date(epoch));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${part('hour')} h ${part('minute')}`;
}

const FILE_TYPE_KEYS: Readonly<Record<ProofMimeType, string>> = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/heic': 'heic',
  'application/pdf': 'pdf',
};

interface Dated {
  readonly entry: EvidenceEntry;
  readonly date: string;
  /** Same day: calls, then letters, then proofs. */
  readonly rank: number;
  /** Same day and kind: by time (calls without a time first), then as given. */
  readonly at: number;
}

function dated(entry: EvidenceEntry): Dated {
  switch (entry.kind) {
    case 'call': {
      const [hours, minutes] = (entry.log.time ?? '').split(':').map(Number);
      const at = hours !== undefined && minutes !== undefined && !Number.isNaN(hours) && !Number.isNaN(minutes) ? hours * 60 + minutes : -1;
      return { entry, date: entry.log.date, rank: 0, at };
    }
    case 'letter-posted':
      return { entry, date: entry.date, rank: 1, at: 0 };
    case 'proof':
      return { entry, date: entry.item.documentDate ?? parisDay(entry.item.receivedAt), rank: 2, at: entry.item.receivedAt };
  }
}

function chronological(entries: readonly EvidenceEntry[]): Dated[] {
  // Array.prototype.sort is stable: entries equal on every key keep their order.
  return entries.map(dated).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.rank - b.rank || a.at - b.at));
}

/** What can be shown of a proof's original. */
type Reproduction = 'image' | 'not-embeddable' | 'image-failed';

function reproductionOf(item: VaultItem, bytes: Uint8Array | null): Reproduction {
  // The fingerprint printed is the stored one: an original that does not
  // match it is not shown under it.
  if (!bytes || createHash('sha256').update(bytes).digest('hex') !== item.sha256.toLowerCase()) return 'not-embeddable';
  const type = sniffProofType(bytes);
  // pdfkit draws JPEG and PNG only; WebP, HEIC and PDF stay as files.
  if (type !== 'image/jpeg' && type !== 'image/png') return 'not-embeddable';
  return embeddableImage(bytes) ? 'image' : 'image-failed';
}

/**
 * The French "dossier de preuves": every call, letter and proof of one case
 * in date order, each file identified by its SHA-256 fingerprint, with the
 * JPEG and PNG proofs reproduced one per page after the list. Written for a
 * lawyer, an NGO or a judge, who for a référé « mesures utiles » look for
 * repeated attempts over several weeks.
 */
export async function makeEvidenceFile(renderer: Renderer, input: EvidenceInput): Promise<MadeDocument> {
  const t = (key: string, params?: Record<string, unknown>) => renderer.t('fr', `documents:evidence.${key}`, params);
  const tCall = (key: string, params?: Record<string, unknown>) => renderer.t('fr', `documents:call_log.${key}`, params);
  const date = (iso: string) => renderer.formatDate('fr', iso);
  const kindLabel = (item: VaultItem) => t(`kinds.${item.kind ?? 'unknown'}`);
  const detail = (text: string): Block => ({ kind: 'line', text, indent: DETAIL_INDENT });
  const plain = (text: string): Block => ({ kind: 'line', text });

  function fingerprint(sha256: string, line: (text: string) => Block): Block[] {
    const hex = sha256.toLowerCase();
    // 64 hexadecimal characters do not fit on one line after the label: two halves.
    if (!/^[0-9a-f]{64}$/.test(hex)) return [line(t('fingerprint', { hex }))];
    return [line(t('fingerprint', { hex: hex.slice(0, 32) })), line(hex.slice(32))];
  }

  const sorted = chronological(input.entries);
  const blocks: Block[] = [
    { kind: 'line', text: t('title'), bold: true, align: 'center' },
    { kind: 'space', lines: 1.5 },
    { kind: 'paragraph', text: t('intro') },
  ];
  const annexes: Block[] = [];

  if (sorted.length === 0) {
    blocks.push({ kind: 'paragraph', text: t('empty') });
  } else {
    const count = (kind: EvidenceEntry['kind']) => input.entries.filter((e) => e.kind === kind).length;
    const first = sorted[0]!.date;
    const last = sorted[sorted.length - 1]!.date;
    blocks.push(
      { kind: 'line', text: t('summary', { calls: count('call'), letters: count('letter-posted'), proofs: count('proof') }) },
      { kind: 'line', text: first === last ? t('period_single', { date: date(first) }) : t('period', { from: date(first), to: date(last) }) },
      { kind: 'space' },
    );
  }

  sorted.forEach(({ entry }, index) => {
    const number = index + 1;
    const heading = (text: string): Block => ({ kind: 'line', text: `${number}. ${text}`, bold: true });
    switch (entry.kind) {
      case 'call': {
        const { log } = entry;
        blocks.push(
          heading(t('call', { date: date(log.date) })),
          detail(log.time ? tCall('time', { time: log.time.replace(':', ' h ') }) : tCall('time_unknown')),
          detail(tCall('number', { number: log.number === 'anef' ? tCall('number_anef') : log.number })),
          detail(log.agent ? tCall('agent', { agent: log.agent }) : tCall('agent_unknown')),
          detail(tCall('outcome', { outcome: tCall(`outcomes.${log.outcome}`) })),
        );
        if (log.notes) blocks.push(detail(tCall('notes', { notes: log.notes })));
        break;
      }
      case 'letter-posted':
        blocks.push(heading(t('letter_posted', { date: date(entry.date) })));
        break;
      case 'proof': {
        const { item, bytes, omitted } = entry;
        const reproduction = reproductionOf(item, bytes);
        blocks.push(
          heading(t('proof', { kind: kindLabel(item) })),
          detail(item.documentDate ? t('document_date', { date: date(item.documentDate) }) : t('document_date_unknown')),
          detail(t('received', { date: date(parisDay(item.receivedAt)), time: parisTime(item.receivedAt) })),
          detail(t('file', { type: t(`file_types.${FILE_TYPE_KEYS[item.mimeType]}`), size: numberFormat.format(item.size).replace(/\s/g, '\u00a0') })),
          ...fingerprint(item.sha256, detail),
        );
        if (reproduction === 'image' && bytes) {
          blocks.push(detail(t('in_annex', { number })));
          annexes.push(
            { kind: 'page' },
            { kind: 'line', text: t('annex_caption', { number, kind: kindLabel(item) }), bold: true },
            plain(item.documentDate ? t('document_date', { date: date(item.documentDate) }) : t('document_date_unknown')),
            ...fingerprint(item.sha256, plain),
            { kind: 'space', lines: 0.5 },
            // Should pdfkit still refuse the image, the page says so rather than the whole file failing.
            { kind: 'image', bytes, fallback: t('image_failed') },
          );
        } else {
          blocks.push(detail(t(omitted ? 'not_reproduced_size' : reproduction === 'image-failed' ? 'image_failed' : 'original_kept')));
        }
        break;
      }
    }
    blocks.push({ kind: 'space', lines: 0.6 });
  });

  blocks.push({ kind: 'space' }, { kind: 'line', text: t('footer', { date: date(input.generatedOn) }) }, ...annexes);
  const bytes = await writePdf(t('title'), blocks, new Date(`${input.generatedOn}T12:00:00Z`));
  return { fileName: `dossier-de-preuves-${input.generatedOn}.pdf`, bytes };
}
