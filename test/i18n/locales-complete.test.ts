import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGES, type Language } from '../../machines/lib/intents.js';
import { loadLocaleFiles } from '../../src/i18n/translator.js';
import { LOCALES_DIR, PROJECT_ROOT } from '../../src/paths.js';
import { loadContent } from '../../src/content/load-content.js';
import { productionFlows } from '../helpers/flows.js';
import { listFiles } from '../helpers/files.js';

const resources = loadLocaleFiles(LOCALES_DIR);
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

function flatten(obj: Record<string, unknown>, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object') for (const [kk, vv] of flatten(v as Record<string, unknown>, key)) out.set(kk, vv);
    else out.set(key, v as string);
  }
  return out;
}

const flat = Object.fromEntries(LANGUAGES.map((l) => [l, flatten(resources[l])])) as Record<Language, Map<string, string>>;
const pluralBases = new Set([...flat.en.keys()].filter((k) => PLURAL_SUFFIX.test(k)).map((k) => k.replace(PLURAL_SUFFIX, '')));
const baseKeys = new Set([...flat.en.keys()].map((k) => (PLURAL_SUFFIX.test(k) ? k.replace(PLURAL_SUFFIX, '') : k)));
const vars = (s: string) => new Set([...s.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1]!));

function expectedKeys(lang: Language): Set<string> {
  const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
  const keys = new Set<string>();
  for (const base of baseKeys) {
    if (pluralBases.has(base)) for (const c of categories) keys.add(`${base}_${c}`);
    else keys.add(base);
  }
  return keys;
}

describe('locales', () => {
  for (const lang of LANGUAGES) {
    describe(lang, () => {
      it('has every key, every plural form the language needs, and nothing else', () => {
        const expected = [...expectedKeys(lang)].sort();
        const actual = [...flat[lang].keys()].sort();
        expect(actual.filter((k) => !expected.includes(k)), 'extra keys').toEqual([]);
        expect(expected.filter((k) => !actual.includes(k)), 'missing keys').toEqual([]);
      });

      it('has a non-empty string for every key', () => {
        for (const [key, value] of flat[lang]) expect(typeof value === 'string' && value.trim().length > 0, key).toBe(true);
      });

      it('keeps every text within one small-phone screen (700 characters)', () => {
        for (const [key, value] of flat[lang]) expect(String(value).length, key).toBeLessThanOrEqual(700);
      });

      it('uses exactly the variables of the English text', () => {
        for (const [key, value] of flat[lang]) {
          const base = key.replace(PLURAL_SUFFIX, '');
          const english = pluralBases.has(base) ? (flat.en.get(`${base}_other`) ?? '') : (flat.en.get(key) ?? '');
          const want = vars(english);
          const got = vars(value);
          if (pluralBases.has(base)) {
            // Arabic "one" and "two" forms may say the number in words instead of {{count}}.
            want.delete('count');
            got.delete('count');
          }
          expect([...got].sort(), `${lang} ${key}`).toEqual([...want].sort());
        }
      });

      it('leaves bidi control characters to the renderer', () => {
        for (const [key, value] of flat[lang]) expect(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(value), key).toBe(false);
      });

      it('keeps phone numbers exactly as in the facts', () => {
        for (const [key, value] of flat.en) {
          for (const number of value.match(/\b0 806 001 620\b|\b34 30\b/g) ?? []) expect(flat[lang].get(key), `${lang} ${key}`).toContain(number);
        }
      });
    });
  }

  it('gives every command word to one command only, across all languages', () => {
    const owner = new Map<string, string>();
    for (const lang of LANGUAGES) {
      for (const [key, value] of flat[lang]) {
        if (!key.startsWith('commands.')) continue;
        for (const word of value.split('|')) {
          const w = word.trim().toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
          expect(owner.get(w) ?? key, `"${w}" in ${lang}`).toBe(key);
          owner.set(w, key);
        }
      }
    }
  });

  it('has every key the content files name, in every language', () => {
    const { routes } = loadContent(join(PROJECT_ROOT, 'content'));
    const keys = [...routes.values()].flatMap((r) => [
      r.name,
      ...(r.summary ? [r.summary] : []),
      ...r.steps.flatMap((s) => [s.text, ...(s.checklist ?? []), ...(s.links ?? []).map((l) => l.label)]),
    ]);
    expect(keys.length).toBeGreaterThan(50);
    for (const lang of LANGUAGES) for (const key of keys) expect(flat[lang].has(key), `${lang} ${key}`).toBe(true);
  });

  it('has every key the code names', () => {
    const files = [...listFiles(join(PROJECT_ROOT, 'src'), '.ts'), ...listFiles(join(PROJECT_ROOT, 'machines'), '.ts')];
    const flowIds = new Set(productionFlows().keys());
    const namespaces = new Set([...baseKeys].map((k) => k.split('.')[0]));
    const referenced = new Set<string>();
    // French documents use their own namespace (content/documents), not the locales.
    // Store operation names ('reminders.claimDue') are labels for errors, not sentences.
    for (const file of files.filter((f) => !f.includes(join('src', 'documents')) && !f.includes(join('src', 'store')))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/'([a-z_]+\.[a-z_.0-9]+)'/g)) {
        const key = m[1]!;
        if (namespaces.has(key.split('.')[0]!) && !key.endsWith('.') && !flowIds.has(key)) referenced.add(key);
      }
    }
    expect(referenced.size).toBeGreaterThan(30);
    for (const key of referenced) expect(baseKeys.has(key), key).toBe(true);
  });
});
