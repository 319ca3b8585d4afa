import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGES, type Language } from '../../machines/lib/intents.js';
import { loadContent } from '../../src/content/load-content.js';
import { ContentError } from '../../src/errors.js';
import { loadLocaleFiles } from '../../src/i18n/translator.js';
import { CONTENT_DIR, LOCALES_DIR } from '../../src/paths.js';
import { productionFlows } from '../helpers/flows.js';
import { tempDir } from '../helpers/test-app.js';
import { DO_NOT_SAY, excerpt, textFiles, violations } from './do-not-say.js';

const content = loadContent(CONTENT_DIR);
const locales = loadLocaleFiles(LOCALES_DIR);
const lookup = (lang: Language, key: string) => key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], locales[lang]) as string;

/** How each language says "not confirmed, check with …". */
const CHECK_WORDING: Record<Language, RegExp> = {
  en: /check with|not confirmed|ask them/i,
  fr: /vérifiez|non confirmé|demandez/i,
  pt: /verifique|não confirmad|pergunte|confirme/i,
  ar: /تحقق|غير مؤكد|اسأل/,
  bn: /যাচাই|নিশ্চিত নয়|জিজ্ঞেস/,
};

describe('facts ledger', () => {
  it('gives every fact a source, a check date, a review date and a status', () => {
    expect(content.facts.size).toBeGreaterThan(15);
    for (const fact of content.facts.values()) {
      expect(fact.checked).toMatch(/^\d{4}-\d{2}/);
      expect(fact.reviewBy, fact.id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      if (fact.status === 'verified') expect(fact.sources.length, fact.id).toBeGreaterThan(0);
    }
  });

  it('stops start-up when a route cites a fact that does not exist', () => {
    const temp = tempDir();
    cpSync(CONTENT_DIR, temp.dir, { recursive: true });
    const file = join(temp.dir, 'routes', 'court.json');
    const route = JSON.parse(readFileSync(file, 'utf8'));
    route.steps[0].facts.push('F-INVENTED');
    writeFileSync(file, JSON.stringify(route));
    expect(() => loadContent(temp.dir)).toThrow(ContentError);
    expect(() => loadContent(temp.dir)).toThrow(/court\.json: step intro cites unknown fact F-INVENTED/);
    temp.remove();
  });

  it('stops start-up on a malformed route file, naming the field', () => {
    const temp = tempDir();
    cpSync(CONTENT_DIR, temp.dir, { recursive: true });
    writeFileSync(join(temp.dir, 'routes', 'ngo.json'), JSON.stringify({ id: 'route.ngo', name: 'ngo.name', summary: 12, steps: [{ id: 'intro', text: 'ngo.intro', facts: [] }] }));
    expect(() => loadContent(temp.dir)).toThrow(/ngo\.json: summary/);
    temp.remove();
  });
});

describe('routes as content', () => {
  const flows = productionFlows();

  it('has a flow for every route file and every link', () => {
    for (const route of content.routes.values()) {
      expect(flows.has(route.id), route.id).toBe(true);
      for (const step of route.steps) for (const link of step.links ?? []) expect(flows.has(link.flow), `${route.id} → ${link.flow}`).toBe(true);
    }
  });

  it('words every step that relies on an unverified fact as "check with …", in every language', () => {
    let checked = 0;
    for (const route of content.routes.values()) {
      for (const step of route.steps) {
        if (!step.facts.some((id) => content.facts.get(id)!.status === 'unverified')) continue;
        for (const lang of LANGUAGES) {
          expect(lookup(lang, step.text), `${lang} ${route.id}/${step.id}`).toMatch(CHECK_WORDING[lang]);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(5 * 5);
  });
});

/**
 * facts.md, "Do not say" (patterns in ./do-not-say.ts, shared with the PDF
 * test): checked over every string of every locale and content file, and
 * reported by file and key so that the sentence to rewrite is easy to find.
 */
describe('"Do not say" guard', () => {
  const files = textFiles();
  it('reads every locale and content file', () => {
    expect(files.length).toBeGreaterThanOrEqual(5 + 10);
    expect(files.filter((f) => f.isLocale).map((f) => f.name.split(/[\\/]/).pop()).sort()).toEqual(LANGUAGES.map((l) => `${l}.json`).sort());
    expect(files.filter((f) => f.isLedger)).toHaveLength(1);
  });
  for (const rule of DO_NOT_SAY) {
    it(`never says: ${rule.claim}`, () => {
      expect(violations(rule, files), rule.pattern.source).toEqual([]);
    });
  }
});

/** F-DDD: going to the Défenseur des droits suspends no deadline; it is never the answer to an OQTF. */
describe('the OQTF route does not send people to the Défenseur des droits', () => {
  it('cites neither F-DDD nor F-DDD-HOURS', () => {
    const route = content.routes.get('route.oqtf')!;
    expect(route, 'route.oqtf').toBeDefined();
    const cited = route.steps.flatMap((step) => step.facts.filter((id) => id === 'F-DDD' || id === 'F-DDD-HOURS').map((id) => `${step.id}: ${id}`));
    expect(cited).toEqual([]);
  });

  it('mentions the Défenseur in no oqtf.* sentence, in any language', () => {
    const defenseur = /D[ée]fenseur|Defensor|ডিফেন্ডার|المدافع/iu;
    const found: string[] = [];
    for (const file of textFiles().filter((f) => f.isLocale)) {
      for (const [key, text] of file.values) if (key.startsWith('oqtf.') && defenseur.test(text)) found.push(`${file.name} ${key}: ${excerpt(text, defenseur)}`);
    }
    expect(found).toEqual([]);
  });
});
