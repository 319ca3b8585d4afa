import pino from 'pino';
import { extractMessageContent, makeWASocket, type WAMessage } from '@whiskeysockets/baileys';
import { downloadMedia, MediaHttpError, MediaRefused, type EncryptedMedia, type MediaKind } from './media-download.js';
import qrcode from 'qrcode-terminal';
import type { MediaDownloader } from './whatsapp-inbound.js';
import type { SocketConfig, WhatsAppSocket } from './whatsapp-channel.js';

// Baileys' own logs carry phone numbers and message ids: kept silent so that
// no personal data reaches Guichet's logs. Guichet logs connection changes itself.
const baileysLogger = pino({ level: 'silent' });

/** A real Baileys socket, as Guichet configures it. */
export function createBaileysSocket(config: SocketConfig): WhatsAppSocket {
  return makeWASocket({
    auth: config.auth,
    logger: baileysLogger,
    getMessage: config.getMessage,
    markOnlineOnConnect: false,
    syncFullHistory: false,
  }) as unknown as WhatsAppSocket;
}

/** A file on WhatsApp's servers that takes longer than this to come is not waited for. */
const MEDIA_TIMEOUT_MS = 60_000;

/**
 * Guichet's own bounded download (see media-download.ts), not Baileys' helper,
 * which trusts the sender's url and buffers everything; media that expired on
 * WhatsApp's servers is re-uploaded once, as Baileys would.
 */
export function baileysDownloader(socket: WhatsAppSocket): MediaDownloader {
  const reupload = (socket as unknown as { updateMediaMessage?: (message: WAMessage) => Promise<WAMessage> }).updateMediaMessage;
  return async (message, maxBytes) => {
    const limits = { maxBytes, timeoutMs: MEDIA_TIMEOUT_MS };
    const media = mediaOf(message);
    if (!media) throw new MediaRefused('damaged');
    try {
      return await downloadMedia(media.content, media.kind, limits);
    } catch (error) {
      if (!(error instanceof MediaHttpError) || (error.status !== 404 && error.status !== 410) || !reupload) throw error;
      const renewed = mediaOf(await reupload(message));
      if (!renewed) throw error;
      return downloadMedia(renewed.content, renewed.kind, limits);
    }
  };
}

function mediaOf(message: WAMessage): { content: EncryptedMedia; kind: MediaKind } | undefined {
  const content = extractMessageContent(message.message);
  if (content?.imageMessage) return { content: content.imageMessage, kind: 'image' };
  if (content?.documentMessage) return { content: content.documentMessage, kind: 'document' };
  return undefined;
}

/** The QR code drawn in the terminal, or the pairing code spelled out. Goes to stderr, with the logs. */
export function showLinkInTerminal(link: { readonly qr: string } | { readonly pairingCode: string }): void {
  if ('qr' in link) {
    qrcode.generate(link.qr, { small: true }, (drawing: string) =>
      process.stderr.write(`\nWhatsApp: open WhatsApp on the phone > Linked devices > Link a device, and scan:\n${drawing}\n`),
    );
  } else {
    process.stderr.write(`\nWhatsApp: open WhatsApp on the phone > Linked devices > Link with phone number, and type: ${link.pairingCode}\n`);
  }
}
