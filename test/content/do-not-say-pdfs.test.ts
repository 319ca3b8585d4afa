import { createHash } from 'node:crypto';
import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { CALL_OUTCOMES, EXCLUSION_REASONS, PROOF_KINDS, REQUEST_KINDS, type CallLog } from '../../machines/lib/intents.js';
import { loadDocumentTexts } from '../../src/content/load-documents.js';
import { makeEvidenceFile, type EvidenceEntry } from '../../src/documents/evidence-file.js';
import { createDocumentMaker, type MadeDocument } from '../../src/documents/make-document.js';
import { Renderer } from '../../src/engine/render.js';
import { createTranslator, loadLocaleFiles } from '../../src/i18n/translator.js';
import { CONTENT_DIR, LOCALES_DIR } from '../../src/paths.js';
import type { VaultItem } from '../../src/store/ports.js';
import { DO_NOT_SAY, excerpt } from './do-not-say.js';

/**
 * The "Do not say" patterns over the French papers Guichet writes: what a
 * prefecture, a lawyer or a judge reads must not carry the wrong claims
 * either. Every variant of each document is generated and read back as text.
 */

async function pdfText(bytes: Uint8Array): Promise<string> {
  const pdf = await getDocumentProxy(new Uint8Array(bytes));
  const { text } = await extractText(pdf, { mergePages: true });
  return text.replace(/\s+/g, ' ');
}

// The renderer as the app builds it: locales plus the French document texts.
const renderer = new Renderer(createTranslator(loadLocaleFiles(LOCALES_DIR), loadDocumentTexts(CONTENT_DIR)));

const TODAY = '2026-11-28';
const prefecture = { departementCode: '93', departementName: 'Seine-Saint-Denis', prefectureCity: 'Bobigny' };
const person = { surname: 'DIALLO', givenNames: 'Aïssatou', birthDate: '1985-04-15' };
const callLog = (outcome: CallLog['outcome'], i: number): CallLog => ({
  date: `2026-11-${String(2 + i).padStart(2, '0')}`,
  time: i % 2 ? null : '09:15',
  number: 'anef',
  agent: i % 2 ? null : 'Mme Durand',
  outcome,
  notes: i % 2 ? null : 'Rappeler lundi',
});

async function allDocuments(): Promise<{ name: string; made: MadeDocument }[]> {
  const maker = createDocumentMaker(renderer, loadDocumentTexts(CONTENT_DIR));
  const documents: { name: string; made: MadeDocument }[] = [];
  for (const request of REQUEST_KINDS) {
    const data = { ...person, street: '12 rue Victor Hugo', postcode: '93200', town: 'Saint-Denis', request, foreignerNumber: '7512345678', prefecture };
    documents.push({ name: `letter (${request})`, made: await maker.make({ document: 'letter', data }, TODAY) });
  }
  documents.push({
    name: 'statement of digital exclusion (every reason)',
    made: await maker.make({ document: 'statement', data: { ...person, reasons: [...EXCLUSION_REASONS], signTown: 'Créteil' } }, TODAY),
  });
  for (const [i, outcome] of CALL_OUTCOMES.entries()) {
    documents.push({ name: `call log (${outcome})`, made: await maker.make({ document: 'call-log', data: callLog(outcome, i) }, TODAY) });
  }
  // The evidence file: calls, a letter and one proof of every kind (originals not opened).
  const entries: EvidenceEntry[] = [
    ...CALL_OUTCOMES.map((outcome, i): EvidenceEntry => ({ kind: 'call', log: callLog(outcome, i) })),
    { kind: 'letter-posted', date: '2026-11-10' },
    ...[...PROOF_KINDS, null].map((kind, i): EvidenceEntry => {
      const bytes = Buffer.from(`proof ${i}`);
      const item: VaultItem = {
        id: `item-${i}`,
        caseId: 'case-1',
        kind,
        documentDate: i % 2 ? null : '2026-11-12',
        mimeType: 'application/pdf',
        size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        receivedAt: Date.parse('2026-11-12T09:30:00Z'),
        channel: 'telegram',
        senderId: 'person-1',
      };
      return { kind: 'proof', item, bytes: null };
    }),
  ];
  documents.push({ name: 'evidence file', made: await makeEvidenceFile(renderer, { generatedOn: TODAY, entries }) });
  documents.push({ name: 'evidence file (empty)', made: await makeEvidenceFile(renderer, { generatedOn: TODAY, entries: [] }) });
  return documents;
}

describe('"Do not say" guard over the generated PDFs', async () => {
  const documents = await Promise.all((await allDocuments()).map(async ({ name, made }) => ({ name, text: await pdfText(made.bytes) })));

  it('generates and reads back every document', () => {
    expect(documents.length).toBe(REQUEST_KINDS.length + 1 + CALL_OUTCOMES.length + 2);
    for (const { name, text } of documents) expect(text.length, name).toBeGreaterThan(100);
    // The texts really were read: the letter cites the Conseil d'État, the statement R.431-2.
    expect(documents.find((d) => d.name.startsWith('letter'))!.text).toContain('n° 452798');
    expect(documents.find((d) => d.name.startsWith('statement'))!.text).toContain('R.431-2');
  });

  for (const rule of DO_NOT_SAY) {
    it(`never says: ${rule.claim}`, () => {
      const found = documents.filter(({ text }) => rule.pattern.test(text)).map(({ name, text }) => `${name}: ${excerpt(text, rule.pattern)}`);
      expect(found, rule.pattern.source).toEqual([]);
    });
  }
});
