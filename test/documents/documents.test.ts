import { randomBytes } from 'node:crypto';
import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { createEngine } from '../../src/app.js';
import type { DocumentMaker } from '../../src/documents/make-document.js';
import { createDocumentMaker } from '../../src/documents/make-document.js';
import { loadDocumentTexts } from '../../src/content/load-documents.js';
import { CONTENT_DIR } from '../../src/paths.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { tempDir } from '../helpers/test-app.js';

async function pdfText(bytes: Uint8Array): Promise<string> {
  const pdf = await getDocumentProxy(new Uint8Array(bytes));
  const { text } = await extractText(pdf, { mergePages: true });
  return text.replace(/\s+/g, ' ');
}

function maker(): DocumentMaker {
  const temp = tempDir();
  const { renderer } = createEngine({
    store: openSqliteStore(temp.dir),
    outbox: { send: async () => undefined },
    logger: pino({ level: 'silent' }),
    config: { timeZone: 'Europe/Paris' },
    vaultKey: randomBytes(32),
  });
  return createDocumentMaker(renderer, loadDocumentTexts(CONTENT_DIR));
}

const seineSaintDenis = { departementCode: '93', departementName: 'Seine-Saint-Denis', prefectureCity: 'Bobigny' };

describe('French documents as PDF', () => {
  const documents = maker();

  it('writes the registered letter with the person’s details, French dates and accents', async () => {
    const made = await documents.make(
      {
        document: 'letter',
        data: {
          surname: 'DIALLO',
          givenNames: 'Aïssatou Béatrice',
          birthDate: '1985-04-15',
          street: '12 rue Victor Hugo',
          postcode: '93200',
          town: 'Saint-Denis',
          request: 'renewal',
          foreignerNumber: '7512345678',
          prefecture: seineSaintDenis,
        },
      },
      '2026-11-28',
    );
    expect(made.fileName).toBe('lettre-prefecture-2026-11-28.pdf');
    expect(Buffer.from(made.bytes.subarray(0, 5)).toString()).toBe('%PDF-');
    const text = await pdfText(made.bytes);
    for (const expected of [
      'Aïssatou Béatrice DIALLO',
      'Né(e) le 15 avril 1985',
      '93200 Saint-Denis',
      'N° étranger : 7512345678',
      'Préfecture : Seine-Saint-Denis (93)',
      'Bobigny',
      'Saint-Denis, le 28 novembre 2026',
      'Lettre recommandée avec demande d\'avis de réception',
      'renouvellement de mon titre de séjour',
      'n° 452798',
      'L.112-3',
      'Madame la Préfète',
    ]) {
      expect(text).toContain(expected);
    }
    // A registered letter is a trace, not a filing: it must never claim to stop a deadline.
    expect(text).not.toMatch(/délai/);
  });

  it('writes the statement of digital exclusion with each reason given', async () => {
    const made = await documents.make(
      {
        document: 'statement',
        data: { surname: 'HOSSAIN', givenNames: 'Rahim', birthDate: '1990-02-28', reasons: ['no_computer', 'fault'], signTown: 'Créteil' },
      },
      '2026-11-28',
    );
    const text = await pdfText(made.bytes);
    expect(text).toContain('DÉCLARATION SUR L\'HONNEUR');
    expect(text).toContain('Rahim HOSSAIN, né(e) le 28 février 1990');
    expect(text).toContain('ni d\'un ordinateur ni d\'un smartphone');
    expect(text).toContain('ne fonctionne pas pour ma démarche');
    // ANEF has no appointment slots: the statement never offers that reason.
    expect(text).not.toMatch(/créneau/);
    // A stamped copy is asked for politely: the desk has no duty to stamp one on the spot.
    expect(text).toContain('Je vous remercie, si possible, de me remettre');
    expect(text).not.toContain('internet ;');
    expect(text).toContain('R.431-2');
    expect(text).toContain('Créteil, le 28 novembre 2026');
  });

  it('writes the call record', async () => {
    const made = await documents.make(
      { document: 'call-log', data: { date: '2026-11-24', time: '09:15', number: 'anef', agent: 'Mme Durand', outcome: 'call_back', notes: 'Rappeler lundi' } },
      '2026-11-28',
    );
    const text = await pdfText(made.bytes);
    expect(made.fileName).toBe('compte-rendu-appel-2026-11-24.pdf');
    expect(text).toContain("COMPTE-RENDU D'APPEL");
    expect(text).toContain('Date de l\'appel : 24 novembre 2026');
    expect(text).toContain('Heure : 09 h 15');
    expect(text).toContain('0 806 001 620 (Centre de contact citoyen, ANEF)');
    expect(text).toContain('Rappeler lundi');
  });

  it('embeds its font so accents print the same everywhere', async () => {
    const made = await documents.make(
      { document: 'statement', data: { surname: 'X', givenNames: 'Y', birthDate: '1990-01-01', reasons: ['reading'], signTown: 'Évry' } },
      '2026-11-28',
    );
    const raw = Buffer.from(made.bytes).toString('latin1');
    expect(raw).toMatch(/\/FontFile2/);
    expect(raw).toMatch(/DejaVuSans/);
    expect(await pdfText(made.bytes)).toContain('Évry, le 28 novembre 2026');
  });
});
