import type { AnyMessageContent, AuthenticationState, ConnectionState, WAMessage, WAMessageKey, proto } from '@whiskeysockets/baileys';
import { formatQuestionAsText } from '../../engine/render.js';
import { InboundTurns, MAX_TURNS_IN_FLIGHT } from '../inbound-turns.js';
import type { Logger } from '../../log/logger.js';
import { sentAsPhoto, type OutboundMessage } from '../../messages.js';
import type { ChannelAuthStore } from '../../store/ports.js';
import type { Channel, InboundHandler } from '../channel.js';
import type { ProactivePacer } from './proactive-pacer.js';
import { decideReconnect, type BackoffOptions } from './reconnect-policy.js';
import { useStoreAuthState } from './store-auth-state.js';
import { toInbound, type MediaDownloader } from './whatsapp-inbound.js';

/** The part of a Baileys socket Guichet uses; tests pass a fake with the same shape. */
export interface WhatsAppSocket {
  readonly ev: {
    // Baileys types each event's payload; listeners here declare their own.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    on(event: string, listener: (arg: any) => void): unknown;
    removeAllListeners(event: string): unknown;
  };
  sendMessage(jid: string, content: AnyMessageContent): Promise<WAMessage | undefined>;
  requestPairingCode(phoneNumber: string): Promise<string>;
  end(error: Error | undefined): unknown;
}

export interface SocketConfig {
  readonly auth: AuthenticationState;
  readonly getMessage: (key: WAMessageKey) => Promise<proto.IMessage | undefined>;
}

export interface WhatsAppOptions {
  readonly authStore: ChannelAuthStore;
  readonly logger: Logger;
  readonly createSocket: (config: SocketConfig) => WhatsAppSocket;
  readonly download: (socket: WhatsAppSocket) => MediaDownloader;
  readonly maxAttachmentBytes: number;
  /** Link with a pairing code for this number (digits, country code first) instead of a QR code. */
  readonly pairingNumber?: string;
  /** Shows the QR code or the pairing code to whoever links the account. */
  readonly showLink: (link: { readonly qr: string } | { readonly pairingCode: string }) => void;
  readonly backoff?: BackoffOptions;
  /** Injected so tests control time and jitter. */
  readonly setTimer?: (fn: () => void, ms: number) => void;
  readonly random?: () => number;
  /** Spacing and daily cap for messages Guichet sends on its own initiative. */
  readonly pacer: ProactivePacer;
}

const EVENTS = ['creds.update', 'connection.update', 'messages.upsert'] as const;
/** Sent messages kept so Baileys can answer a retry request (getMessage). */
const SENT_KEPT = 2000;
/** Recent message ids seen, to skip Baileys' own duplicates before they reach the engine. */
const SEEN_KEPT = 5000;

export type WhatsAppChannel = Channel & {
  readonly status: () => 'connecting' | 'open' | 'stopped';
  readonly stopReason: () => string | undefined;
  /** A message nobody asked for just now (a reminder): paced; false when today's cap is reached. */
  readonly sendProactive: (address: string, messages: readonly OutboundMessage[]) => Promise<boolean>;
};

/**
 * Guichet on WhatsApp through Baileys, an unofficial client. Credentials live
 * in Guichet's store. The connection is watched and re-opened by reason,
 * removing the old socket's listeners each time. Choices are numbered text:
 * WhatsApp buttons and lists do not work through Baileys.
 */
export function createWhatsAppChannel(options: WhatsAppOptions): WhatsAppChannel {
  const { logger } = options;
  const setTimer = options.setTimer ?? ((fn, ms) => void setTimeout(fn, ms));
  const backoff = options.backoff ?? { baseMs: 2_000, maxMs: 5 * 60_000 };
  // Each message is handed to the engine as it arrives, never queued here behind a chat's
  // earlier turns: the engine keeps the chat in order and refuses a flood before queueing.
  const turns = new InboundTurns(MAX_TURNS_IN_FLIGHT, (error) => logger.error({ err: name(error) }, 'whatsapp: message handling failed'));
  const sent = new Map<string, proto.IMessage>();
  const seen = new Set<string>();
  let socket: WhatsAppSocket | undefined;
  let handler: InboundHandler | undefined;
  let finish: (() => void) | undefined;
  let state: 'connecting' | 'open' | 'stopped' = 'connecting';
  let stopReason: string | undefined;
  let attempt = 0;
  let stopping = false;

  /** Keep the newest `limit` entries: Maps and Sets iterate oldest first. */
  const trim = (collection: { readonly size: number; keys(): Iterator<string>; delete(key: string): boolean }, limit: number) => {
    if (collection.size > limit) collection.delete(collection.keys().next().value!);
  };

  function stop(reason?: string) {
    state = 'stopped';
    if (reason) stopReason = reason;
    finish?.();
  }

  async function connect(): Promise<void> {
    if (stopping) return stop();
    state = 'connecting';
    const auth = await useStoreAuthState(options.authStore);
    const sock = options.createSocket({
      auth: auth.state,
      getMessage: async (key) => (key.id ? sent.get(key.id) : undefined),
    });
    socket = sock;
    let pairingRequested = false;
    const download = options.download(sock);

    sock.ev.on('creds.update', (() => void auth.saveCreds().catch((error: unknown) => logger.error({ err: name(error) }, 'whatsapp: saving credentials failed'))) as never);
    sock.ev.on('messages.upsert', ((upsert: { messages: WAMessage[]; type: string }) => {
      if (upsert.type !== 'notify') return;
      for (const message of upsert.messages) {
        const id = message.key.id;
        // Message ids are chosen by the sender's phone: one sender cannot mask another's message.
        const seenKey = `${message.key.remoteJid ?? ''}:${id ?? ''}`;
        if (!id || seen.has(seenKey)) continue;
        seen.add(seenKey);
        trim(seen, SEEN_KEPT);
        const inbound = toInbound(message, options.maxAttachmentBytes, download);
        if (!inbound || !handler) continue;
        if (turns.full) {
          // Baileys cannot be asked to wait: past the cap the message is not taken (no content logged).
          logger.warn({ inFlight: turns.size }, 'whatsapp: saturated; message not handled');
          continue;
        }
        turns.start(() => handler!(inbound));
      }
    }) as never);
    sock.ev.on('connection.update', ((update: Partial<ConnectionState>) => {
      if (update.qr) {
        if (options.pairingNumber && !auth.state.creds.registered) {
          if (!pairingRequested) {
            pairingRequested = true;
            sock.requestPairingCode(options.pairingNumber).then(
              (pairingCode) => options.showLink({ pairingCode }),
              (error: unknown) => logger.error({ err: name(error) }, 'whatsapp: pairing code request failed'),
            );
          }
        } else {
          options.showLink({ qr: update.qr });
        }
      }
      if (update.connection === 'open') {
        attempt = 0;
        state = 'open';
        logger.info('whatsapp: connected');
      }
      if (update.connection === 'close') {
        for (const event of EVENTS) sock.ev.removeAllListeners(event);
        if (stopping) return stop();
        const statusCode = (update.lastDisconnect?.error as { output?: { statusCode?: number } } | undefined)?.output?.statusCode;
        const decision = decideReconnect(statusCode, attempt++, backoff, options.random);
        logger.warn({ statusCode, action: decision.action, ...('delayMs' in decision ? { delayMs: decision.delayMs } : {}) }, 'whatsapp: connection closed');
        switch (decision.action) {
          case 'relink':
            // Logged out from the phone: these credentials are dead. Link again.
            void auth.clear().then(() => setTimer(() => void connect(), 0));
            return;
          case 'stop':
            logger.error({ reason: decision.reason }, decision.reason === 'replaced' ? 'whatsapp: another session replaced this one; stopping' : 'whatsapp: account forbidden; stopping');
            return stop(decision.reason);
          case 'reconnect':
            setTimer(() => void connect(), decision.delayMs);
            return;
        }
      }
    }) as never);
  }

  async function sendOne(jid: string, message: OutboundMessage): Promise<void> {
    const content: AnyMessageContent =
      message.kind === 'text'
        ? { text: message.text }
        : message.kind === 'question'
          ? { text: formatQuestionAsText(message) }
          : sentAsPhoto(message.mimeType)
            ? { image: Buffer.from(message.bytes), mimetype: message.mimeType }
            : { document: Buffer.from(message.bytes), mimetype: message.mimeType, fileName: message.fileName };
    const result = await socket!.sendMessage(jid, content);
    if (result?.key.id && result.message) {
      sent.set(result.key.id, result.message);
      trim(sent, SENT_KEPT);
    }
  }

  return {
    name: 'whatsapp',
    status: () => state,
    stopReason: () => stopReason,
    run(h) {
      handler = h;
      return new Promise<void>((resolve) => {
        finish = resolve;
        void connect().catch((error: unknown) => {
          logger.error({ err: name(error) }, 'whatsapp: could not start');
          stop('error');
        });
      });
    },
    async send(address, messages) {
      if (!socket || state !== 'open') throw new Error('whatsapp is not connected');
      // Called from within the person's turn (the engine's lock), so replies keep their order.
      for (const message of messages) await sendOne(address, message);
    },
    sendProactive(address, messages) {
      return options.pacer.schedule(async () => {
        if (!socket || state !== 'open') throw new Error('whatsapp is not connected');
        for (const message of messages) await sendOne(address, message);
      });
    },
    async stop() {
      stopping = true;
      await turns.idle();
      if (socket && state !== 'stopped') await socket.end(undefined);
      stop();
    },
  };
}

function name(error: unknown): Record<string, unknown> {
  return error instanceof Error ? { name: error.name } : { type: typeof error };
}
