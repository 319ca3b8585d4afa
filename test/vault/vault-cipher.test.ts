import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { openSealed, sealBytes, VaultTamperedError } from '../../src/vault/vault-cipher.js';

const key = randomBytes(32);

/** A JPEG-looking original: SOI, a JFIF header, then body bytes. */
function fakeJpeg(size = 4096): Uint8Array {
  const bytes = randomBytes(size);
  bytes.set([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]);
  return new Uint8Array(bytes);
}

function fakePdf(): Uint8Array {
  const text = '%PDF-1.7\n' + '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n'.repeat(40) + '%%EOF\n';
  return new Uint8Array(Buffer.from(text, 'latin1'));
}

function expectTampered(fn: () => unknown): void {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(VaultTamperedError);
  expect((thrown as Error).name).toBe('VaultTamperedError');
}

describe('vault cipher (AES-256-GCM)', () => {
  it('opens what it sealed, for the same item', () => {
    for (const plaintext of [fakeJpeg(), fakePdf(), new Uint8Array(0), new Uint8Array([42])]) {
      const sealed = sealBytes(key, 'item-1', plaintext);
      expect(sealed.length).toBe(1 + 12 + plaintext.length + 16);
      expect(sealed[0]).toBe(1);
      expect(Buffer.from(openSealed(key, 'item-1', sealed)).equals(Buffer.from(plaintext))).toBe(true);
    }
  });

  it('round-trips any bytes and any item id', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), fc.string(), (plaintext, itemId) => {
        const opened = openSealed(key, itemId, sealBytes(key, itemId, plaintext));
        expect(Buffer.from(opened).equals(Buffer.from(plaintext))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('draws a fresh nonce for every seal', () => {
    const plaintext = fakePdf();
    const a = Buffer.from(sealBytes(key, 'x', plaintext));
    const b = Buffer.from(sealBytes(key, 'x', plaintext));
    expect(a.subarray(1, 13).equals(b.subarray(1, 13))).toBe(false);
    expect(a.equals(b)).toBe(false);
  });

  it('leaves nothing of the original readable in the sealed bytes', () => {
    const jpeg = fakeJpeg();
    const pdf = fakePdf();
    for (const plaintext of [jpeg, pdf]) {
      const sealed = Buffer.from(sealBytes(key, 'item-2', plaintext));
      expect(sealed.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))).toBe(false);
      expect(sealed.includes(Buffer.from('%PDF'))).toBe(false);
      const original = Buffer.from(plaintext);
      for (let at = 0; at + 16 <= original.length; at++) {
        expect(sealed.includes(original.subarray(at, at + 16)), `window at ${at}`).toBe(false);
      }
    }
  });

  it('refuses a sealed file with any single byte changed: version, nonce, body or tag', () => {
    const plaintext = fakeJpeg(300);
    const sealed = sealBytes(key, 'item-3', plaintext);
    const last = sealed.length - 1;
    const positions = [0, 1, 6, 12, 13, 14, 100, 13 + plaintext.length - 1, last - 15, last - 8, last];
    for (const at of positions) {
      for (const flip of [0x01, 0x80, 0xff]) {
        const damaged = new Uint8Array(sealed);
        damaged[at] = damaged[at]! ^ flip;
        expectTampered(() => openSealed(key, 'item-3', damaged));
      }
    }
    // The undamaged copy still opens.
    expect(openSealed(key, 'item-3', sealed).length).toBe(plaintext.length);
  });

  it('refuses any single-bit flip anywhere (property)', () => {
    const sealed = sealBytes(key, 'item-p', fakeJpeg(64));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: sealed.length - 1 }), fc.integer({ min: 0, max: 7 }), (at, bit) => {
        const damaged = new Uint8Array(sealed);
        damaged[at] = damaged[at]! ^ (1 << bit);
        expectTampered(() => openSealed(key, 'item-p', damaged));
      }),
    );
  });

  it('refuses a sealed file moved to another item', () => {
    const sealed = sealBytes(key, 'item-4', fakePdf());
    expectTampered(() => openSealed(key, 'item-5', sealed));
    expectTampered(() => openSealed(key, 'item-4 ', sealed));
    expectTampered(() => openSealed(key, '', sealed));
  });

  it('refuses a file sealed with another key', () => {
    const sealed = sealBytes(key, 'item-6', fakePdf());
    expectTampered(() => openSealed(randomBytes(32), 'item-6', sealed));
  });

  it('refuses truncated, empty and unknown-version blobs', () => {
    const sealed = sealBytes(key, 'item-7', fakePdf());
    expectTampered(() => openSealed(key, 'item-7', new Uint8Array(0)));
    expectTampered(() => openSealed(key, 'item-7', sealed.subarray(0, 28)));
    expectTampered(() => openSealed(key, 'item-7', sealed.subarray(0, sealed.length - 1)));
    expectTampered(() => openSealed(key, 'item-7', sealed.subarray(1)));
    const v2 = new Uint8Array(sealed);
    v2[0] = 2;
    expectTampered(() => openSealed(key, 'item-7', v2));
    // Extra bytes at the end shift the tag: refused too.
    expectTampered(() => openSealed(key, 'item-7', new Uint8Array([...sealed, 0])));
  });

  it('opens a sealed file that sits inside a larger buffer', () => {
    const sealed = sealBytes(key, 'item-8', fakePdf());
    const big = new Uint8Array(sealed.length + 20);
    big.set(sealed, 10);
    expect(Buffer.from(openSealed(key, 'item-8', big.subarray(10, 10 + sealed.length))).toString('latin1')).toMatch(/^%PDF-1\.7/);
  });

  it('rejects a key of the wrong length', () => {
    expect(() => sealBytes(randomBytes(16), 'x', new Uint8Array(1))).toThrow(RangeError);
    expect(() => openSealed(randomBytes(31), 'x', new Uint8Array(40))).toThrow(RangeError);
  });
});
