import {
  getContentType,
  isJidBroadcast,
  isJidGroup,
  isJidNewsletter,
  isJidStatusBroadcast,
  normalizeMessageContent,
  type WAMessage,
} from '@whiskeysockets/baileys';
import type { InboundMessage } from '../../messages.js';
import { checkedAttachment, UNSUPPORTED_ATTACHMENT } from '../attachments.js';

/** Downloads the media of a message, giving up past `maxBytes` (bounded download in production, a stub in tests). */
export type MediaDownloader = (message: WAMessage, maxBytes: number) => Promise<Uint8Array>;

/** Sizes arrive as numbers, strings or protobuf Longs; anything else counts as unknown. */
function toNumber(value: unknown): number | null {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' || typeof value === 'bigint') n = Number(value);
  else if (value !== null && typeof value === 'object' && typeof (value as { toNumber?: unknown }).toNumber === 'function') {
    try {
      n = Number((value as { toNumber: () => unknown }).toNumber());
    } catch {
      return null;
    }
  } else return null;
  return Number.isFinite(n) && n >= 0 ? n : null;
}

type Rec = Readonly<Record<string, unknown>>;
const isRecord = (value: unknown): value is Rec => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** Baileys' unwrapping of ephemeral and view-once wrappers, which trusts its input: a malformed one is nothing. */
function unwrap(content: unknown): Rec | undefined {
  if (!isRecord(content)) return undefined;
  try {
    const inner: unknown = normalizeMessageContent(content as WAMessage['message']);
    return isRecord(inner) ? inner : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One Baileys message as a channel-neutral message, or undefined when Guichet
 * must not answer it: its own messages, status broadcasts, groups,
 * newsletters, stubs with no content (a message it could not decrypt), and
 * anything malformed (every field comes from the network and is checked).
 * Replies go to the identity the message came from (`@lid` or phone JID);
 * the phone-number form, when WhatsApp gives it, is only kept alongside.
 */
export function toInbound(message: WAMessage, maxBytes: number, download: MediaDownloader): InboundMessage | undefined {
  const m: unknown = message;
  if (!isRecord(m) || !isRecord(m.key)) return undefined;
  const key = m.key;
  const jid = text(key.remoteJid);
  const id = text(key.id);
  if (!jid || !id || key.fromMe === true) return undefined;
  if (isJidStatusBroadcast(jid) || isJidBroadcast(jid) || isJidGroup(jid) || isJidNewsletter(jid)) return undefined;
  const content = unwrap(m.message);
  if (!content) return undefined;
  const alternate = text(key.remoteJidAlt);
  const base = {
    channel: 'whatsapp' as const,
    address: jid,
    // The sender's phone chooses the id: with the sender, so one person cannot make
    // Guichet drop another's message as "already handled".
    messageId: `${jid}:${id}`,
    ...(alternate ? { alternateAddress: alternate } : {}),
  };
  let type: string | undefined;
  try {
    type = getContentType(content as NonNullable<WAMessage['message']>);
  } catch {
    return undefined;
  }
  switch (type) {
    case 'conversation': {
      const said = text(content.conversation);
      return said ? { ...base, kind: 'text', text: said } : undefined;
    }
    case 'extendedTextMessage': {
      const said = isRecord(content.extendedTextMessage) ? text(content.extendedTextMessage.text) : null;
      return said ? { ...base, kind: 'text', text: said } : undefined;
    }
    case 'imageMessage': {
      const image = content.imageMessage;
      if (!isRecord(image)) return { ...base, kind: 'attachment', attachment: UNSUPPORTED_ATTACHMENT };
      return {
        ...base,
        kind: 'attachment',
        attachment: checkedAttachment({ mediaType: 'photo', mimeType: text(image.mimetype) ?? 'image/jpeg', fileName: null, size: toNumber(image.fileLength), maxBytes, fetch: () => download(message, maxBytes) }),
      };
    }
    case 'documentMessage': {
      const doc = content.documentMessage;
      if (!isRecord(doc)) return { ...base, kind: 'attachment', attachment: UNSUPPORTED_ATTACHMENT };
      return {
        ...base,
        kind: 'attachment',
        attachment: checkedAttachment({ mediaType: 'document', mimeType: text(doc.mimetype), fileName: text(doc.fileName), size: toNumber(doc.fileLength), maxBytes, fetch: () => download(message, maxBytes) }),
      };
    }
    case undefined:
    case 'protocolMessage':
    case 'senderKeyDistributionMessage':
    case 'reactionMessage':
      // Receipts, reactions and protocol traffic are not messages to answer.
      return undefined;
    default:
      // Voice notes, stickers, locations…: a clear answer that they cannot be opened.
      return { ...base, kind: 'attachment', attachment: UNSUPPORTED_ATTACHMENT };
  }
}
