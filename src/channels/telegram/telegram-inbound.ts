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
  /** The sender's public @username, if they have one. */
  readonly username?: string | undefined;
}

/*
 * Updates are typed by grammY, but they come from the network: every field is
 * read as unknown and checked here, so a malformed update is ignored rather
 * than crash the channel or reach the engine half-formed.
 */
type Rec = Readonly<Record<string, unknown>>;
const isRecord = (value: unknown): value is Rec => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const size = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null);

/** The private chat's id as text, or undefined for groups, channels and anything malformed. */
function privateChatId(chat: unknown): string | undefined {
  if (!isRecord(chat) || chat.type !== 'private') return undefined;
  return typeof chat.id === 'number' && Number.isSafeInteger(chat.id) ? String(chat.id) : undefined;
}

function base(address: string, b: Base) {
  if (!Number.isSafeInteger(b.updateId)) return undefined;
  const language = typeof b.languageCode === 'string' ? b.languageCode.slice(0, 2).toLowerCase() : '';
  return {
    channel: 'telegram' as const,
    address,
    // The update id is unique per bot and survives restarts: the same update
    // delivered twice is recognised.
    messageId: `u${b.updateId}`,
    ...(language ? { languageHint: language } : {}),
    ...(typeof b.username === 'string' && /^[A-Za-z0-9_]{5,32}$/.test(b.username) ? { username: b.username } : {}),
  };
}

/** A Telegram message from a private chat as a channel-neutral message; undefined for what Guichet ignores. */
export function messageToInbound(message: Message, b: Base, maxBytes: number, load: FileLoader): InboundMessage | undefined {
  const m: unknown = message;
  if (!isRecord(m)) return undefined;
  const address = privateChatId(m.chat);
  const common = address === undefined ? undefined : base(address, b);
  if (!common) return undefined;
  if (typeof m.text === 'string') {
    if (/^\/start(@\w+)?(\s|$)/.test(m.text)) return { ...common, kind: 'open' };
    return { ...common, kind: 'text', text: m.text };
  }
  if (Array.isArray(m.photo) && m.photo.length > 0) {
    // Telegram sends several sizes; the last is the largest.
    const best: unknown = m.photo[m.photo.length - 1];
    const fileId = isRecord(best) ? text(best.file_id) : null;
    if (!isRecord(best) || fileId === null) return { ...common, kind: 'attachment', attachment: UNSUPPORTED_ATTACHMENT };
    return {
      ...common,
      kind: 'attachment',
      attachment: checkedAttachment({ mediaType: 'photo', mimeType: 'image/jpeg', fileName: null, size: size(best.file_size), maxBytes, fetch: () => load(fileId) }),
    };
  }
  if (isRecord(m.document) && typeof m.document.file_id === 'string') {
    const d = m.document;
    const fileId = m.document.file_id;
    return {
      ...common,
      kind: 'attachment',
      attachment: checkedAttachment({ mediaType: 'document', mimeType: text(d.mime_type), fileName: text(d.file_name), size: size(d.file_size), maxBytes, fetch: () => load(fileId) }),
    };
  }
  // Stickers, voice notes, locations…: answered as files Guichet cannot open.
  return { ...common, kind: 'attachment', attachment: UNSUPPORTED_ATTACHMENT };
}

export function callbackToInbound(query: CallbackQuery, b: Base): InboundMessage | undefined {
  const q: unknown = query;
  if (!isRecord(q) || typeof q.data !== 'string' || !isRecord(q.message)) return undefined;
  const address = privateChatId(q.message.chat);
  const parsed = parseChoiceData(q.data);
  const common = address === undefined ? undefined : base(address, b);
  if (!parsed || !common) return undefined;
  return { ...common, kind: 'choice', token: parsed.token, option: parsed.option };
}
