import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import i18next, { type TFunction } from 'i18next';
import { LANGUAGES, type Language } from '../../machines/lib/intents.js';
import { ContentError } from '../errors.js';

export type Resources = Record<Language, Record<string, unknown>>;

export function loadLocaleFiles(dir: string): Resources {
  const resources = {} as Resources;
  for (const lang of LANGUAGES) {
    const file = join(dir, `${lang}.json`);
    try {
      resources[lang] = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new ContentError(`locale file ${file} is missing or not valid JSON`, { cause: error });
    }
  }
  return resources;
}

/**
 * Sentences in the five languages. Each call names its language: the same
 * message is rendered for a person in Arabic and their helper in French, so
 * there is no global "current language".
 */
export interface Translator {
  t(lang: Language, key: string, params?: Record<string, unknown>): string;
  has(lang: Language, key: string): boolean;
}

/**
 * `documents` holds the French texts of papers addressed to the
 * administration; they exist in French only, under the `documents:` namespace.
 */
export function createTranslator(resources: Resources, documents: Record<string, unknown> = {}): Translator {
  const instance = i18next.createInstance();
  const bundles = Object.fromEntries(LANGUAGES.map((lang) => [lang, { translation: resources[lang] } as Record<string, unknown>]));
  bundles.fr!.documents = documents;
  void instance.init({
    initAsync: false,
    resources: bundles as never,
    ns: ['translation', 'documents'],
    defaultNS: 'translation',
    lng: 'en',
    // A gap is caught by the completeness test; at run time English is a
    // better answer than a raw key.
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    // Chat text is not HTML.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  const fixed = new Map<Language, TFunction>(LANGUAGES.map((lang) => [lang, instance.getFixedT(lang)]));
  // Resources never change while running, so a sentence without parameters
  // is looked up once: menus and option labels are rendered on every turn.
  const plain = new Map<string, string>();
  return {
    t: (lang, key, params) => {
      if (params) return fixed.get(lang)!(key, params) as string;
      const cacheKey = `${lang}\u0000${key}`;
      let text = plain.get(cacheKey);
      if (text === undefined) {
        text = fixed.get(lang)!(key, {}) as string;
        plain.set(cacheKey, text);
      }
      return text;
    },
    has: (lang, key) => instance.exists(key, { lng: lang, fallbackLng: false }),
  };
}
