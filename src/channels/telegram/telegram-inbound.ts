import type { CallbackQuery, Message } from 'grammy/types';
import type { InboundMessage } from '../../messages.js';
import { checkedAttachment, UNSUPPORTED_ATTACHMENT } from '../attachments.js';


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
    return {
      ...common,
      kind: 'attachment',
      attachment: checkedAttachment({ mediaType: 'photo', mimeType: 'image/jpeg', fileName: null, size: best.file_size ?? null, maxBytes, fetch: () => load(best.file_id) }),
    };
  }
  if (message.document) {
    const d = message.document;
    return {
      ...common,
      kind: 'attachment',
      attachment: checkedAttachment({
        mediaType: 'document',
        mimeType: d.mime_type ?? null,
        fileName: d.file_name ?? null,
        size: d.file_size ?? null,
        maxBytes,
        fetch: () => load(d.file_id),
      }),
    };
  }
  // Stickers, voice notes, locations…: answered as files Guichet cannot open.
  return { ...common, kind: 'attachment', attachment: UNSUPPORTED_ATTACHMENT };
}

export function callbackToInbound(query: CallbackQuery, b: Base): InboundMessage | undefined {
  const chatId = query.message?.chat.id;
  if (chatId === undefined || query.message?.chat.type !== 'private' || typeof query.data !== 'string') return undefined;
  const parsed = parseChoiceData(query.data);
  if (!parsed) return undefined;
  return { ...base(chatId, b), kind: 'choice', token: parsed.token, option: parsed.option };
}
