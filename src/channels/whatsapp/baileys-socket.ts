import pino from 'pino';
import { downloadMediaMessage, makeWASocket, type WAMessage } from '@whiskeysockets/baileys';
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

/** Baileys' own helper; asks WhatsApp to re-upload media that expired on its servers. */
export function baileysDownloader(socket: WhatsAppSocket): MediaDownloader {
  const reupload = (socket as unknown as { updateMediaMessage?: (message: WAMessage) => Promise<WAMessage> }).updateMediaMessage;
  return async (message) => {
    const buffer = await downloadMediaMessage(message, 'buffer', {}, reupload ? { logger: baileysLogger, reuploadRequest: reupload } : undefined);
    return new Uint8Array(buffer);
  };
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
