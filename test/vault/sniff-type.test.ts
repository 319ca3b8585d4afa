import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sniffProofType } from '../../src/vault/sniff-type.js';

const bytes = (...parts: (string | ArrayLike<number>)[]): Uint8Array =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : Array.from(p))));

const be32 = (n: number): number[] => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];

/** An ISO-BMFF file type box: size, 'ftyp', major brand, minor version, compatible brands. */
function ftyp(major: string, compatible: readonly string[] = [], declaredSize?: number): Uint8Array {
  const size = 16 + 4 * compatible.length;
  return bytes(be32(declaredSize ?? size), 'ftyp', major, [0, 0, 0, 0], ...compatible, be32(8), 'meta');
}

const JPEG = bytes([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], 'JFIF', [0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
const JPEG_EXIF = bytes([0xff, 0xd8, 0xff, 0xe1, 0x00, 0x20], 'Exif', [0, 0]);
const PNG = bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], be32(13), 'IHDR', be32(1), be32(1), [8, 2, 0, 0, 0]);
const WEBP = bytes('RIFF', [0x24, 0, 0, 0], 'WEBP', 'VP8 ', [0x18, 0, 0, 0]);
const PDF = bytes('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n');
const GIF = bytes('GIF89a', [1, 0, 1, 0, 0x80, 0, 0]);
const ZIP = bytes('PK', [3, 4, 20, 0, 0, 0, 8, 0], 'word/document.xml');
const EXE = bytes('MZ', [0x90, 0, 3, 0, 0, 0, 4, 0], 'This program cannot be run in DOS mode');
const ELF = bytes([0x7f], 'ELF', [2, 1, 1, 0]);

describe('proof type from content', () => {
  it('recognises each accepted type from its first bytes', () => {
    expect(sniffProofType(JPEG)).toBe('image/jpeg');
    expect(sniffProofType(JPEG_EXIF)).toBe('image/jpeg');
    expect(sniffProofType(bytes([0xff, 0xd8, 0xff, 0xdb]))).toBe('image/jpeg');
    expect(sniffProofType(PNG)).toBe('image/png');
    expect(sniffProofType(WEBP)).toBe('image/webp');
    expect(sniffProofType(PDF)).toBe('application/pdf');
    expect(sniffProofType(bytes('%PDF-2.0'))).toBe('application/pdf');
  });

  it('recognises HEIC and HEIF by major or compatible brand', () => {
    for (const brand of ['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']) {
      expect(sniffProofType(ftyp(brand)), brand).toBe('image/heic');
    }
    // iPhone photos: major heic, compatible mif1 + heic.
    expect(sniffProofType(ftyp('heic', ['mif1', 'heic']))).toBe('image/heic');
    // A generic major brand with a HEIF brand among the compatible ones.
    expect(sniffProofType(ftyp('isom', ['mif1', 'miaf']))).toBe('image/heic');
    // Box size 0: runs to the end of the file.
    expect(sniffProofType(ftyp('miaf', ['heic'], 0))).toBe('image/heic');
  });

  it('refuses AVIF, even though it lists the generic HEIF brand', () => {
    expect(sniffProofType(ftyp('avif', ['avif', 'mif1', 'miaf', 'MA1B']))).toBeNull();
    expect(sniffProofType(ftyp('avis', ['avis', 'msf1']))).toBeNull();
    expect(sniffProofType(ftyp('mif1', ['avif', 'mif1']))).toBeNull();
  });

  it('refuses other ISO-BMFF files: MP4, QuickTime, 3GP', () => {
    expect(sniffProofType(ftyp('isom', ['isom', 'iso2', 'avc1', 'mp41']))).toBeNull();
    expect(sniffProofType(ftyp('qt  ', ['qt  ']))).toBeNull();
    expect(sniffProofType(ftyp('3gp4', ['3gp4', 'isom']))).toBeNull();
  });

  it('only reads brands inside the file type box', () => {
    // 'heic' appears in the next box, not among the brands.
    const file = bytes(be32(20), 'ftyp', 'isom', [0, 0, 0, 0], 'mp41', be32(12), 'heic', [0, 0, 0, 0]);
    expect(sniffProofType(file)).toBeNull();
    // A box too small to hold a brand and a version.
    expect(sniffProofType(bytes(be32(12), 'ftyp', 'heic', [0, 0, 0, 0]))).toBeNull();
  });

  it('reads at most the first 256 bytes of the box, whatever size it declares', () => {
    // A brand list of 10 MB (box size 0, or 4 GiB): 'heic' far inside is not read.
    const padding = new Uint8Array(10 * 1024 * 1024).fill(0x61);
    for (const size of [0, 0xffffffff]) {
      const file = new Uint8Array([...bytes(be32(size), 'ftyp', 'isom', [0, 0, 0, 0]), ...padding.subarray(0, 300), ...bytes('heic')]);
      expect(sniffProofType(file)).toBeNull();
      const big = new Uint8Array(16 + padding.length);
      big.set(bytes(be32(size), 'ftyp', 'isom', [0, 0, 0, 0]));
      big.set(padding, 16);
      expect(sniffProofType(big)).toBeNull();
    }
  });

  it('finds a PDF header a little way into the file, as readers do, but not beyond 1024 bytes', () => {
    const junk = (n: number) => new Uint8Array(n).fill(0x20);
    expect(sniffProofType(bytes(junk(100), '%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniffProofType(bytes(junk(1018), '%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniffProofType(bytes(junk(1023), '%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniffProofType(bytes(junk(1024), '%PDF-1.7\n'))).toBeNull();
    expect(sniffProofType(bytes(junk(5000), '%PDF-1.7\n'))).toBeNull();
    // A mention of "%PDF-" without a version is not a header.
    expect(sniffProofType(bytes('see %PDF-x'))).toBeNull();
  });

  it('goes by content whatever the announced name: a ZIP, GIF, EXE or text called photo.jpg is refused', () => {
    for (const content of [ZIP, GIF, EXE, ELF, bytes('hello, this is a photo'), bytes('<html><body>%PDF</body></html>')]) {
      expect(sniffProofType(content)).toBeNull();
    }
    // And a real PNG is a PNG even if it was sent as "scan.pdf".
    expect(sniffProofType(PNG)).toBe('image/png');
  });

  it('refuses empty and truncated files', () => {
    expect(sniffProofType(new Uint8Array(0))).toBeNull();
    expect(sniffProofType(bytes([0xff]))).toBeNull();
    expect(sniffProofType(bytes([0xff, 0xd8]))).toBeNull();
    expect(sniffProofType(PNG.subarray(0, 7))).toBeNull();
    expect(sniffProofType(PNG.subarray(0, 8))).toBe('image/png');
    expect(sniffProofType(WEBP.subarray(0, 11))).toBeNull();
    expect(sniffProofType(WEBP.subarray(0, 12))).toBe('image/webp');
    expect(sniffProofType(bytes('RIFF', [0, 0, 0, 0], 'WAVE'))).toBeNull();
    expect(sniffProofType(ftyp('heic').subarray(0, 11))).toBeNull();
    expect(sniffProofType(bytes('%PDF'))).toBeNull();
    expect(sniffProofType(bytes('%PDF-'))).toBeNull();
  });

  it('never throws on random bytes, and only ever answers one of the five types or null', () => {
    const answers = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'application/pdf', null]);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (input) => {
        expect(answers.has(sniffProofType(input))).toBe(true);
      }),
      { numRuns: 2000 },
    );
    // Random bytes after each file type box header, including absurd sizes.
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.uint8Array({ maxLength: 64 }), (size, rest) => {
        expect(answers.has(sniffProofType(bytes(be32(size), 'ftyp', [...rest])))).toBe(true);
      }),
    );
  });

  it('sniffs a byte view into a larger buffer by its own bytes', () => {
    const big = bytes('xxxx', PNG);
    expect(sniffProofType(big.subarray(4))).toBe('image/png');
  });
});
