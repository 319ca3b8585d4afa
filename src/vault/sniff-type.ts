import type { ProofMimeType } from '../store/ports.js';

/*
 * What a proof file is, from its first bytes only: the type a platform
 * announces and the file name are whatever the sender's phone said.
 *
 * Hand-written rather than the `file-type` package: that package is async
 * only, pulls in four more packages (strtok3, token-types, @tokenizer/inflate,
 * uint8array-extras), knows hundreds of formats we must refuse anyway, and
 * names HEIF variants differently (image/heif, image/heic-sequence) from the
 * single 'image/heic' the vault stores. Five signatures are small enough to
 * check here and test exhaustively.
 */

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;

/** ISO-BMFF brands of HEIC/HEIF still images and sequences. */
const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);
/** Brands that name the codec: a file whose major brand is one of these is HEIC whatever else it lists. */
const HEVC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis']);
/** AVIF is HEIF with another codec (it lists mif1 too): not something we accept. */
const AVIF_BRANDS = new Set(['avif', 'avis']);

/** Longest file type box read: real ones list a handful of brands (4 bytes each). */
const MAX_FTYP_BOX = 256;

/** How far in a PDF reader looks for the header, and so how far we do. */
const PDF_HEADER_WINDOW = 1024;

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[at + i] !== prefix[i]) return false;
  return true;
}

function ascii(bytes: Uint8Array, from: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(from, from + length));
}

function isWebp(bytes: Uint8Array): boolean {
  return bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP';
}

function isHeic(bytes: Uint8Array): boolean {
  // A file type box first: [size][ftyp][major brand][minor version][compatible brands…]
  if (bytes.length < 12 || ascii(bytes, 4, 4) !== 'ftyp') return false;
  const declared = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  // 0 means "to the end of the file"; anything under 16 cannot hold a brand and a version.
  if (declared !== 0 && declared < 16) return false;
  // Only the start of this first box is read, whatever size it declares: a box of 0 or of 4 GiB
  // would otherwise make a whole 10 MB file a list of brands.
  const boxEnd = Math.min(declared === 0 ? bytes.length : declared, bytes.length, MAX_FTYP_BOX);
  const major = ascii(bytes, 8, 4);
  if (HEVC_BRANDS.has(major)) return true;
  if (AVIF_BRANDS.has(major)) return false;
  const compatible: string[] = [];
  for (let at = 16; at + 4 <= boxEnd; at += 4) compatible.push(ascii(bytes, at, 4));
  if (compatible.some((brand) => AVIF_BRANDS.has(brand))) return false;
  return HEIF_BRANDS.has(major) || compatible.some((brand) => HEIF_BRANDS.has(brand));
}

function isPdf(bytes: Uint8Array): boolean {
  // "%PDF-" and a version digit, at the start or (as readers allow) a little after.
  const window = bytes.subarray(0, PDF_HEADER_WINDOW + 6);
  const limit = Math.min(window.length - 6, PDF_HEADER_WINDOW - 1);
  for (let at = 0; at <= limit; at++) {
    if (window[at] === 0x25 && ascii(window, at + 1, 4) === 'PDF-') {
      const digit = window[at + 5]!;
      if (digit >= 0x30 && digit <= 0x39) return true;
    }
  }
  return false;
}

/** The proof type of a file from its content, or null for anything the vault does not take. */
export function sniffProofType(bytes: Uint8Array): ProofMimeType | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, PNG_SIGNATURE)) return 'image/png';
  if (isWebp(bytes)) return 'image/webp';
  if (isHeic(bytes)) return 'image/heic';
  if (isPdf(bytes)) return 'application/pdf';
  return null;
}
