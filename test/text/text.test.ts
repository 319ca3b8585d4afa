import { describe, expect, it } from 'vitest';
import { toAsciiDigits } from '../../src/text/digits.js';
import { isolateLtrRuns, LRI, PDI } from '../../src/text/bidi.js';
import { matchKey, MAX_INPUT_LENGTH, normalizeInput } from '../../src/text/normalize-input.js';

describe('digits', () => {
  it.each([
    ['٠١٢٣٤٥٦٧٨٩', '0123456789'],
    ['۰۱۲۳۴۵۶۷۸۹', '0123456789'],
    ['০১২৩৪৫৬৭৮৯', '0123456789'],
    ['०१२', '012'],
    ['１２', '12'],
    ['٢٨/১১/2026', '28/11/2026'],
    ['no digits', 'no digits'],
  ])('%s → %s', (input, expected) => expect(toAsciiDigits(input)).toBe(expected));
});

describe('normalizeInput', () => {
  it('removes invisible and control characters and tidies spaces', () => {
    expect(normalizeInput('\u200f 2\u2066\u0000  \u202e ')).toBe('2');
    expect(normalizeInput('a\tb   c')).toBe('a b c');
  });
  it('bounds very long text', () => {
    expect(normalizeInput('x'.repeat(100_000)).length).toBe(MAX_INPUT_LENGTH);
  });
  it('composes decomposed accents', () => {
    expect(normalizeInput('Fran\u0063\u0327ais')).toBe('Français');
  });
});

describe('matchKey', () => {
  it('folds case, Latin accents, punctuation and a leading slash', () => {
    expect(matchKey('/Menu!')).toBe('menu');
    expect(matchKey('  Précédent ? ')).toBe('precedent');
  });
  it('folds Arabic spelling variants', () => {
    expect(matchKey('اللغة')).toBe(matchKey('اللغه'));
    expect(matchKey('أرجع')).toBe(matchKey('ارجع'));
    expect(matchKey('القائمة؟')).toBe(matchKey('القائمة'));
  });
  it('leaves Bengali vowel signs alone, so different words stay different', () => {
    expect(matchKey('ভাষা')).toBe('ভাষা');
    expect(matchKey('ভাষা')).not.toBe(matchKey('ভষ'));
  });
});

describe('isolateLtrRuns', () => {
  it('isolates phone numbers, dates and French terms inside Arabic', () => {
    const out = isolateLtrRuns('اتصل بـ 0 806 001 620 أو اذهب إلى France Services يوم 28/11/2026.');
    expect(out).toContain(`${LRI}0 806 001 620${PDI}`);
    expect(out).toContain(`${LRI}France Services${PDI}`);
    expect(out).toContain(`${LRI}28/11/2026${PDI}`);
    expect(out.endsWith('.')).toBe(true);
  });
  it("keeps apostrophes inside a French term and leaves Arabic alone", () => {
    expect(isolateLtrRuns("نقطة point d'accueil numérique هنا")).toBe(`نقطة ${LRI}point d'accueil numérique${PDI} هنا`);
    expect(isolateLtrRuns('مرحبا')).toBe('مرحبا');
  });
  it('keeps the @ of a Telegram username with it, on the right side', () => {
    expect(isolateLtrRuns('على Telegram، @karim_b')).toBe(`على ${LRI}Telegram${PDI}، ${LRI}@karim_b${PDI}`);
  });
});
