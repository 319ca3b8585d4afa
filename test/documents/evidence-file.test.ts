import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { extractText, getDocumentProxy, getResolvedPDFJS } from 'unpdf';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadDocumentTexts } from '../../src/content/load-documents.js';
import { makeEvidenceFile, type EvidenceEntry } from '../../src/documents/evidence-file.js';
import { embeddableImage, writePdf } from '../../src/documents/pdf-writer.js';
import { Renderer } from '../../src/engine/render.js';
import { createTranslator, loadLocaleFiles } from '../../src/i18n/translator.js';
import { CONTENT_DIR, LOCALES_DIR } from '../../src/paths.js';
import type { ProofKind, ProofMimeType, VaultItem } from '../../src/store/ports.js';

// The renderer as the app builds it: locales plus the French document texts.
const renderer = new Renderer(createTranslator(loadLocaleFiles(LOCALES_DIR), loadDocumentTexts(CONTENT_DIR)));

async function pdfText(bytes: Uint8Array): Promise<string> {
  const pdf = await getDocumentProxy(new Uint8Array(bytes));
  const { text } = await extractText(pdf, { mergePages: true });
  return text.replace(/\s+/g, ' ');
}

async function pageTexts(bytes: Uint8Array): Promise<string[]> {
  const pdf = await getDocumentProxy(new Uint8Array(bytes));
  const { text } = await extractText(pdf, { mergePages: false });
  return text.map((t) => t.replace(/\s+/g, ' '));
}

/** How many image XObjects the file holds (each drawn image is one). */
function imageCount(bytes: Uint8Array): number {
  return (Buffer.from(bytes).toString('latin1').match(/\/Subtype \/Image/g) ?? []).length;
}

// --- Tiny real images -------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A real RGB (or RGBA) PNG of the given size, a colour gradient, built with zlib. */
function makePng(width: number, height: number, { alpha = false, idat }: { alpha?: boolean; idat?: (raw: Buffer) => Buffer } = {}): Uint8Array {
  const channels = alpha ? 4 : 3;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = alpha ? 6 : 2;
  const raw = Buffer.alloc(height * (1 + width * channels));
  for (let y = 0; y < height; y++) {
    const row = y * (1 + width * channels);
    raw[row] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const at = row + 1 + x * channels;
      raw[at] = (x * 255) / Math.max(1, width - 1);
      raw[at + 1] = (y * 255) / Math.max(1, height - 1);
      raw[at + 2] = 128;
      if (alpha) raw[at + 3] = 200;
    }
  }
  const data = idat ? idat(raw) : deflateSync(raw);
  return new Uint8Array(
    Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', data), chunk('IEND', Buffer.alloc(0))]),
  );
}

/**
 * A real baseline JPEG: one 8×8 grey block. Its Huffman tables hold one
 * one-bit code each (DC difference 0, end of block), so the whole scan is
 * the bits 00 padded with ones.
 */
function makeJpeg(): Uint8Array {
  const segment = (marker: number, data: number[]) => [0xff, marker, ((data.length + 2) >> 8) & 0xff, (data.length + 2) & 0xff, ...data];
  const oneCodeTable = (tableClass: number) => [tableClass << 4, 1, ...new Array<number>(15).fill(0), 0x00];
  return new Uint8Array([
    0xff, 0xd8,
    ...segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0]),
    ...segment(0xdb, [0x00, ...new Array<number>(64).fill(1)]),
    ...segment(0xc0, [8, 0, 8, 0, 8, 1, 1, 0x11, 0]),
    ...segment(0xc4, oneCodeTable(0)),
    ...segment(0xc4, oneCodeTable(1)),
    ...segment(0xda, [1, 1, 0x00, 0, 63, 0]),
    0x3f,
    0xff, 0xd9,
  ]);
}

const PNG = makePng(40, 30);
const PNG_ALPHA = makePng(12, 9, { alpha: true });
const JPEG = makeJpeg();
const WEBP = new Uint8Array(Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x24, 0, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(40, 1)]));
const HEIC = new Uint8Array(Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic'), Buffer.alloc(4), Buffer.from('mif1heic'), Buffer.alloc(40, 2)]));
const PDF = new Uint8Array(Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1'));
/** JPEG magic and a JFIF header, then noise: not a JPEG anyone can draw. */
const CORRUPT_JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0, ...Array.from({ length: 200 }, (_, i) => (i * 37) % 251)]);

// --- Entries ------------------------------------------------------------------

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const MIME: Record<string, ProofMimeType> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp', heic: 'image/heic', pdf: 'application/pdf' };

let nextId = 0;
function proof(
  bytes: Uint8Array,
  type: keyof typeof MIME,
  { kind = 'other', documentDate = null, receivedAt }: { kind?: ProofKind | null; documentDate?: string | null; receivedAt: string },
  { withBytes = true }: { withBytes?: boolean } = {},
): EvidenceEntry {
  const item: VaultItem = {
    id: `item-${++nextId}`,
    caseId: 'case-1',
    kind,
    documentDate,
    mimeType: MIME[type]!,
    size: bytes.length,
    sha256: sha256(bytes),
    receivedAt: Date.parse(receivedAt),
    channel: 'telegram',
    senderId: 'person-1',
  };
  return { kind: 'proof', item, bytes: withBytes ? bytes : null };
}

const call = (date: string, time: string | null, outcome: 'no_answer' | 'call_back' = 'no_answer'): EvidenceEntry => ({
  kind: 'call',
  log: { date, time, number: 'anef', agent: null, outcome, notes: null },
});

/** Halves of a fingerprint as printed (it is split over two lines). */
const halves = (bytes: Uint8Array) => [sha256(bytes).slice(0, 32), sha256(bytes).slice(32)];

describe('evidence file (dossier de preuves)', () => {
  it('lists calls, letters and proofs in date order with French labels and fingerprints', async () => {
    const entries: EvidenceEntry[] = [
      // Given out of order on purpose.
      proof(PNG, 'png', { kind: 'no-slot-screenshot', documentDate: '2026-03-20', receivedAt: '2026-03-20T09:30:00Z' }),
      { kind: 'letter-posted', date: '2026-03-10' },
      call('2026-03-02', '09:15', 'call_back'),
      proof(JPEG, 'jpeg', { kind: 'anef-receipt', documentDate: '2026-03-10', receivedAt: '2026-03-11T08:00:00Z' }),
      // No document date: placed on the day it was received, Paris time (already the 6th there).
      proof(PDF, 'pdf', { kind: 'prefecture-letter', receivedAt: '2026-03-05T23:30:00Z' }),
      call('2026-03-10', null),
      call('2026-03-10', '08:05'),
      proof(WEBP, 'webp', { kind: 'ack-card', documentDate: '2026-03-25', receivedAt: '2026-03-26T10:00:00Z' }),
      proof(HEIC, 'heic', { kind: 'postal-receipt', documentDate: '2026-03-25', receivedAt: '2026-03-25T10:00:00Z' }),
      proof(PNG_ALPHA, 'png', { kind: null, documentDate: '2026-03-27', receivedAt: '2026-03-27T10:00:00Z' }),
      proof(PDF, 'pdf', { kind: 'call-log', documentDate: '2026-03-28', receivedAt: '2026-03-28T10:00:00Z' }, { withBytes: false }),
    ];
    const made = await makeEvidenceFile(renderer, { generatedOn: '2026-03-30', entries });
    expect(made.fileName).toBe('dossier-de-preuves-2026-03-30.pdf');
    expect(Buffer.from(made.bytes.subarray(0, 5)).toString()).toBe('%PDF-');
    const text = await pdfText(made.bytes);

    for (const expected of [
      'Dossier de preuves des démarches pour obtenir un rendez-vous en préfecture',
      'empreinte SHA-256',
      'classés par date',
      'Appels : 3 — lettres recommandées : 1 — pièces : 7',
      'Période couverte : du 2 mars 2026 au 28 mars 2026',
      'Heure : 09 h 15',
      'Heure : non notée',
      '0 806 001 620 (Centre de contact citoyen, ANEF)',
      'Résultat : il m\'a été demandé de rappeler plus tard',
      'Date du document : non précisée',
      'Reçue par Guichet le 6 mars 2026 à 00 h 30',
      'Fichier : document PDF',
      'Fichier : image PNG',
      'Document établi le 30 mars 2026 avec Guichet.',
    ]) {
      expect(text).toContain(expected);
    }

    // The list, in order: date first; on one day calls (untimed first, then by time), letters, proofs.
    const order = [
      '1. Appel téléphonique du 2 mars 2026',
      '2. Pièce : courrier de la préfecture',
      '3. Appel téléphonique du 10 mars 2026',
      '4. Appel téléphonique du 10 mars 2026',
      '5. Lettre recommandée envoyée le 10 mars 2026',
      '6. Pièce : attestation de dépôt ANEF',
      '7. Pièce : capture d\'écran montrant qu\'aucun rendez-vous n\'est disponible',
      '8. Pièce : preuve de dépôt d\'une lettre recommandée',
      '9. Pièce : avis de réception d\'une lettre recommandée',
      '10. Pièce : type non précisé',
      '11. Pièce : relevé ou compte-rendu d\'appel',
      'Document établi le',
    ];
    let from = 0;
    for (const heading of order) {
      const at = text.indexOf(heading, from);
      expect(at, heading).toBeGreaterThanOrEqual(from);
      from = at + heading.length;
    }
    // The untimed call of the 10th comes before the one at 08:05.
    expect(text.indexOf('Heure : non notée')).toBeLessThan(text.indexOf('Heure : 08 h 05'));

    for (const file of [PNG, JPEG, PDF, WEBP, HEIC, PNG_ALPHA]) {
      const [first, second] = halves(file);
      expect(text).toContain(`Empreinte SHA-256 : ${first}`);
      expect(text).toContain(second);
    }

    // Three images drawn (PNG, JPEG, PNG with alpha: one more XObject for its soft mask).
    expect(text).toContain('Image reproduite en annexe (pièce n° 6).');
    expect(text).toContain('Image reproduite en annexe (pièce n° 7).');
    expect(text).toContain('Image reproduite en annexe (pièce n° 10).');
    expect(imageCount(made.bytes)).toBe(4);
    // WebP, HEIC, PDF and the unopened file: kept as files, not drawn.
    expect(text.match(/Le fichier original est conservé dans Guichet et peut être exporté\./g)).toHaveLength(4);

    // One page per drawn image after the list, captioned with its number and kind.
    const pages = await pageTexts(made.bytes);
    const annexes = pages.filter((p) => p.includes('Annexe — pièce n°'));
    expect(annexes).toHaveLength(3);
    expect(annexes[0]).toContain('Annexe — pièce n° 6 : attestation de dépôt ANEF');
    expect(annexes[0]).toContain(halves(JPEG)[0]);
    expect(annexes[1]).toContain('Annexe — pièce n° 7 : capture d\'écran montrant qu\'aucun rendez-vous n\'est disponible');
    expect(annexes[2]).toContain('Annexe — pièce n° 10 : type non précisé');
    expect(pages[pages.length - 1]).toContain('pièce n° 10');
  });

  it('keeps WebP, HEIC and PDF proofs as files: a fallback line, no image', async () => {
    for (const [bytes, type] of [
      [WEBP, 'webp'],
      [HEIC, 'heic'],
      [PDF, 'pdf'],
    ] as const) {
      const made = await makeEvidenceFile(renderer, {
        generatedOn: '2026-04-01',
        entries: [proof(bytes, type, { kind: 'other', documentDate: '2026-03-31', receivedAt: '2026-03-31T12:00:00Z' })],
      });
      const text = await pdfText(made.bytes);
      expect(text).toContain('1. Pièce : autre document');
      expect(text).toContain('Le fichier original est conservé dans Guichet et peut être exporté.');
      expect(text).toContain(`Empreinte SHA-256 : ${halves(bytes)[0]}`);
      expect(text).not.toContain('Annexe');
      expect(imageCount(made.bytes), type).toBe(0);
    }
  });

  it('does not draw an original that does not match its fingerprint', async () => {
    const entry = proof(PNG, 'png', { receivedAt: '2026-03-31T12:00:00Z' });
    const other = makePng(5, 5);
    const made = await makeEvidenceFile(renderer, { generatedOn: '2026-04-01', entries: [{ ...entry, bytes: other } as EvidenceEntry] });
    expect(imageCount(made.bytes)).toBe(0);
    expect(await pdfText(made.bytes)).toContain('Le fichier original est conservé dans Guichet');
  });

  it('says so when nothing has been recorded yet, and is still a valid PDF', async () => {
    const made = await makeEvidenceFile(renderer, { generatedOn: '2026-04-01', entries: [] });
    expect(made.fileName).toBe('dossier-de-preuves-2026-04-01.pdf');
    const text = await pdfText(made.bytes);
    expect(text).toContain('Dossier de preuves');
    expect(text).toContain('Aucune démarche n\'a encore été enregistrée pour ce dossier.');
    expect(text).toContain('Document établi le 1er avril 2026 avec Guichet.');
    expect(text).not.toContain('Période couverte');
    expect(imageCount(made.bytes)).toBe(0);
  });

  it('survives a damaged JPEG (right magic, broken body): fallback line, rest of the file intact', async () => {
    const made = await makeEvidenceFile(renderer, {
      generatedOn: '2026-04-01',
      entries: [
        proof(CORRUPT_JPEG, 'jpeg', { kind: 'no-slot-screenshot', documentDate: '2026-03-01', receivedAt: '2026-03-01T12:00:00Z' }),
        proof(PNG, 'png', { kind: 'no-slot-screenshot', documentDate: '2026-03-02', receivedAt: '2026-03-02T12:00:00Z' }),
      ],
    });
    const text = await pdfText(made.bytes);
    expect(text).toContain('L\'image n\'a pas pu être reproduite dans ce document ; le fichier original est conservé dans Guichet et peut être exporté.');
    expect(text).toContain(`Empreinte SHA-256 : ${halves(CORRUPT_JPEG)[0]}`);
    expect(text).toContain('Image reproduite en annexe (pièce n° 2).');
    expect(imageCount(made.bytes)).toBe(1);
  });

  it('refuses damaged images before pdfkit sees them', () => {
    expect(embeddableImage(PNG)).toBe(true);
    expect(embeddableImage(PNG_ALPHA)).toBe(true);
    expect(embeddableImage(JPEG)).toBe(true);
    for (const [name, bytes] of Object.entries({
      CORRUPT_JPEG,
      WEBP,
      HEIC,
      PDF,
      empty: new Uint8Array(0),
      'truncated JPEG': JPEG.subarray(0, 40),
      'truncated PNG': PNG.subarray(0, PNG.length - 20),
      // Image data that does not inflate: pdfkit would throw from a zlib callback and end the process.
      'PNG with broken data': makePng(10, 10, { alpha: true, idat: (raw) => Buffer.concat([deflateSync(raw).subarray(0, 6), Buffer.alloc(30, 0x55)]) }),
      'PNG with too little data': makePng(10, 10, { idat: (raw) => deflateSync(raw.subarray(0, 20)) }),
      'PNG with a bad row filter': makePng(4, 4, { alpha: true, idat: (raw) => deflateSync(Buffer.from(raw).fill(9, 0, 1)) }),
      // A chunk length pdfkit reads as negative: on an unknown chunk it would loop forever.
      'PNG with a huge chunk': new Uint8Array([...PNG.subarray(0, 33), 0xff, 0xff, 0xff, 0xf4, ...Buffer.from('ruSt'), ...PNG.subarray(33)]),
      'PNG of zero width': makePng(0, 4),
    })) {
      expect(embeddableImage(bytes), name).toBe(false);
    }
  });

  it('never throws on random bytes, and whatever it accepts pdfkit draws (damaged copies of real images)', async () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        embeddableImage(bytes);
      }),
      { numRuns: 500 },
    );
    const originals = [PNG, PNG_ALPHA, JPEG, makePng(7, 5, { idat: (raw) => deflateSync(raw, { level: 0 }) })];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...originals),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 3 }),
        async (original, flips) => {
          const damaged = new Uint8Array(original);
          for (const [at, flip] of flips) damaged[at % damaged.length] = damaged[at % damaged.length]! ^ flip;
          // Whether accepted or not, writing must finish with a readable file.
          const pdf = await writePdf('Test', [{ kind: 'image', bytes: damaged, fallback: 'Image illisible.' }], new Date('2026-04-01T12:00:00Z'));
          const text = await pdfText(pdf);
          expect(imageCount(pdf) > 0 || text.includes('Image illisible.')).toBe(true);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('prints the fallback instead of an image pdfkit cannot draw, without breaking the document', async () => {
    const pdf = await writePdf(
      'Test',
      [
        { kind: 'line', text: 'Avant' },
        { kind: 'image', bytes: CORRUPT_JPEG, fallback: 'Image illisible.' },
        { kind: 'image', bytes: PNG, fallback: 'Jamais affiché.' },
        { kind: 'page' },
        { kind: 'line', text: 'Après', indent: 20 },
      ],
      new Date('2026-04-01T12:00:00Z'),
    );
    const pages = await pageTexts(pdf);
    expect(pages).toHaveLength(2);
    expect(pages[0]).toContain('Avant');
    expect(pages[0]).toContain('Image illisible.');
    expect(pages[0]).not.toContain('Jamais affiché.');
    expect(pages[1]).toContain('Après');
    expect(imageCount(pdf)).toBe(1);
  });

  it('scales a large image to fit the text width of the page, keeping its proportions', async () => {
    const pdf = await writePdf('Test', [{ kind: 'image', bytes: makePng(3000, 200), fallback: 'x' }], new Date('2026-04-01T12:00:00Z'));
    expect(imageCount(pdf)).toBe(1);
    const { OPS } = await getResolvedPDFJS();
    const page = await (await getDocumentProxy(new Uint8Array(pdf))).getPage(1);
    const { fnArray, argsArray } = await page.getOperatorList();
    const paint = fnArray.indexOf(OPS.paintImageXObject);
    expect(paint).toBeGreaterThan(0);
    const transform = fnArray.lastIndexOf(OPS.transform, paint);
    const [width, , , height] = argsArray[transform] as number[];
    // A4 is 595.28 points wide, less two margins of 62.
    expect(width).toBeCloseTo(595.28 - 124, 1);
    expect(Math.abs(height!)).toBeCloseTo(((595.28 - 124) * 200) / 3000, 1);
  });
});
