import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { callbackToInbound, messageToInbound } from '../../src/channels/telegram/telegram-inbound.js';
import { toInbound } from '../../src/channels/whatsapp/whatsapp-inbound.js';
import {
  malformedTelegramBase,
  malformedTelegramCallback,
  malformedTelegramMessage,
  malformedWhatsappMessage,
  NORMALIZER_RUNS,
  anyTelegramBase,
  anyTelegramCallback,
  anyTelegramMessage,
  anyWhatsappMessage,
  telegramBase,
  telegramCallback,
  telegramMessage,
  whatsappMessage,
} from './arbitraries.js';
import { inboundProblems, loadProblems, show } from './inbound-shape.js';

/**
 * The channel normalizers on Telegram updates and Baileys messages, from
 * well-typed ones with odd values to payloads with wrong types in every field
 * and values of any shape at all. Each must return a well-formed
 * channel-neutral message or nothing, and never throw.
 */
const MAX = 1024;
const runs = { numRuns: NORMALIZER_RUNS };
const download = async (): Promise<Uint8Array> => new Uint8Array(2000);
const load = async (fileId: string): Promise<Uint8Array> => new Uint8Array(typeof fileId === 'string' ? fileId.length * 100 : 0);

/**
 * Run a normalizer: it must not throw, and what it returns must be well
 * formed and loadable.
 */
async function check(channel: 'telegram' | 'whatsapp', normalize: () => unknown): Promise<void> {
  let result: unknown;
  try {
    result = normalize();
  } catch (error) {
    throw new Error(`the normalizer threw: ${error instanceof Error ? error.stack : show(error)}`, { cause: error });
  }
  expect(inboundProblems(result, channel, MAX)).toEqual([]);
  expect(await loadProblems(result, MAX)).toEqual([]);
}

describe(`fuzz: Telegram updates (${NORMALIZER_RUNS} runs each)`, () => {
  it('messageToInbound: Bot API messages with odd but well-typed values', async () => {
    await fc.assert(
      fc.asyncProperty(telegramMessage, telegramBase, async (message, base) => {
        await check('telegram', () => messageToInbound(message as never, base, MAX, load));
      }),
      runs,
    );
  });

  it('messageToInbound: wrong types in every field (envelope, chat, photo sizes, document, language), missing fields', async () => {
    await fc.assert(
      fc.asyncProperty(malformedTelegramMessage, malformedTelegramBase, async (message, base) => {
        await check('telegram', () => messageToInbound(message as never, base as never, MAX, load));
      }),
      runs,
    );
  });

  it('messageToInbound: any value at all, as the message or inside the fields it reads', async () => {
    await fc.assert(
      fc.asyncProperty(anyTelegramMessage, anyTelegramBase, async (message, base) => {
        await check('telegram', () => messageToInbound(message as never, base as never, MAX, load));
      }),
      runs,
    );
  });

  it('callbackToInbound: well-typed button taps', async () => {
    await fc.assert(
      fc.asyncProperty(telegramCallback, telegramBase, async (query, base) => {
        await check('telegram', () => callbackToInbound(query as never, base));
      }),
      runs,
    );
  });

  it('callbackToInbound: malformed taps and any value at all', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(malformedTelegramCallback, anyTelegramCallback), fc.oneof(malformedTelegramBase, anyTelegramBase), async (query, base) => {
        await check('telegram', () => callbackToInbound(query as never, base as never));
      }),
      runs,
    );
  });
});

describe(`fuzz: Baileys messages (${NORMALIZER_RUNS} runs each)`, () => {
  it('toInbound: WAProto-typed messages, every media type, wrappers of any depth, sizes as numbers, Longs, strings, negatives, NaN', async () => {
    await fc.assert(
      fc.asyncProperty(whatsappMessage, async (message) => {
        await check('whatsapp', () => toInbound(message as never, MAX, download));
      }),
      runs,
    );
  });

  it('toInbound: wrong types in the key and anywhere in the content', async () => {
    await fc.assert(
      fc.asyncProperty(malformedWhatsappMessage, async (message) => {
        await check('whatsapp', () => toInbound(message as never, MAX, download));
      }),
      runs,
    );
  });

  it('toInbound: any value at all, as the message or inside the fields it reads', async () => {
    await fc.assert(
      fc.asyncProperty(anyWhatsappMessage, async (message) => {
        await check('whatsapp', () => toInbound(message as never, MAX, download));
      }),
      runs,
    );
  });
});
