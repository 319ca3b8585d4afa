import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGES, type Language } from '../../machines/lib/intents.js';
import { loadContent } from '../../src/content/load-content.js';
import { ContentError } from '../../src/errors.js';
import { loadLocaleFiles } from '../../src/i18n/translator.js';
import { CONTENT_DIR, LOCALES_DIR, PROJECT_ROOT } from '../../src/paths.js';
import { productionFlows } from '../helpers/flows.js';
import { tempDir } from '../helpers/test-app.js';
import { listFiles } from '../helpers/files.js';

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
  it('gives every fact a source, a check date and a status', () => {
    expect(content.facts.size).toBeGreaterThan(15);
    for (const fact of content.facts.values()) {
      expect(fact.checked).toMatch(/^\d{4}-\d{2}/);
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
    writeFileSync(join(temp.dir, 'routes', 'ngo.json'), JSON.stringify({ id: 'route.ngo', name: 'ngo.name', steps: [] }));
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
 * facts.md, "Do not say": claims that circulate online and are wrong or
 * unverifiable. None may appear in any sentence or content file.
 */
const DO_NOT_SAY: readonly [string, RegExp, { ledgerMayQuote?: boolean }?][] = [
  ['Paris "34 00" as a line', /\b34 ?00\b/],
  ['Marseille 04 84 35 40 13', /04 ?84 ?35 ?40 ?13/],
  ['invented CE n° 465992', /465 ?992/],
  ['invented TA Lyon n° 2301987', /2301987/],
  ['renewal "2 months before" under R.433-11', /R\.? ?433-11/i],
  ['L.526-1 CESEDA as a power to file for someone', /L\.? ?526-1/i],
  ['service-public.fr F33676 as the France Services map', /F33676/i],
  ['old OQTF deadline of 15 days', /\b15 (days|jours|dias|يوما|দিন)/i],
  ['old OQTF deadline of 30 days', /\b30 (days|jours|dias|يوما|দিন)/i],
  // The ledger itself states the opposite ("not a way to stop a deadline").
  ['a letter that freezes or suspends a deadline', /(freezes?|stops?|suspends?) (the|a|any) deadline|suspend(re)? le délai|gèle le délai|suspende o prazo/i, { ledgerMayQuote: true }],
  ['L.112-3 to demand a written refusal', /(written refusal|refus écrit|recusa por escrito)/i],
];

function contentFiles(): string[] {
  return [...listFiles(join(PROJECT_ROOT, 'content'), '.json'), ...listFiles(LOCALES_DIR, '.json')];
}

describe('"Do not say" guard', () => {
  const files = contentFiles();
  it('reads every locale and content file', () => expect(files.length).toBeGreaterThanOrEqual(5 + 10));
  for (const [claim, pattern, options] of DO_NOT_SAY) {
    it(`never says: ${claim}`, () => {
      for (const file of files) {
        if (options?.ledgerMayQuote && file.endsWith(join('facts', 'facts.json'))) continue;
        expect(readFileSync(file, 'utf8'), file).not.toMatch(pattern);
      }
    });
  }
});
