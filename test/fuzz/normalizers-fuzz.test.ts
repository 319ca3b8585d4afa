import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseDayOfMonth,
  parseFullDate,
  parseLatinName,
  parseLinkCode,
  parseNote,
  parsePhoneNumber,
  parseTimeOfDay,
  parseWholeNumber,
  parseYear,
} from '../../machines/lib/answers.js';
import { MAX_INPUT_LENGTH, normalizeInput } from '../../src/text/normalize-input.js';
import { sniffProofType } from '../../src/vault/sniff-type.js';
import {
  generatedFile,
  hostilePiece,
  hostileText,
  NORMALIZER_RUNS,
  SIGNATURE_MIN_LENGTH,
  SIGNATURE_TYPE,
  typedCode,
  typedDate,
  typedTime,
  wrapped,
} from './arbitraries.js';

/**
 * Every text normalizer and answer parser, and the file-type sniffer, on at
 * least NORMALIZER_RUNS generated inputs each. Each property checks the
 * contract of the function, not only that it does not throw; where the input
 * is built from known parts (a date, a time, a code) it is checked against an
 * independent oracle.
 */
const runs = { numRuns: NORMALIZER_RUNS };

/** What the engine hands to parsers: raw text through normalizeInput; parsers must cope with raw text too. */
const parserInput = fc.oneof(
  hostileText.map((raw) => ({ raw, text: normalizeInput(raw) })),
  hostileText.map((raw) => ({ raw, text: raw })),
);

const INVISIBLE_OR_CONTROL = /[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u061c\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const NON_ASCII_DIGIT = /[\u0660-\u0669\u06f0-\u06f9\u09e6-\u09ef\u0966-\u096f\uff10-\uff19]/;

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

describe(`fuzz: text normalizers and parsers (${NORMALIZER_RUNS} runs each)`, () => {
  it('normalizeInput: bounded, trimmed, no invisible or control characters, ASCII digits only', () => {
    fc.assert(
      fc.property(fc.oneof(hostileText, wrapped(hostileText)), (raw) => {
        const text = normalizeInput(raw);
        expect(typeof text).toBe('string');
        expect(text.length).toBeLessThanOrEqual(MAX_INPUT_LENGTH);
        expect(text).not.toMatch(INVISIBLE_OR_CONTROL);
        expect(text).not.toMatch(NON_ASCII_DIGIT);
        expect(text).not.toMatch(/\t|[ ]{2}/);
        expect(text).toBe(text.trim());
        // NFC as documented, even where an invisible character was removed from between a letter and its mark.
        expect(text).toBe(text.normalize('NFC'));
        // Idempotent: a second pass changes nothing.
        expect(normalizeInput(text)).toBe(text);
      }),
      runs,
    );
  });

  it('parseFullDate: a real calendar date, an impossible one (31/02), or no match; agrees with the calendar', () => {
    fc.assert(
      fc.property(fc.oneof(parserInput.map((p) => ({ ...p, date: undefined })), typedDate.map((d) => ({ raw: d.text, text: normalizeInput(d.text), date: d }))), ({ text, date }) => {
        const result = parseFullDate(text);
        expect(['date', 'impossible', 'no-match']).toContain(result.kind);
        if (result.kind === 'date') {
          const [y, m, d] = result.iso.split('-').map(Number) as [number, number, number];
          expect(result.iso).toMatch(/^\d{4}-\d{2}-\d{2}$/);
          expect(y).toBeGreaterThanOrEqual(1900);
          expect(y).toBeLessThanOrEqual(2200);
          expect(d).toBeLessThanOrEqual(daysIn(y, m));
        }
        if (date) {
          // Built from a day, a month and a four-digit year: never "no match", and a date exactly when the calendar has it.
          const exists = date.year >= 1900 && date.year <= 2200 && date.month >= 1 && date.month <= 12 && date.day >= 1 && date.day <= daysIn(date.year, date.month);
          if (date.year <= 9999) {
            expect(result).toEqual(
              exists
                ? { kind: 'date', iso: `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}` }
                : { kind: 'impossible' },
            );
          }
        }
      }),
      runs,
    );
    expect(parseFullDate('31/02/2026')).toEqual({ kind: 'impossible' });
    expect(parseFullDate(normalizeInput('٢٩/٠٢/٢٠٢٨'))).toEqual({ kind: 'date', iso: '2028-02-29' });
  });

  it('parseTimeOfDay: HH:MM within the day, or nothing; agrees with the clock', () => {
    fc.assert(
      fc.property(fc.oneof(parserInput.map((p) => ({ ...p, time: undefined })), typedTime.map((t) => ({ raw: t.text, text: normalizeInput(t.text), time: t }))), ({ text, time }) => {
        const result = parseTimeOfDay(text);
        if (result !== undefined) expect(result).toMatch(/^([01]\d|2[0-3]):[0-5]\d$/);
        if (time) {
          const valid = time.hours <= 23 && (time.minutes ?? 0) <= 59;
          expect(result).toBe(valid ? `${String(time.hours).padStart(2, '0')}:${String(time.minutes ?? 0).padStart(2, '0')}` : undefined);
        }
      }),
      runs,
    );
  });

  it('parseLatinName: Latin letters, spaces, apostrophes, dots and hyphens, tidied, at most 80 characters', () => {
    const names = fc.array(fc.oneof(hostilePiece, fc.constantFrom('Amina', 'Ngũgĩ', "d'Arc", 'Ø', 'Œ', 'ǅ', 'ﬀ', 'Ａ', ' ', '  ', '\t', '-', '.')), { maxLength: 12 }).map((p) => p.join(''));
    fc.assert(
      fc.property(fc.oneof(parserInput.map((p) => p.text), names, wrapped(names)), (text) => {
        const name = parseLatinName(text);
        if (name === undefined) return;
        expect(name.length).toBeGreaterThan(0);
        expect(name.length).toBeLessThanOrEqual(80);
        expect(name).toBe(name.trim());
        expect(name).not.toMatch(/\s{2}|[\t\n\r]/);
        expect(name).toMatch(/^\p{Script=Latin}[\p{Script=Latin} '’.-]*$/u);
        expect(name).toBe(name.normalize('NFC'));
      }),
      runs,
    );
  });

  it('parsePhoneNumber: 4 to 15 digits with only + . ( ) - and spaces around them', () => {
    const phones = fc
      .tuple(fc.constantFrom('', '+', '00', '+33 ', '(0)'), fc.array(fc.oneof(fc.stringMatching(/^\d{1,4}$/), fc.constantFrom(' ', '.', '-', '(', ')', '  ', '\u00a0', 'x')), { maxLength: 10 }))
      .map(([prefix, parts]) => prefix + parts.join(''));
    fc.assert(
      fc.property(fc.oneof(parserInput.map((p) => p.text), phones, phones.map(normalizeInput)), (text) => {
        const phone = parsePhoneNumber(text);
        if (phone === undefined) return;
        expect(phone).toMatch(/^\+?[\d .()-]+$/);
        expect(phone).toBe(phone.trim());
        const digits = phone.replace(/\D/g, '').length;
        expect(digits).toBeGreaterThanOrEqual(4);
        expect(digits).toBeLessThanOrEqual(15);
      }),
      runs,
    );
  });

  it('parseWholeNumber, parseDayOfMonth and parseYear: integers in range or nothing, and they agree with each other', () => {
    const numbers = fc.oneof(fc.integer({ min: -100, max: 100_000 }).map(String), fc.stringMatching(/^\s?\d{1,6}\s?$/), fc.constantFrom('01', '0031', '1e3', '0x10', '1.5', '+1', '١٢', '31 ', ' 2026'));
    fc.assert(
      fc.property(fc.oneof(parserInput.map((p) => p.text), numbers, numbers.map(normalizeInput)), (text) => {
        const whole = parseWholeNumber(text);
        const day = parseDayOfMonth(text);
        const year = parseYear(text);
        if (whole !== undefined) {
          expect(Number.isInteger(whole)).toBe(true);
          expect(whole).toBeGreaterThanOrEqual(0);
          expect(whole).toBeLessThanOrEqual(9999);
          expect(text.trim()).toMatch(/^\d+$/);
        }
        expect(day).toBe(whole !== undefined && whole >= 1 && whole <= 31 ? whole : undefined);
        if (year !== undefined) {
          expect(year).toBe(whole);
          expect(year).toBeGreaterThanOrEqual(1900);
          expect(year).toBeLessThanOrEqual(2200);
        }
      }),
      runs,
    );
  });

  it('parseNote: a non-empty trimmed note within the limit, never silently cut', () => {
    fc.assert(
      fc.property(parserInput.map((p) => p.text), fc.option(fc.integer({ min: 0, max: 5000 }), { nil: undefined }), (text, max) => {
        const note = parseNote(text, max);
        const limit = max ?? 500;
        const tidy = text.trim();
        expect(note).toBe(tidy.length > 0 && tidy.length <= limit ? tidy : undefined);
      }),
      runs,
    );
  });

  it('parseLinkCode: ten ASCII digits not starting with 0, read through spaces, dots and dashes in any digit script', () => {
    fc.assert(
      fc.property(fc.oneof(parserInput.map((p) => ({ text: p.text, code: undefined })), typedCode.map((c) => ({ text: normalizeInput(c.text), code: c }))), ({ text, code }) => {
        const result = parseLinkCode(text);
        if (result !== undefined) expect(result).toMatch(/^[1-9]\d{9}$/);
        if (code) {
          const readable = code.digits.length === 10 && !code.digits.startsWith('0') && ['', ' ', '-', '.', '  ', ' - ', '\t'].includes(code.sep);
          expect(result).toBe(readable ? code.digits : undefined);
        }
      }),
      runs,
    );
  });
});

describe(`fuzz: proof file types from content (${NORMALIZER_RUNS} runs)`, () => {
  const ALLOWED = [null, 'image/jpeg', 'image/png', 'image/webp', 'image/heic', 'application/pdf'];
  const ascii = (b: Uint8Array, from: number, n: number) => String.fromCharCode(...b.subarray(from, from + n));
  const hasPdfHeader = (b: Uint8Array) => /%PDF-\d/.test(ascii(b, 0, 1030)) && ascii(b, 0, 1030).indexOf('%PDF-') <= 1023;

  it('sniffProofType: random bytes, real signatures with random tails, truncated, mutated and empty files', () => {
    fc.assert(
      fc.property(generatedFile(), fc.nat({ max: 7 }), (file, offset) => {
        const { bytes } = file;
        const type = sniffProofType(bytes);
        expect(ALLOWED).toContain(type);
        // The same bytes inside a larger buffer (as Buffer pools and subarrays hand them over) give the same answer.
        const inside = new Uint8Array(bytes.length + offset + 3);
        inside.set(bytes, offset);
        expect(sniffProofType(inside.subarray(offset, offset + bytes.length))).toBe(type);
        // Whatever it says must be backed by the bytes themselves.
        if (type === 'image/jpeg') expect([...bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
        if (type === 'image/png') expect(ascii(bytes, 1, 3)).toBe('PNG');
        if (type === 'image/webp') expect(ascii(bytes, 0, 4) + ascii(bytes, 8, 4)).toBe('RIFFWEBP');
        if (type === 'image/heic') expect(ascii(bytes, 4, 4)).toBe('ftyp');
        if (type === 'application/pdf') expect(hasPdfHeader(bytes)).toBe(true);
        switch (file.kind) {
          case 'signed':
            if (file.signature !== 'zip' && file.signature !== 'gif' && file.signature !== 'exe' && file.signature !== 'avif') expect(type).toBe(SIGNATURE_TYPE[file.signature]);
            else if (!hasPdfHeader(bytes)) expect(type).toBeNull();
            break;
          case 'truncated': {
            const min = SIGNATURE_MIN_LENGTH[file.signature];
            expect(type).toBe(min !== undefined && bytes.length >= min ? SIGNATURE_TYPE[file.signature] : null);
            break;
          }
          case 'pdf-after':
            expect(type).toBe(file.offset <= 1023 ? 'application/pdf' : null);
            break;
          case 'noise':
            if (bytes.length === 0) expect(type).toBeNull();
            break;
          case 'ftyp': {
            const declared = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
            if (declared > 0 && declared < 16 && !hasPdfHeader(bytes)) expect(type).toBeNull();
            break;
          }
          case 'mutated':
            break;
        }
      }),
      runs,
    );
  });
});
