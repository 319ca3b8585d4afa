/**
 * Parsers for typed answers. The engine has already turned every digit script
 * (Arabic-Indic, Persian, Bengali…) into ASCII digits and trimmed the text.
 * Each parser returns undefined when the answer does not fit, so the machine
 * can explain and ask again.
 */
import { isValidDate, toIsoDate } from './calendar.js';

const WHOLE_NUMBER = /^\d{1,4}$/;

export function parseWholeNumber(text: string): number | undefined {
  const trimmed = text.trim();
  return WHOLE_NUMBER.test(trimmed) ? Number(trimmed) : undefined;
}

export function parseDayOfMonth(text: string): number | undefined {
  const day = parseWholeNumber(text);
  return day !== undefined && day >= 1 && day <= 31 ? day : undefined;
}

export function parseYear(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^\d{4}$/.test(trimmed)) return undefined;
  const year = Number(trimmed);
  return year >= 1900 && year <= 2200 ? year : undefined;
}

export type FullDateResult = { kind: 'date'; iso: string } | { kind: 'impossible' } | { kind: 'no-match' };

/**
 * A whole date typed in one go, day first as written in France: 28/11/2026,
 * 28.11.2026, 28-11-2026, 28 11 2026, or with a two-digit year (28.11.26).
 * "31/02/2026" is recognised as a date that does not exist rather than as
 * unreadable text. A two-digit year is this century unless that would put it
 * more than 20 years ahead of `today` (a birth year: 15/04/85 is 1985).
 * Month names ("28 novembre 2026") and "today" are turned into this form by
 * the engine, which knows every language's words.
 */
export function parseFullDate(text: string, today?: string): FullDateResult {
  const match = /^(\d{1,2})\s*[/.\-\s]\s*(\d{1,2})\s*[/.\-\s]\s*(\d{4}|\d{2})$/.exec(text.trim());
  if (!match) return { kind: 'no-match' };
  const day = Number(match[1]);
  const month = Number(match[2]);
  const year = match[3]!.length === 2 ? fullYear(Number(match[3]), today) : Number(match[3]);
  return isValidDate(year, month, day) ? { kind: 'date', iso: toIsoDate(year, month, day) } : { kind: 'impossible' };
}

function fullYear(twoDigits: number, today: string | undefined): number {
  const thisYear = today ? Number(today.slice(0, 4)) : 2000;
  return 2000 + twoDigits > thisYear + 20 ? 1900 + twoDigits : 2000 + twoDigits;
}

/** 14:30, 14h30, 14 h 30, 14.30, 14h or 9 → "HH:MM". */
export function parseTimeOfDay(text: string): string | undefined {
  const match = /^(\d{1,2})\s*(?:[:h.]\s*(\d{2})?)?\s*$/i.exec(text.trim());
  if (!match) return undefined;
  const hours = Number(match[1]);
  const minutes = match[2] === undefined ? 0 : Number(match[2]);
  if (hours > 23 || minutes > 59) return undefined;
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

const LATIN_NAME = /^[\p{Script=Latin}][\p{Script=Latin}\s'’.-]*$/u;

/**
 * Names that go into French documents must be written in Latin letters, as on
 * a passport. Returns the name with spaces tidied, or undefined.
 */
export function parseLatinName(text: string): string | undefined {
  const tidy = text.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (tidy.length === 0 || tidy.length > 80) return undefined;
  return LATIN_NAME.test(tidy) ? tidy : undefined;
}

/** A telephone number as typed: 4 to 15 digits ("34 30" to international), with optional +, spaces, dots, dashes. */
export function parsePhoneNumber(text: string): string | undefined {
  const tidy = text.replace(/\s+/g, ' ').trim();
  if (!/^\+?[\d .()-]+$/.test(tidy)) return undefined;
  const digits = tidy.replace(/\D/g, '').length;
  return digits >= 4 && digits <= 15 ? tidy : undefined;
}

/** A short free note; long texts are refused rather than silently cut. */
export function parseNote(text: string, maxLength = 500): string | undefined {
  const tidy = text.trim();
  return tidy.length > 0 && tidy.length <= maxLength ? tidy : undefined;
}

/**
 * A name shown to someone else (a helper's name, the label of a case): one
 * line, without the invisible characters that could make it look like
 * another name (zero-width joiners, bidi overrides, other default-ignorable
 * or control characters), spaces collapsed; undefined when nothing visible is left.
 */
export function parseShownName(text: string, maxLength: number): string | undefined {
  const visible = text
    .normalize('NFC')
    .replace(/\p{Cc}/gu, ' ')
    .replace(/[\p{Default_Ignorable_Code_Point}\p{Cf}]/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
  return visible.length > 0 && visible.length <= maxLength ? visible : undefined;
}

/**
 * A helper's link code: ten digits, never starting with 0, read through the
 * spaces, dots and dashes people type ("48 29 13 55 70", "4829-1355-70");
 * digits of other scripts are already ASCII after normalisation.
 */
export function parseLinkCode(text: string): string | undefined {
  const digits = text.replace(/[\s.\-]/g, '');
  return /^[1-9]\d{9}$/.test(digits) ? digits : undefined;
}
