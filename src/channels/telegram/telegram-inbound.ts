import type { CallbackQuery, Message } from 'grammy/types';
import type { InboundAttachment, InboundMessage } from '../../messages.js';

/** What Guichet accepts as proof files; anything else gets a clear answer. */
export const ACCEPTED_MIME_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif', 'application/pdf'];

export type FileLoader = (fileId: string) => Promise<Uint8Array>;

/** Choices travel as "<question token>:<number shown>" — short, well under Telegram's 64 bytes. */
export function choiceData(token: string, option: number): string {
  return `${token}:${option}`;
}

function parseChoiceData(data: string): { token: string; option: number } | undefined {
  const match = /^([0-9a-z]{1,16}):(\d{1,3})$/.exec(data);
  return match ? { token: match[1]!, option: Number(match[2]) } : undefined;
}

interface Base {
  readonly updateId: number;
  readonly languageCode: string | undefined;
}

function base(chatId: number, b: Base) {
  return {
    channel: 'telegram' as const,
    address: String(chatId),
    // The update id is unique per bot and survives restarts: the same update
    // delivered twice is recognised.
    messageId: `u${b.updateId}`,
    ...(b.languageCode ? { languageHint: b.languageCode.slice(0, 2).toLowerCase() } : {}),
  };
}

function attachment(
  mediaType: InboundAttachment['mediaType'],
  fileId: string,
  size: number | undefined,
  mimeType: string | null,
  fileName: string | null,
  maxBytes: number,
  load: FileLoader,
): InboundAttachment {
  // Checked before any download: Telegram says the size and type up front.
  const problem =
    mimeType !== null && !ACCEPTED_MIME_TYPES.includes(mimeType) ? 'unsupported' : size === undefined || size > maxBytes ? 'too-large' : undefined;
  return {
    mediaType,
    mimeType,
    fileName,
    size: size ?? null,
    ...(problem ? { problem } : {}),
    load: async () => {
      if (problem) throw new Error(`attachment refused: ${problem}`);
      const bytes = await load(fileId);
      if (bytes.length > maxBytes) throw new Error('attachment larger than announced');
      return bytes;
    },
  };
}

/** A Telegram message from a private chat as a channel-neutral message; undefined for what Guichet ignores. */
export function messageToInbound(message: Message, b: Base, maxBytes: number, load: FileLoader): InboundMessage | undefined {
  if (message.chat.type !== 'private') return undefined;
  const common = base(message.chat.id, b);
  if (typeof message.text === 'string') {
    if (/^\/start(@\w+)?(\s|$)/.test(message.text)) return { ...common, kind: 'open' };
    return { ...common, kind: 'text', text: message.text };
  }
  if (message.photo && message.photo.length > 0) {
    // Telegram sends several sizes; the last is the largest.
    const best = message.photo[message.photo.length - 1]!;
    return { ...common, kind: 'attachment', attachment: attachment('photo', best.file_id, best.file_size, 'image/jpeg', null, maxBytes, load) };
  }
  if (message.document) {
    const d = message.document;
    return {
      ...common,
      kind: 'attachment',
      attachment: attachment('document', d.file_id, d.file_size, d.mime_type ?? 'application/octet-stream', d.file_name ?? null, maxBytes, load),
    };
  }
  // Stickers, voice notes, locations…: answered as files Guichet cannot open.
  return {
    ...common,
    kind: 'attachment',
    attachment: { mediaType: 'document', mimeType: null, fileName: null, size: null, problem: 'unsupported', load: () => Promise.reject(new Error('unsupported')) },
  };
}

export function callbackToInbound(query: CallbackQuery, b: Base): InboundMessage | undefined {
  const chatId = query.message?.chat.id;
  if (chatId === undefined || query.message?.chat.type !== 'private' || typeof query.data !== 'string') return undefined;
  const parsed = parseChoiceData(query.data);
  if (!parsed) return undefined;
  return { ...base(chatId, b), kind: 'choice', token: parsed.token, option: parsed.option };
}
