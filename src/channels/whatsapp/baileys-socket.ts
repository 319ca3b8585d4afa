import { openSync, writeSync } from 'node:fs';
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

/**
 * The QR code drawn, or the pairing code spelled out, on the terminal only:
 * either links a phone to Guichet's number, so they never go where logs go
 * (stderr is often collected with them). With no terminal (a container run
 * without -t), the QR is not drawn at all and the way to a pairing code is said.
 */
export function showLinkInTerminal(link: { readonly qr: string } | { readonly pairingCode: string }, terminal: ((text: string) => void) | null = openTerminal()): void {
  if (!terminal) {
    process.stderr.write('WhatsApp: no terminal to show the link on. Run with a terminal (docker run -it), or set WHATSAPP_PAIRING_NUMBER and run with a terminal to get a pairing code.\n');
    return;
  }
  if ('qr' in link) {
    qrcode.generate(link.qr, { small: true }, (drawing: string) => terminal(`\nWhatsApp: open WhatsApp on the phone > Linked devices > Link a device, and scan:\n${drawing}\n`));
  } else {
    terminal(`\nWhatsApp: open WhatsApp on the phone > Linked devices > Link with phone number, and type: ${link.pairingCode}\n`);
  }
}

/** The controlling terminal (/dev/tty), else stderr when it is one; null when there is none. */
function openTerminal(): ((text: string) => void) | null {
  // Opened once for the process: the QR code is drawn again every few seconds until scanned.
  if (terminalWriter === undefined) {
    try {
      const fd = openSync('/dev/tty', 'w');
      terminalWriter = (text) => void writeSync(fd, text);
    } catch {
      terminalWriter = process.stderr.isTTY ? (text) => void process.stderr.write(text) : null;
    }
  }
  return terminalWriter;
}
let terminalWriter: ((text: string) => void) | null | undefined;
