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

/** Downloads the media of a message (Baileys' own helper in production, a stub in tests). */
export type MediaDownloader = (message: WAMessage) => Promise<Uint8Array>;

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

/**
 * One Baileys message as a channel-neutral message, or undefined when Guichet
 * must not answer it: its own messages, status broadcasts, groups,
 * newsletters, and stubs with no content (a message it could not decrypt).
 * Replies go to the identity the message came from (`@lid` or phone JID);
 * the phone-number form, when WhatsApp gives it, is only kept alongside.
 */
export function toInbound(message: WAMessage, maxBytes: number, download: MediaDownloader): InboundMessage | undefined {
  const { key } = message;
  const jid = key.remoteJid;
  if (!jid || !key.id || key.fromMe) return undefined;
  if (isJidStatusBroadcast(jid) || isJidBroadcast(jid) || isJidGroup(jid) || isJidNewsletter(jid)) return undefined;
  // Ephemeral, view-once and similar wrappers are unwrapped here.
  const content = normalizeMessageContent(message.message);
  if (!content) return undefined;
  const base = {
    channel: 'whatsapp' as const,
    address: jid,
    messageId: key.id,
    ...(key.remoteJidAlt ? { alternateAddress: key.remoteJidAlt } : {}),
  };
  const type = getContentType(content);
  switch (type) {
    case 'conversation':
      return content.conversation ? { ...base, kind: 'text', text: content.conversation } : undefined;
    case 'extendedTextMessage':
      return content.extendedTextMessage?.text ? { ...base, kind: 'text', text: content.extendedTextMessage.text } : undefined;
    case 'imageMessage': {
      const image = content.imageMessage!;
      return {
        ...base,
        kind: 'attachment',
        attachment: checkedAttachment({ mediaType: 'photo', mimeType: image.mimetype ?? 'image/jpeg', fileName: null, size: toNumber(image.fileLength), maxBytes, fetch: () => download(message) }),
      };
    }
    case 'documentMessage': {
      const doc = content.documentMessage!;
      return {
        ...base,
        kind: 'attachment',
        attachment: checkedAttachment({ mediaType: 'document', mimeType: doc.mimetype ?? null, fileName: doc.fileName ?? null, size: toNumber(doc.fileLength), maxBytes, fetch: () => download(message) }),
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
