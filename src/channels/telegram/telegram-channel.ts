import type { Server } from 'node:http';
import { hardenedServer } from '../../http/hardened-server.js';
import type { AddressInfo } from 'node:net';
import { Bot, GrammyError, InputFile, type Context } from 'grammy';
import type { Message, Update } from 'grammy/types';
import type { Logger } from '../../log/logger.js';
import { sentAsPhoto, type InboundMessage, type OutboundMessage } from '../../messages.js';
import type { Channel, InboundHandler } from '../channel.js';
import { callbackToInbound, choiceData, messageToInbound } from './telegram-inbound.js';
import { retryTransformer } from './telegram-retry.js';
import { cut } from '../../engine/pack-messages.js';
import { numberedLabel } from '../../engine/render.js';
import { sameSecret } from '../../text/same-secret.js';
import { InboundTurns, MAX_TURNS_IN_FLIGHT } from '../inbound-turns.js';

export interface TelegramOptions {
  readonly token: string;
  /** Telegram's own, or a self-hosted Bot API server (no trailing slash). */
  readonly apiRoot: string;
  /** Webhook mode when set; long polling otherwise. */
  readonly webhook?: { readonly url: string; readonly secret: string; readonly port: number };
  readonly maxAttachmentBytes: number;
  readonly logger: Logger;
  /** Telegram refused delivery (the person blocked the bot). */
  readonly onUnreachable: (address: string) => Promise<void>;
  readonly retry?: { readonly maxRetries: number; readonly maxRetryAfterSeconds: number; readonly baseDelayMs: number };
  /** Turns in flight before polling waits and the webhook answers busy. */
  readonly maxTurnsInFlight?: number;
  /** The volunteers' group (HELPDESK=telegram-group): its messages go to the helpdesk, never to the engine. */
  readonly group?: { readonly chatId: number; receive(message: Message, loadFile: (fileId: string) => Promise<Uint8Array>): Promise<void> };
}

const ALLOWED_UPDATES = ['message', 'callback_query'] as const;
/** Telegram refuses bodies much larger than this; a webhook request beyond it is not Telegram. */
const MAX_WEBHOOK_BODY = 1024 * 1024;

/**
 * Guichet on Telegram through grammY. Choices become inline keyboards whose
 * buttons carry the question's token; typed numbers and words work as in
 * every channel. Each update is handed to the engine as it arrives and not
 * waited for, so chats run side by side; the engine keeps each chat in order
 * and admits or refuses a flood before queueing it.
 */
export function createTelegramChannel(options: TelegramOptions): Channel & { readonly listeningPort: () => number | undefined } {
  const { token, apiRoot, logger } = options;
  const bot = new Bot(token, { client: { apiRoot } });
  bot.api.config.use(retryTransformer(options.retry ?? { maxRetries: 3, maxRetryAfterSeconds: 60, baseDelayMs: 500 }));
  const turns = new InboundTurns(options.maxTurnsInFlight ?? MAX_TURNS_IN_FLIGHT, (error) => logger.error({ err: errorName(error) }, 'telegram: update handling failed'));
  let server: Server | undefined;
  let stopWebhook: (() => void) | undefined;
  let handler: InboundHandler | undefined;

  const loadFile = async (fileId: string): Promise<Uint8Array> => {
    const file = await bot.api.getFile(fileId);
    if (!file.file_path) throw new Error('Telegram gave no file path');
    const response = await fetch(`${apiRoot}/file/bot${token}/${file.file_path}`);
    if (!response.ok) throw new Error(`file download failed with ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  };

  const deliver = async (inbound: InboundMessage | undefined) => {
    if (!inbound || !handler) return;
    // Polling waits here when Guichet is saturated; Telegram keeps the updates meanwhile.
    await turns.room();
    turns.start(() => handler!(inbound));
  };

  bot.on('message', async (ctx: Context) => {
    const group = options.group;
    if (group && ctx.chat?.id === group.chatId) {
      // A volunteer in a topic: relayed by the helpdesk, in the background like any turn.
      await turns.room();
      turns.start(() => group.receive(ctx.message!, loadFile));
      return;
    }
    await deliver(messageToInbound(ctx.message!, { updateId: ctx.update.update_id, languageCode: ctx.from?.language_code, username: ctx.from?.username }, options.maxAttachmentBytes, loadFile));
  });
  bot.on('callback_query:data', async (ctx: Context) => {
    // Answered first and always, so the button stops spinning even if the tap is stale.
    await ctx.answerCallbackQuery().catch((error: unknown) => logger.warn({ err: errorName(error) }, 'telegram: answerCallbackQuery failed'));
    await deliver(callbackToInbound(ctx.callbackQuery!, { updateId: ctx.update.update_id, languageCode: ctx.from?.language_code, username: ctx.from?.username }));
  });
  bot.catch((error) => logger.error({ err: errorName(error.error) }, 'telegram: update handling failed'));

  async function runWebhook(webhook: NonNullable<TelegramOptions['webhook']>): Promise<void> {
    await bot.init();
    server = hardenedServer((req, res) => {
      if (req.method !== 'POST') return void res.writeHead(405).end();
      if (!sameHeader(req.headers['x-telegram-bot-api-secret-token'], webhook.secret)) return void res.writeHead(401).end();
      // Saturated: Telegram delivers the update again later.
      if (turns.full) return void res.writeHead(503).end();
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_WEBHOOK_BODY) req.destroy();
        else chunks.push(chunk);
      });
      req.on('end', () => {
        let update: Update;
        try {
          update = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Update;
        } catch {
          return void res.writeHead(400).end();
        }
        // Acknowledged at once: Telegram redelivers what is not answered within
        // seconds. The update is handled after, in order per chat.
        res.writeHead(200).end();
        void bot.handleUpdate(update).catch((error: unknown) => logger.error({ err: errorName(error) }, 'telegram: webhook update failed'));
      });
    });
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(webhook.port, resolve);
    });
    await bot.api.setWebhook(webhook.url, { secret_token: webhook.secret, allowed_updates: [...ALLOWED_UPDATES] });
    logger.info({ port: (server.address() as AddressInfo).port }, 'telegram: webhook listening');
    await new Promise<void>((resolve) => (stopWebhook = resolve));
  }

  return {
    name: 'telegram',
    listeningPort: () => (server?.address() as AddressInfo | null)?.port,
    async run(h) {
      handler = h;
      if (options.webhook) return runWebhook(options.webhook);
      // grammY's built-in polling hands updates over in order; each turn runs on
      // its own (see \`deliver\`), so polling goes on while a chat is slowed down.
      // deleteWebhook runs first.
      await bot.start({ allowed_updates: [...ALLOWED_UPDATES], onStart: () => logger.info('telegram: polling') });
    },
    async send(address, messages) {
      const chatId = Number(address);
      try {
        for (const message of messages) await sendOne(chatId, message);
      } catch (error) {
        if (error instanceof GrammyError && error.error_code === 403) {
          logger.warn('telegram: delivery refused (blocked by the person); marked unreachable');
          await options.onUnreachable(address);
          return;
        }
        throw error;
      }
    },
    async stop() {
      if (server) {
        await new Promise<void>((resolve) => server!.close(() => resolve()));
        stopWebhook?.();
      } else if (bot.isRunning()) {
        await bot.stop();
      }
      // Updates already received finish before Guichet closes its store.
      await turns.idle();
    },
  };

  async function sendOne(chatId: number, message: OutboundMessage): Promise<void> {
    switch (message.kind) {
      case 'text':
        for (const piece of cut(message.text, TELEGRAM_MAX_TEXT)) await bot.api.sendMessage(chatId, piece);
        return;
      case 'question': {
        // A button shows only its label: the line under each option (a route's cost, proof
        // and delay) goes in the message, numbered like the buttons.
        const details = message.options.filter((o) => o.detail).map((o) => `${numberedLabel(message.direction, o)}\n   ${o.detail}`);
        const text = details.length > 0 ? `${message.text}\n\n${details.join('\n')}` : message.text;
        // Telegram refuses a text over 4,096 characters: the start goes first, the keyboard with the end.
        const pieces = cut(text, TELEGRAM_MAX_TEXT);
        for (const piece of pieces.slice(0, -1)) await bot.api.sendMessage(chatId, piece);
        await bot.api.sendMessage(chatId, pieces[pieces.length - 1]!, {
          reply_markup: {
            // In Arabic the number is isolated so "1." keeps its order at the start of the button.
            inline_keyboard: message.options.map((o) => [
              { text: numberedLabel(message.direction, o), callback_data: choiceData(message.token, o.number) },
            ]),
          },
        });
        return;
      }
      case 'document':
        // Photos show as pictures (Telegram recompresses them); everything else stays a file.
        if (sentAsPhoto(message.mimeType)) await bot.api.sendPhoto(chatId, new InputFile(message.bytes, message.fileName));
        else await bot.api.sendDocument(chatId, new InputFile(message.bytes, message.fileName));
        return;
    }
  }
}

/** The webhook's secret header, compared in constant time. */
const sameHeader = (given: string | string[] | undefined, secret: string) => typeof given === 'string' && sameSecret(given, secret);

/** The Bot API's limit on one message's text. */
const TELEGRAM_MAX_TEXT = 4096;

/** What went wrong, without anything a person wrote. */
function errorName(error: unknown): Record<string, unknown> {
  if (error instanceof GrammyError) return { name: error.name, method: error.method, code: error.error_code };
  if (error instanceof Error) return { name: error.name };
  return { type: typeof error };
}
