import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as fontkit from 'fontkit';
import { describe, expect, it } from 'vitest';
import { scriptRuns } from '../../src/documents/script-runs.js';
import { SCRIPT_FONTS, writePdf } from '../../src/documents/pdf-writer.js';
import { tempDir } from '../helpers/test-app.js';

const BENGALI_NOTE = 'তারা আমাকে পরে আবার ফোন করতে বলেছে, সোমবার।';
const ARABIC_NOTE = 'قالوا لي أن أتصل مرة أخرى يوم 12 ديسمبر، شكرا';
const MIXED = `Notes (dans les mots de l'appelant) : ${ARABIC_NOTE} (ANEF).`;

const hasPoppler = spawnSync('pdftoppm', ['-v']).status === 0;
if (!hasPoppler) console.warn('NOTICE: PDF rendering checks SKIPPED: pdftoppm is not installed (Debian poppler-utils; .ci/run installs it).');

describe('script runs', () => {
  it('draws an Arabic stretch right to left, word by word, digits and punctuation in the Latin font', () => {
    const runs = scriptRuns('Puis : قالوا لي 12 مرة (ANEF).');
    expect(runs.map((r) => r.text)).toEqual(['Puis : ', 'مرة', ' 12 ', 'لي', ' ', 'قالوا', ' (ANEF).']);
    expect(runs.map((r) => r.script)).toEqual(['latin', 'arabic', 'latin', 'arabic', 'latin', 'arabic', 'latin']);
  });

  it('keeps Bengali in order, with its danda in the Bengali font and a comma in the Latin one', () => {
    const runs = scriptRuns('ফোন করতে বলেছে, সোমবার।');
    expect(runs.map((r) => [r.text, r.script])).toEqual([
      ['ফোন', 'bengali'],
      [' ', 'latin'],
      ['করতে', 'bengali'],
      [' ', 'latin'],
      ['বলেছে', 'bengali'],
      [', ', 'latin'],
      ['সোমবার।', 'bengali'],
    ]);
  });

  it('has a glyph for every character of every run in the font it is drawn with (no empty boxes)', () => {
    const fonts = Object.fromEntries(Object.entries(SCRIPT_FONTS).map(([script, file]) => [script, fontkit.openSync(file) as fontkit.Font]));
    for (const line of [BENGALI_NOTE, ARABIC_NOTE, MIXED, 'রহিম ও ফাতিমা: ০১/১২/২০২৬ - 1/12/2026']) {
      for (const run of scriptRuns(line)) {
        for (const char of run.text) {
          if (/\s/.test(char)) continue;
          expect(fonts[run.script]!.hasGlyphForCodePoint(char.codePointAt(0)!), `${JSON.stringify(char)} in ${run.script}`).toBe(true);
        }
      }
    }
  });
});

describe.skipIf(!hasPoppler)('PDFs in every script, rendered', () => {
  async function pdfOf(text: string): Promise<string> {
    const temp = tempDir('guichet-pdf-');
    const file = join(temp.dir, 'note.pdf');
    writeFileSync(file, await writePdf('Note', [{ kind: 'line', text }], new Date('2026-12-01T10:00:00Z')));
    return file;
  }

  /** Dark pixels of the first page rendered in grey at 50 dpi (PGM: a header, then one byte a pixel). */
  function ink(file: string): number {
    const pgm = execFileSync('pdftoppm', ['-gray', '-r', '50', '-f', '1', '-l', '1', file]);
    const header = pgm.subarray(0, 20).toString('latin1').split(/\s+/);
    const pixels = pgm.subarray(pgm.length - Number(header[1]) * Number(header[2]));
    return pixels.reduce((n, v) => n + (v < 128 ? 1 : 0), 0);
  }

  it('embeds the Bengali and Arabic fonts for notes typed in those scripts', async () => {
    const fonts = execFileSync('pdffonts', [await pdfOf(`${BENGALI_NOTE} ${MIXED}`)]).toString();
    expect(fonts).toMatch(/NotoSansBengali/);
    expect(fonts).toMatch(/NotoSansArabic/);
    expect(fonts).toMatch(/DejaVuSans/);
  });

  it('draws the note: as much ink as the same length of French, and its words read back in order', async () => {
    const french = ink(await pdfOf('Ils m’ont dit de rappeler lundi, merci.'));
    for (const note of [BENGALI_NOTE, ARABIC_NOTE]) {
      const file = await pdfOf(note);
      expect(ink(file), note).toBeGreaterThan(french / 3);
      const text = execFileSync('pdftotext', [file, '-']).toString();
      if (note === BENGALI_NOTE) {
        // Vowel signs written before a consonant come back in drawing order; words without them, exactly.
        for (const word of ['তারা', 'আবার']) expect(text).toContain(word);
        expect(text.indexOf('তারা')).toBeLessThan(text.indexOf('আবার'));
      } else {
        // pdftotext reorders right-to-left text for reading: the first word typed comes first.
        for (const word of ['قالوا', 'ديسمبر', 'شكرا']) expect(text).toContain(word);
        expect(text.indexOf('قالوا')).toBeLessThan(text.indexOf('شكرا'));
      }
    }
  });
});
