import type { InboundAttachment } from '../messages.js';

/** File types Guichet accepts from a chat as proof; anything else gets a clear answer. */
export const ACCEPTED_MIME_TYPES: readonly string[] = ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif', 'application/pdf'];

/**
 * An attachment checked from what the platform announces — type and size —
 * before anything is downloaded. `fetch` runs only when the engine loads it,
 * and a file larger than announced is refused then too.
 */
export function checkedAttachment(announced: {
  readonly mediaType: InboundAttachment['mediaType'];
  readonly mimeType: string | null;
  readonly fileName: string | null;
  readonly size: number | null;
  readonly maxBytes: number;
  readonly fetch: () => Promise<Uint8Array>;
}): InboundAttachment {
  const { mediaType, mimeType, fileName, size, maxBytes, fetch } = announced;
  const problem =
    mimeType === null || !ACCEPTED_MIME_TYPES.includes(mimeType) ? 'unsupported' : size === null || size > maxBytes ? 'too-large' : undefined;
  return {
    mediaType,
    mimeType,
    fileName,
    size,
    ...(problem ? { problem } : {}),
    load: async () => {
      if (problem) throw new Error(`attachment refused: ${problem}`);
      const bytes = await fetch();
      if (bytes.length > maxBytes) throw new Error('attachment larger than announced');
      return bytes;
    },
  };
}

/** Something that is not a photo or a file Guichet can open (a sticker, a voice note). */
export const UNSUPPORTED_ATTACHMENT: InboundAttachment = {
  mediaType: 'document',
  mimeType: null,
  fileName: null,
  size: null,
  problem: 'unsupported',
  load: () => Promise.reject(new Error('unsupported')),
};
