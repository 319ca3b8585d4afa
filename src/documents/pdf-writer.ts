import { createRequire } from 'node:module';
import { inflateSync } from 'node:zlib';
import { needsScriptRuns, scriptRuns } from './script-runs.js';

const require = createRequire(import.meta.url);
// DejaVu covers every French letter (é, è, ç, œ, É…) and is embedded in the
// file, so the letter prints the same on any computer.
const REGULAR = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');
// Notes typed in Bengali or Arabic: fonts of those scripts, switched per run (see script-runs.ts).
const BENGALI = require.resolve('@fontsource/noto-sans-bengali/files/noto-sans-bengali-bengali-400-normal.woff');
const ARABIC = require.resolve('@fontsource/noto-sans-arabic/files/noto-sans-arabic-arabic-400-normal.woff');

/** The font file each script's runs are drawn with (tests check their coverage). */
export const SCRIPT_FONTS = { latin: REGULAR, bengali: BENGALI, arabic: ARABIC } as const;

export type Block =
  /** `indent` (points) shifts the line right; without it a line starts at the margin. */
  | { readonly kind: 'line'; readonly text: string; readonly bold?: boolean; readonly align?: 'left' | 'right' | 'center'; readonly indent?: number }
  | { readonly kind: 'paragraph'; readonly text: string }
  | { readonly kind: 'bullet'; readonly text: string }
  | { readonly kind: 'space'; readonly lines?: number }
  /**
   * A JPEG or PNG scaled to fit the rest of the page, centred. Anything that
   * cannot be drawn (another format, a damaged file) prints `fallback` instead.
   */
  | { readonly kind: 'image'; readonly bytes: Uint8Array; readonly fallback: string }
  /** Start a new page. */
  | { readonly kind: 'page' };

/** Below this much room left on the page an image starts on the next one. */
const MIN_IMAGE_HEIGHT = 150;

/** Lays blocks out on A4 pages and returns the PDF bytes. */
export async function writePdf(title: string, blocks: readonly Block[], createdAt: Date): Promise<Uint8Array> {
  // Loaded on first use: pdfkit is heavy and most conversations never make a document.
  const { default: PDFDocument } = await import('pdfkit');
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margins: { top: 56, bottom: 56, left: 62, right: 62 },
      info: { Title: title, Author: 'Guichet', Creator: 'Guichet', CreationDate: createdAt },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
    doc.registerFont('regular', REGULAR);
    doc.registerFont('bold', BOLD);
    doc.registerFont('bengali', BENGALI);
    doc.registerFont('arabic', ARABIC);
    doc.font('regular').fontSize(11);
    for (const block of blocks) {
      switch (block.kind) {
        case 'line':
          if (block.indent) {
            doc.x = doc.page.margins.left + block.indent;
            write(doc, block.text, block.bold ? 'bold' : 'regular', { align: block.align ?? 'left' });
            doc.x = doc.page.margins.left;
          } else {
            write(doc, block.text, block.bold ? 'bold' : 'regular', { align: block.align ?? 'left' });
          }
          break;
        case 'paragraph':
          write(doc, block.text, 'regular', { align: 'justify', paragraphGap: 8 });
          break;
        case 'bullet':
          write(doc, `•  ${block.text}`, 'regular', { indent: 12, paragraphGap: 2 });
          break;
        case 'space':
          doc.moveDown(block.lines ?? 1);
          break;
        case 'page':
          doc.addPage();
          break;
        case 'image': {
          const drawn = embeddableImage(block.bytes) && drawImage(doc, block.bytes);
          if (!drawn) doc.font('regular').text(block.fallback, { align: 'left' });
          break;
        }
      }
    }
    doc.end();
  });
}

type Doc = PDFKit.PDFDocument;

/**
 * Text in DejaVu, or, when it holds Bengali or Arabic, as runs each in the
 * font of its script with Arabic words right to left (justifying mixed runs
 * would spread them apart: they are aligned left).
 */
function write(doc: Doc, text: string, font: 'regular' | 'bold', options: PDFKit.Mixins.TextOptions): void {
  if (!needsScriptRuns(text)) {
    doc.font(font).text(text, options);
    return;
  }
  const lines = text.split('\n');
  const mixed = { ...options, align: options.align === 'justify' ? 'left' : options.align };
  lines.forEach((line, li) => {
    const runs = scriptRuns(line);
    if (runs.length === 0) runs.push({ text: ' ', script: 'latin' });
    runs.forEach((run, ri) => {
      const lastOfLine = ri === runs.length - 1;
      const last = lastOfLine && li === lines.length - 1;
      doc.font(run.script === 'latin' ? font : run.script).text(lastOfLine && !last ? `${run.text}\n` : run.text, { ...mixed, continued: !last });
    });
  });
}

/** Draws an image already checked by embeddableImage; false when pdfkit still refuses it. */
function drawImage(doc: Doc, bytes: Uint8Array): boolean {
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const room = () => doc.page.height - doc.page.margins.bottom - doc.y;
  if (room() < MIN_IMAGE_HEIGHT) doc.addPage();
  doc.x = left;
  try {
    // pdfkit throws (sometimes a bare string) on files it cannot parse; it
    // parses before it writes anything, so a refusal leaves the PDF intact.
    doc.image(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { fit: [width, room()], align: 'center' });
    return true;
  } catch {
    return false;
  }
}

/** What pdfkit's PNG decoder is allowed to unpack for one image. */
const MAX_PNG_DECODED_BYTES = 64 * 1024 * 1024;
/** pdfkit's PNG reader copies the compressed data byte by byte into an array. */
const MAX_PNG_FILE_BYTES = 16 * 1024 * 1024;

/**
 * Whether pdfkit can draw these bytes without failing. pdfkit trusts the
 * file: a damaged PNG can make it loop forever or throw from a callback
 * (which would take the whole process down), and a JPEG without a proper
 * frame header gives an image of no size. So the structure is checked here
 * first; a file refused here is not drawn.
 */
export function embeddableImage(bytes: Uint8Array): boolean {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return jpegLooksSound(bytes);
  if (bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return pngLooksSound(bytes);
  return false;
}

const be16 = (b: Uint8Array, at: number): number => (b[at]! << 8) | b[at + 1]!;
const be32 = (b: Uint8Array, at: number): number => ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;

/** The markers pdfkit takes for a frame header: the first one it meets gives the size. */
const PDFKIT_FRAME_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf]);
/** Frames PDF readers can show (baseline, extended, progressive; 8-bit). */
const DRAWABLE_FRAMES = new Set([0xc0, 0xc1, 0xc2]);

/** Segments from the start of image up to the scan, each whole, with an 8-bit frame of a real size. */
function jpegLooksSound(b: Uint8Array): boolean {
  let at = 2;
  let frame = false;
  while (at + 4 <= b.length) {
    // Each segment right after the last. (Fill bytes before a marker are
    // allowed by the standard but pdfkit's reader loses its way on them.)
    if (b[at] !== 0xff) return false;
    const marker = b[at + 1]!;
    at += 2;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue;
    if (marker === 0xd8 || marker === 0xd9 || marker === 0xff) return false;
    const length = be16(b, at);
    if (length < 2 || at + length > b.length) return false;
    if (!frame && PDFKIT_FRAME_MARKERS.has(marker)) {
      if (!DRAWABLE_FRAMES.has(marker) || length < 8) return false;
      const precision = b[at + 2];
      const height = be16(b, at + 3);
      const width = be16(b, at + 5);
      const components = b[at + 7]!;
      if (precision !== 8 || height === 0 || width === 0 || ![1, 3, 4].includes(components)) return false;
      frame = true;
    }
    // Start of scan: the headers are complete; the compressed data follows.
    if (marker === 0xda) return frame && at + length < b.length;
    at += length;
  }
  return false;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Allowed bit depths for each PNG colour type, and samples per pixel. */
const PNG_DEPTHS: Readonly<Record<number, { readonly depths: readonly number[]; readonly samples: number }>> = {
  0: { depths: [1, 2, 4, 8, 16], samples: 1 },
  2: { depths: [8, 16], samples: 3 },
  3: { depths: [1, 2, 4, 8], samples: 1 },
  4: { depths: [8, 16], samples: 2 },
  6: { depths: [8, 16], samples: 4 },
};
/** Adam7 passes: x0, y0, dx, dy. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

/** Every chunk whole, a valid header, and image data that unpacks to exactly the rows the header announces. */
function pngLooksSound(b: Uint8Array): boolean {
  if (b.length > MAX_PNG_FILE_BYTES) return false;
  let at = 8;
  let header: { width: number; height: number; depth: number; colorType: number; interlaced: boolean } | null = null;
  let palette = false;
  let transparency = false;
  let ended = false;
  const data: Uint8Array[] = [];
  while (at + 12 <= b.length) {
    const length = be32(b, at);
    const type = String.fromCharCode(b[at + 4]!, b[at + 5]!, b[at + 6]!, b[at + 7]!);
    const body = at + 8;
    at = body + length + 4;
    if (length > b.length - body - 4) return false;
    if (type === 'IHDR') {
      if (header || length !== 13) return false;
      const interlace = b[body + 12];
      header = { width: be32(b, body), height: be32(b, body + 4), depth: b[body + 8]!, colorType: b[body + 9]!, interlaced: interlace === 1 };
      const allowed = PNG_DEPTHS[header.colorType];
      if (!allowed || !allowed.depths.includes(header.depth)) return false;
      if (header.width === 0 || header.height === 0 || header.width > 0x7fffffff || header.height > 0x7fffffff) return false;
      if (b[body + 10] !== 0 || b[body + 11] !== 0 || (interlace !== 0 && interlace !== 1)) return false;
      continue;
    }
    // The header comes first.
    if (!header) return false;
    if (type === 'PLTE') {
      if (length === 0 || length % 3 !== 0 || length > 768 || header.colorType === 0 || header.colorType === 4) return false;
      palette = true;
    } else if (type === 'tRNS') {
      // pdfkit's reader skips a transparency chunk of the wrong size or
      // colour type only partly, and then reads the rest of the file askew.
      const size = header.colorType === 0 ? 2 : header.colorType === 2 ? 6 : null;
      if (header.colorType === 3 ? length === 0 || length > 256 : length !== size) return false;
      transparency = true;
    } else if (type === 'IDAT') {
      data.push(b.subarray(body, body + length));
    } else if (type === 'IEND') {
      ended = true;
      break;
    }
  }
  if (!header || !ended || data.length === 0) return false;
  if (header.colorType === 3 && !palette) return false;
  const samples = PNG_DEPTHS[header.colorType]!.samples;
  const bitsPerPixel = header.depth * samples;
  // pdfkit unpacks the pixels itself for alpha, palette transparency and
  // interlacing, and gets sample sizes under a byte wrong when it does.
  const unpackedByPdfkit = header.colorType === 4 || header.colorType === 6 || (header.colorType === 3 && transparency) || header.interlaced;
  if (unpackedByPdfkit && header.depth < 8) return false;
  // Sizes first, from the header alone: nothing is allocated for an absurd one.
  if (header.width * header.height * Math.ceil(bitsPerPixel / 8) > MAX_PNG_DECODED_BYTES) return false;
  const passes: { rows: number; rowBytes: number }[] = [];
  let expected = 0;
  for (const [x0, y0, dx, dy] of header.interlaced ? ADAM7 : ([[0, 0, 1, 1]] as const)) {
    const w = Math.ceil((header.width - x0) / dx);
    const h = Math.ceil((header.height - y0) / dy);
    if (w <= 0 || h <= 0) continue;
    const rowBytes = 1 + Math.ceil((w * bitsPerPixel) / 8);
    passes.push({ rows: h, rowBytes });
    expected += h * rowBytes;
  }
  if (expected > MAX_PNG_DECODED_BYTES) return false;
  let pixels: Buffer;
  try {
    pixels = inflateSync(Buffer.concat(data), { maxOutputLength: expected });
  } catch {
    return false;
  }
  if (pixels.length !== expected) return false;
  // Each row starts with its filter type, 0 to 4; pdfkit throws on any other.
  let offset = 0;
  for (const { rows, rowBytes } of passes) {
    for (let row = 0; row < rows; row++, offset += rowBytes) if (pixels[offset]! > 4) return false;
  }
  return true;
}
