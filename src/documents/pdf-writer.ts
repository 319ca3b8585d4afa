import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// DejaVu covers every French letter (é, è, ç, œ, É…) and is embedded in the
// file, so the letter prints the same on any computer.
const REGULAR = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

export type Block =
  | { readonly kind: 'line'; readonly text: string; readonly bold?: boolean; readonly align?: 'left' | 'right' | 'center' }
  | { readonly kind: 'paragraph'; readonly text: string }
  | { readonly kind: 'bullet'; readonly text: string }
  | { readonly kind: 'space'; readonly lines?: number };

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
    doc.font('regular').fontSize(11);
    for (const block of blocks) {
      switch (block.kind) {
        case 'line':
          doc.font(block.bold ? 'bold' : 'regular').text(block.text, { align: block.align ?? 'left' });
          break;
        case 'paragraph':
          doc.font('regular').text(block.text, { align: 'justify', paragraphGap: 8 });
          break;
        case 'bullet':
          doc.font('regular').text(`•  ${block.text}`, { indent: 12, paragraphGap: 2 });
          break;
        case 'space':
          doc.moveDown(block.lines ?? 1);
          break;
      }
    }
    doc.end();
  });
}
