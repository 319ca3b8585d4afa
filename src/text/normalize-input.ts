import { toAsciiDigits } from './digits.js';

/** Longest text kept from one message; more than any honest answer needs. */
export const MAX_INPUT_LENGTH = 4000;

// Bidi controls, zero-width characters and the BOM: invisible, often pasted
// along with numbers from other apps, and they would break every comparison.
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u061c]/g;
// C0/C1 control characters other than tab and newline.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * What the engine and machines see of typed text: Unicode NFC, no invisible
 * or control characters, ASCII digits, spaces tidied, bounded length.
 */
export function normalizeInput(raw: string): string {
  // Invisible characters go before composing: one between a letter and its
  // accent would otherwise keep them apart.
  const text = toAsciiDigits(raw.replace(INVISIBLE, '').replace(CONTROL, ' ').normalize('NFC'));
  return cutAt(text, MAX_INPUT_LENGTH).replace(/[ \t]+/g, ' ').trim();
}

/** At most `length` UTF-16 units, never half of an emoji or other surrogate pair. */
function cutAt(text: string, length: number): string {
  if (text.length <= length) return text;
  const cut = text.slice(0, length);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

/**
 * A loose form for comparing a typed word with a command or option label:
 * lower case, Latin accents dropped, Arabic spelling variants folded (alef
 * forms, tāʾ marbūṭa, alef maqṣūra, short vowels, tatweel), surrounding
 * punctuation and a leading "/" (Telegram-style commands) removed.
 */
export function matchKey(text: string): string {
  return text
    .replace(/[\u064b-\u065f\u0670\u0640]/g, '')
    .replace(/[\u0622\u0623\u0625\u0671]/g, '\u0627')
    .replace(/\u0629/g, '\u0647')
    .replace(/\u0649/g, '\u064a')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC')
    .toLowerCase()
    .replace(/^[\s/.,;:!?¿¡'"«»()\-–—؟،]+|[\s.,;:!?¿¡'"«»()\-–—۔।؟،]+$/gu, '')
    .replace(/\s+/g, ' ');
}
