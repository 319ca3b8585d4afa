import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LANGUAGES, type Language } from '../../machines/lib/intents.js';
import { loadContent } from '../../src/content/load-content.js';
import { CONTENT_DIR, LOCALES_DIR } from '../../src/paths.js';
import { tempDir } from '../helpers/test-app.js';
import { npmStart } from './npm-start.js';
import { WALK_DOCUMENTS, WALK_ROUTES } from '../../bench/walks.js';

const PICK: Record<Language, string> = { ar: '1', bn: '2', pt: '3', fr: '4', en: '5' };

/** One person walks every route from the main menu in one `npm start`, making both PDFs on the way. */
const WALK = [...WALK_ROUTES, ...WALK_DOCUMENTS];

const content = loadContent(CONTENT_DIR);
const locale = (lang: Language) => JSON.parse(readFileSync(join(LOCALES_DIR, `${lang}.json`), 'utf8'));
const get = (obj: unknown, key: string) => key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], obj) as string;

async function pdfText(path: string): Promise<string> {
  const pdf = await getDocumentProxy(new Uint8Array(readFileSync(path)));
  return (await extractText(pdf, { mergePages: true })).text.replace(/\s+/g, ' ');
}

describe('every route, in every language, through npm start', () => {
  let temp: ReturnType<typeof tempDir>;
  beforeAll(() => void (temp = tempDir('guichet-routes-')));
  afterAll(() => temp.remove());

  for (const lang of LANGUAGES) {
    it(`walks every route in ${lang}`, async () => {
      const run = await npmStart([PICK[lang], ...WALK], { DATA_DIR: temp.dir, CHAT_USER: `walker-${lang}` });
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('');
      const strings = locale(lang);
      // Every step of every route was shown, with its checklist.
      for (const route of content.routes.values()) {
        for (const step of route.steps) {
          expect(run.stdout, `${lang} ${route.id}/${step.id}`).toContain(get(strings, step.text));
          for (const item of step.checklist ?? []) expect(run.stdout).toContain(get(strings, item));
        }
      }
      expect(run.stdout).toContain(get(strings, 'triage.result_title'));
      expect(run.stdout).toContain(get(strings, 'registered_letter.ask_posted'));
      expect(run.stdout).not.toContain(get(strings, 'common.error'));
      // Two PDFs, in French whatever the conversation language.
      const paths = [...run.stdout.matchAll(/^\[PDF\] (.+\.pdf)$/gm)].map((m) => m[1]!);
      expect(paths).toHaveLength(2);
      for (const path of paths) expect(existsSync(path)).toBe(true);
      const statement = await pdfText(paths.find((p) => p.includes('declaration'))!);
      expect(statement).toContain('Aissatou DIALLO, né(e) le 15 avril 1985');
      const letter = await pdfText(paths.find((p) => p.includes('lettre'))!);
      expect(letter).toContain('Préfecture : Seine-Saint-Denis (93)');
      expect(letter).toContain('renouvellement de mon titre de séjour');
    });
  }
});
