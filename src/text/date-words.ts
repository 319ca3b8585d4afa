import { LANGUAGES, type Language } from '../../machines/lib/intents.js';
import { addDays, parseIsoDate } from '../../machines/lib/calendar.js';
import { matchKey } from './normalize-input.js';

/** Shortest beginning of a month name taken for the month ("nov", "févr"). */
const MIN_PREFIX = 3;

/**
 * Dates as people write them in words, in any of Guichet's languages:
 * "12 novembre 2026", "12 nov. 2026", "1er mars 2027", "aujourd'hui",
 * "أمس". Turned into 12/11/2026 before a date question's machine reads the
 * answer, so machines parse one form only and stay free of locale data.
 */
export class DateWords {
  private constructor(
    /** Month names (folded with matchKey) → month number. */
    private readonly months: ReadonlyMap<string, number>,
    /** "today" and "yesterday" in every language → days from today. */
    private readonly relative: ReadonlyMap<string, number>,
  ) {}

  /** Built from the locales: `date.month_1` … `date.month_12`, `date.today`, `date.yesterday`. */
  static fromLocales(t: (lang: Language, key: string) => string): DateWords {
    const months = new Map<string, number>();
    const relative = new Map<string, number>();
    for (const lang of LANGUAGES) {
      for (let m = 1; m <= 12; m++) months.set(matchKey(t(lang, `date.month_${m}`)), m);
      relative.set(matchKey(t(lang, 'date.today')), 0);
      relative.set(matchKey(t(lang, 'date.yesterday')), -1);
    }
    return new DateWords(months, relative);
  }

  /** The date as digits (DD/MM/YYYY), or undefined when the text is not a date in words. */
  toDigits(text: string, today: string): string | undefined {
    const key = matchKey(text);
    const shift = this.relative.get(key);
    if (shift !== undefined) return digits(addDays(today, shift));
    // Day, month name, year: "12 novembre 2026", "1er mars 2027", "12 de novembro de 2026".
    const match = /^(\d{1,2})(?:er|st|nd|rd|th|º|°)?\s+(?:de\s+)?(\p{L}[\p{L}\p{M}.]*)\s+(?:de\s+)?(\d{4})$/u.exec(key);
    if (!match) return undefined;
    const month = this.month(match[2]!.replace(/\.$/, ''));
    return month ? `${match[1]}/${month}/${match[3]}` : undefined;
  }

  private month(word: string): number | undefined {
    const exact = this.months.get(word);
    if (exact) return exact;
    if (word.length < MIN_PREFIX) return undefined;
    const found = new Set<number>();
    for (const [name, month] of this.months) if (name.startsWith(word)) found.add(month);
    // "ju" could be June or July: only a beginning that names one month counts.
    return found.size === 1 ? [...found][0] : undefined;
  }
}

function digits(iso: string): string {
  const { year, month, day } = parseIsoDate(iso);
  return `${day}/${month}/${year}`;
}
