import { EventEmitter } from 'node:events';
import type { AnyMessageContent, WAMessage } from '@whiskeysockets/baileys';
import type { SocketConfig, WhatsAppSocket } from '../../src/channels/whatsapp/whatsapp-channel.js';

/**
 * The subset of a Baileys socket Guichet uses: the event emitter, sendMessage,
 * requestPairingCode and end. Tests emit connection and message events as
 * Baileys would and read what Guichet sent.
 */
export class FakeWhatsAppSocket implements WhatsAppSocket {
  readonly ev = new EventEmitter();
  readonly sent: { jid: string; content: AnyMessageContent }[] = [];
  readonly pairingRequests: string[] = [];
  ended = false;
  private counter = 0;

  constructor(readonly config: SocketConfig) {}

  async sendMessage(jid: string, content: AnyMessageContent): Promise<WAMessage> {
    this.sent.push({ jid, content });
    const text = 'text' in content ? content.text : '';
    return { key: { remoteJid: jid, fromMe: true, id: `SENT${++this.counter}` }, message: { conversation: text } } as WAMessage;
  }

  async requestPairingCode(phoneNumber: string): Promise<string> {
    this.pairingRequests.push(phoneNumber);
    return 'GUIC-HET1';
  }

  end(): void {
    this.ended = true;
    this.close(428);
  }

  open(): void {
    this.ev.emit('connection.update', { connection: 'open' });
  }

  close(statusCode: number): void {
    this.ev.emit('connection.update', { connection: 'close', lastDisconnect: { error: Object.assign(new Error('closed'), { output: { statusCode } }), date: new Date() } });
  }

  deliver(...messages: WAMessage[]): void {
    this.ev.emit('messages.upsert', { type: 'notify', messages });
  }

  texts(): string[] {
    return this.sent.map((s) => ('text' in s.content ? s.content.text : `[${Object.keys(s.content)[0]}]`));
  }
}
