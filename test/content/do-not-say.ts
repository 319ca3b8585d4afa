import { readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { LOCALES_DIR, PROJECT_ROOT } from '../../src/paths.js';
import { listFiles } from '../helpers/files.js';

/**
 * facts.md, "Do not say": claims that circulate online and are wrong or
 * unverifiable. None may appear in any sentence, content file or generated
 * document. Patterns are matched against decoded text (JSON string values,
 * PDF text), never against keys.
 */
export interface DoNotSay {
  readonly claim: string;
  readonly pattern: RegExp;
  /** The facts ledger states the opposite, or keeps the figure for editors. */
  readonly ledgerMayQuote?: boolean;
  /** Only sentences shown to people (locales/*.json) are checked. */
  readonly localesOnly?: boolean;
}

// A number that stands alone: not part of a longer number, an id or a hex
// fingerprint, and not a group of a number written "1 570" or "2,840".
const NUMBER_BEFORE = String.raw`(?<![\p{Nd}\p{L}_.,]|\p{Nd}[\s\u00a0\u202f])`;
const NUMBER_AFTER = String.raw`(?![\p{Nd}\p{L}_]|[.,\s\u00a0\u202f]\p{Nd})`;
const SPACE = String.raw`[\s\u00a0\u202f]`;

export const DO_NOT_SAY: readonly DoNotSay[] = [
  { claim: 'Paris "34 00" as a line', pattern: /\b34 ?00\b/ },
  { claim: 'Marseille 04 84 35 40 13', pattern: /04 ?84 ?35 ?40 ?13/ },
  { claim: 'invented CE n° 465992', pattern: /465 ?992/ },
  { claim: 'invented TA Lyon n° 2301987', pattern: /2301987/ },
  { claim: 'renewal "2 months before" under R.433-11', pattern: /R\.? ?433-11/i },
  { claim: 'L.526-1 CESEDA as a power to file for someone', pattern: /L\.? ?526-1/i },
  { claim: 'service-public.fr F33676 as the France Services map', pattern: /F33676/i },
  { claim: 'old OQTF deadline of 15 days', pattern: /\b15 (days|jours|dias|يوما|দিন)/i },
  { claim: 'old OQTF deadline of 30 days', pattern: /\b30 (days|jours|dias|يوما|দিন)/i },
  // The ledger itself states the opposite ("not a way to stop a deadline").
  {
    claim: 'a letter that freezes or suspends a deadline',
    pattern: /(freezes?|stops?|suspends?) (the|a|any) deadline|suspend(re)? le délai|gèle le délai|suspende o prazo/i,
    ledgerMayQuote: true,
  },
  { claim: 'L.112-3 to demand a written refusal', pattern: /(written refusal|refus écrit|recusa por escrito)/i },
  // F-CCC: a 0806 number is a free service at the price of a normal call.
  {
    claim: 'the ANEF line as a "free call"',
    pattern: /free[- ]?(phone )?call|freephone|toll[- ]free|appel gratuit|num[ée]ro (gratuit|vert)|chamada gratuita|liga[çc][ãa]o gratuita|مكالمة مجانية|বিনামূল্যে কল/iu,
  },
  // F-OQTF: assignation à résidence is living at a set address and reporting to the police.
  {
    claim: '"house arrest" for assignation à résidence',
    pattern: /house arrest|pris[ãa]o domicili[aá]r|الإقامة الجبرية|গৃহবন্দ|r[ée]sidence surveill[ée]e/iu,
  },
  // F-FEES-2026: amounts are reported, never certain.
  {
    claim: 'an exact fee amount',
    pattern: new RegExp(
      String.raw`\p{Nd}[\p{Nd}.,\s\u00a0\u202f]*${SPACE}?(€|euros?\b|EUR\b|يورو|ইউরো)|(€|\beuros?\b|\bEUR\b|يورو|ইউরো)${SPACE}?\p{Nd}`,
      'iu',
    ),
    ledgerMayQuote: true,
  },
  // F-DDD, F-FS: counts change; the ledger keeps the dated figures for editors.
  {
    claim: 'an exact count of delegates or France Services offices',
    pattern: new RegExp(`${NUMBER_BEFORE}(?:570|870|2(?:[,.]|${SPACE})?840)${NUMBER_AFTER}`, 'u'),
    ledgerMayQuote: true,
  },
  // F-OQTF: the date is for the ledger; people are told to read the deadline on their decision.
  {
    claim: '"notified since 15 July 2024"',
    pattern: /(?<!\p{Nd})(15|١٥|১৫)\s+(July|juillet|de julho de|يوليو|জুলাই)\s+(2024|٢٠٢٤|২০২৪)/iu,
    localesOnly: true,
  },
  // F-PREFECTURE-BOOKING: most prefectures receive foreigners by appointment only.
  {
    claim: 'that a person "can just go" to the prefecture',
    pattern: /just go|simply go|can go to the prefecture|pouvez vous rendre directement|allez simplement|pode ir diretamente/i,
  },
];

export interface TextFile {
  /** Path from the project root, e.g. locales/en.json. */
  readonly name: string;
  readonly isLedger: boolean;
  readonly isLocale: boolean;
  /** Every string value, with its key path (facts.3.statement, oqtf.intro). */
  readonly values: readonly (readonly [key: string, text: string])[];
}

function strings(value: unknown, path: string, out: [string, string][]): [string, string][] {
  if (typeof value === 'string') out.push([path, value]);
  else if (Array.isArray(value)) value.forEach((v, i) => strings(v, path ? `${path}.${i}` : String(i), out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) strings(v, path ? `${path}.${k}` : k, out);
  return out;
}

/** Every locale file and every content file (routes, documents, the facts ledger). */
export function textFiles(): TextFile[] {
  const files = [...listFiles(join(PROJECT_ROOT, 'content'), '.json'), ...listFiles(LOCALES_DIR, '.json')].sort();
  return files.map((file) => {
    const values = strings(JSON.parse(readFileSync(file, 'utf8')), '', []);
    const name = relative(PROJECT_ROOT, file);
    const isLedger = file.endsWith(join('facts', 'facts.json'));
    // In the ledger, name a fact by its id rather than its index.
    const named = isLedger
      ? values.map(([key, text]): [string, string] => {
          const index = /^facts\.(\d+)\./.exec(key)?.[1];
          const id = index === undefined ? undefined : values.find(([k]) => k === `facts.${index}.id`)?.[1];
          return [id ? key.replace(`facts.${index}.`, `${id}.`) : key, text];
        })
      : values;
    return { name, isLedger, isLocale: relative(LOCALES_DIR, file) === basename(file), values: named };
  });
}

/** The part of `text` around the first match, for a readable failure. */
export function excerpt(text: string, pattern: RegExp): string {
  const match = pattern.exec(text);
  if (!match) return '';
  const from = Math.max(0, match.index - 30);
  return `…${text.slice(from, match.index + match[0].length + 30).replace(/\s+/g, ' ')}…`;
}

/** Where `rule` is broken in these files: "locales/en.json phone.intro: …free call…". */
export function violations(rule: DoNotSay, files: readonly TextFile[]): string[] {
  const found: string[] = [];
  for (const file of files) {
    if (rule.ledgerMayQuote && file.isLedger) continue;
    if (rule.localesOnly && !file.isLocale) continue;
    for (const [key, raw] of file.values) {
      // One space for any run of spaces, line breaks or no-break spaces.
      const text = raw.replace(/\s+/g, ' ');
      if (rule.pattern.test(text)) found.push(`${file.name} ${key}: ${excerpt(text, rule.pattern)}`);
    }
  }
  return found;
}
