/**
 * Digit scripts people in Guichet's audience type on their phones: ASCII,
 * Arabic-Indic (٠-٩), Persian/Urdu (۰-۹), Bengali (০-৯), Devanagari (०-९)
 * and full-width (０-９). Each block is contiguous from its zero.
 */
const DIGIT_ZEROS = [0x0660, 0x06f0, 0x09e6, 0x0966, 0xff10] as const;

const NON_ASCII_DIGIT = /[\u0660-\u0669\u06f0-\u06f9\u09e6-\u09ef\u0966-\u096f\uff10-\uff19]/g;

export function toAsciiDigits(text: string): string {
  return text.replace(NON_ASCII_DIGIT, (ch) => {
    const code = ch.codePointAt(0)!;
    const zero = DIGIT_ZEROS.find((z) => code >= z && code <= z + 9)!;
    return String(code - zero);
  });
}
