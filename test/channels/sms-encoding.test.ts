import { describe, expect, it } from 'vitest';
import { encodeSms, GSM7_PART, toGsm7, UCS2_PART } from '../../src/channels/sms/sms-encoding.js';

describe('SMS encoding', () => {
  it('keeps French in GSM-7 with the usual substitutions', () => {
    const sms = encodeSms('Votre rendez-vous : lundi 7 décembre à 09:00 — « préfecture », ça coûte 0 €… être là');
    expect(sms.coding).toBe('gsm7');
    expect(sms.text).toBe('Votre rendez-vous : lundi 7 décembre à 09:00 - " préfecture ", Ça coute 0 €... etre là');
    expect(encodeSms('Date\u00a0: 12/11/2026').text).toBe('Date : 12/11/2026');
  });

  it('counts the extension characters twice', () => {
    expect(encodeSms('€').units).toBe(2);
    // Eight escaped characters, then 1, a and five spaces.
    expect(encodeSms('[1] {a} ~ ^ | \\').units).toBe(2 * 8 + 7);
  });

  it('sends 160 septets as one part and 161 as two of at most 153', () => {
    expect(encodeSms('a'.repeat(160)).parts).toHaveLength(1);
    const two = encodeSms('a'.repeat(161));
    expect(two.parts.map((p) => p.length)).toEqual([GSM7_PART, 8]);
  });

  it('never splits an escaped character between two parts', () => {
    const sms = encodeSms(`${'a'.repeat(152)}€b${'c'.repeat(10)}`);
    expect(sms.parts[0]).toBe('a'.repeat(152));
    expect(sms.parts[1]!.startsWith('€b')).toBe(true);
  });

  it('sends Arabic and Bengali as UCS-2, 70 units in one part, 67 per part beyond', () => {
    expect(encodeSms('مرحبا').coding).toBe('ucs2');
    expect(encodeSms('আমার কার্ড').coding).toBe('ucs2');
    expect(encodeSms('ب'.repeat(70)).parts).toHaveLength(1);
    expect(encodeSms('ب'.repeat(71)).parts.map((p) => p.length)).toEqual([UCS2_PART, 4]);
  });

  it('lets an emoji force UCS-2, and never splits its surrogate pair', () => {
    const sms = encodeSms(`${'a'.repeat(66)}😀b${'c'.repeat(10)}`);
    expect(sms.coding).toBe('ucs2');
    expect(sms.text).toContain('😀');
    expect(sms.parts[0]).toBe('a'.repeat(66));
    expect(sms.parts[1]!.startsWith('😀')).toBe(true);
  });

  it('has no GSM-7 form for a letter outside its alphabet, and no parts for an empty text', () => {
    expect(toGsm7('Ł')).toBeUndefined();
    expect(encodeSms('').parts).toEqual([]);
  });
});
