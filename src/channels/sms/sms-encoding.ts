/**
 * How a text goes out as SMS: GSM-7 when every character fits the GSM 03.38
 * alphabet (after the substitutions phones and gateways usually make), UCS-2
 * otherwise (Arabic, Bengali, emoji); cut into the parts of a concatenated
 * message without splitting an escaped character or a surrogate pair.
 */
export type SmsCoding = 'gsm7' | 'ucs2';

export interface SmsEncoding {
  readonly coding: SmsCoding;
  /** The text as it will be sent: substituted for GSM-7, unchanged for UCS-2. */
  readonly text: string;
  /** GSM-7 septets or UCS-2 code units of the whole text. */
  readonly units: number;
  /** The text of each part, in order (one part when it fits a single SMS). */
  readonly parts: readonly string[];
}

/** GSM 03.38 basic alphabet: one septet each. */
const GSM_BASIC = new Set(
  [...'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà'],
);
/** GSM 03.38 extension table: an escape and the character, two septets each. */
const GSM_EXTENDED = new Set([...'^{}\\[~]|€\f']);

/** Single-message and per-part sizes (a concatenated part loses room to its header). */
export const GSM7_SINGLE = 160;
export const GSM7_PART = 153;
export const UCS2_SINGLE = 70;
export const UCS2_PART = 67;

/**
 * The usual substitutions that keep a Latin text in GSM-7 (cheaper and twice
 * as long per part): typographic punctuation and spaces, and French letters
 * the alphabet lacks, written without their accent.
 */
const SUBSTITUTIONS: Readonly<Record<string, string>> = {
  '\u00a0': ' ', '\u202f': ' ', '\u2009': ' ', '\u2007': ' ',
  '\u2018': "'", '\u2019': "'", '\u201a': "'", '\u02bc': "'",
  '\u201c': '"', '\u201d': '"', '\u201e': '"', '«': '"', '»': '"',
  '\u2013': '-', '\u2014': '-', '\u2011': '-', '\u2212': '-',
  '\u2026': '...', '•': '-', '\u2066': '', '\u2067': '', '\u2068': '', '\u2069': '',
  â: 'a', á: 'a', ã: 'a', ê: 'e', ë: 'e', î: 'i', ï: 'i', í: 'i', ô: 'o', ó: 'o', õ: 'o', û: 'u', ú: 'u', ç: 'Ç',
  À: 'A', Â: 'A', Á: 'A', Ã: 'A', È: 'E', Ê: 'E', Ë: 'E', Î: 'I', Ï: 'I', Í: 'I', Ô: 'O', Ó: 'O', Õ: 'O', Ù: 'U', Û: 'U', Ú: 'U',
  œ: 'oe', Œ: 'OE', ÿ: 'y',
};

function septets(char: string): number | undefined {
  if (GSM_BASIC.has(char)) return 1;
  if (GSM_EXTENDED.has(char)) return 2;
  return undefined;
}

/** The text in GSM-7 after substitutions, or undefined when a character has no GSM-7 form. */
export function toGsm7(text: string): string | undefined {
  let out = '';
  for (const char of text) {
    const replaced = SUBSTITUTIONS[char] ?? char;
    for (const c of replaced) if (septets(c) === undefined) return undefined;
    out += replaced;
  }
  return out;
}

export function encodeSms(text: string): SmsEncoding {
  const gsm = toGsm7(text);
  if (gsm !== undefined) return split('gsm7', gsm, [...gsm].map((c) => ({ text: c, units: septets(c)! })), GSM7_SINGLE, GSM7_PART);
  // UCS-2 counts UTF-16 code units: an emoji outside the BMP is a surrogate pair, two units, never split.
  return split('ucs2', text, [...text].map((c) => ({ text: c, units: c.length })), UCS2_SINGLE, UCS2_PART);
}

function split(coding: SmsCoding, text: string, chars: readonly { text: string; units: number }[], single: number, perPart: number): SmsEncoding {
  const units = chars.reduce((n, c) => n + c.units, 0);
  if (units === 0) return { coding, text, units, parts: [] };
  if (units <= single) return { coding, text, units, parts: [text] };
  const parts: string[] = [];
  let current = '';
  let room = perPart;
  for (const c of chars) {
    if (c.units > room) {
      parts.push(current);
      current = '';
      room = perPart;
    }
    current += c.text;
    room -= c.units;
  }
  if (current) parts.push(current);
  return { coding, text, units, parts };
}
