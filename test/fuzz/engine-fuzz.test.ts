import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { normalizeInput } from '../../src/text/normalize-input.js';
import { parseFullDate, parseLatinName, parsePhoneNumber, parseTimeOfDay } from '../../machines/lib/answers.js';
import { createTestApp, asText } from '../helpers/test-app.js';

/**
 * Hostile and odd input, generated: very long text, control and bidi
 * characters, emoji, every script Guichet meets, dates like 31/02, numbers
 * out of range. The engine must answer every message, never throw, and keep
 * what was saved.
 */
const scripts = fc.constantFrom('abc', 'é', 'ع', 'ব', '٣', '۴', '৫', '😀', '\u202e', '\u2066', '\u0000', '\n', '/', '0', '9', ' ', '31/02/2026', 'menu', 'back', 'retour', 'رجوع', '1', '2');
const messageText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.array(scripts, { maxLength: 12 }).map((parts) => parts.join('')),
  fc.integer({ min: -5, max: 100 }).map(String),
  fc.constantFrom('x'.repeat(5000), '\u202e1', '١٢/١٣/٢٠٢٦', '29/02/2025', '00:99', 'delete', '2'),
);

describe('fuzz: the engine answers anything and keeps its state', () => {
  const app = createTestApp();
  afterAll(() => app.close());

  it('answers 10,000 generated messages from 50 people without failing', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 49 }), messageText, async (who, text) => {
        const before = app.outbox.sent.length;
        await app.engine.handle({ channel: 'terminal', address: `fuzz-${who}`, messageId: `f${++n}`, kind: 'text', text });
        const replies = app.outbox.sent.slice(before).flatMap((s) => s.messages);
        // Every message gets an answer (a deletion ends with its confirmation), never the error apology.
        expect(replies.length).toBeGreaterThan(0);
        expect(replies.map(asText).join('\n')).not.toMatch(/something went wrong on my side/);
      }),
      { numRuns: 10_000 },
    );
    expect(app.logLines.join('')).not.toMatch(/"level":50/);
  });
});

describe('fuzz: parsers never throw', () => {
  it('on any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (raw) => {
        const text = normalizeInput(raw);
        parseFullDate(text);
        parseTimeOfDay(text);
        parseLatinName(text);
        parsePhoneNumber(text);
        expect(text.length).toBeLessThanOrEqual(4000);
      }),
      { numRuns: 5_000 },
    );
  });
});

describe('fuzz: channel normalizers survive malformed payloads', () => {
  it('WhatsApp and Telegram payloads of any shape give a message or nothing, never a crash', async () => {
    const { toInbound } = await import('../../src/channels/whatsapp/whatsapp-inbound.js');
    const { messageToInbound, callbackToInbound } = await import('../../src/channels/telegram/telegram-inbound.js');
    const jid = fc.constantFrom('33612345678@s.whatsapp.net', '1@lid', 'status@broadcast', '1@g.us', '', 'x');
    const waMessage = fc.record({
      key: fc.record({ remoteJid: fc.option(jid), fromMe: fc.option(fc.boolean()), id: fc.option(fc.string()) }),
      message: fc.option(fc.oneof(fc.object(), fc.record({ conversation: fc.string() }), fc.record({ imageMessage: fc.record({ fileLength: fc.anything(), mimetype: fc.option(fc.string()) }) }))),
    });
    const tgMessage = fc.record({
      message_id: fc.integer(),
      date: fc.integer(),
      chat: fc.record({ id: fc.integer(), type: fc.constantFrom('private', 'group', 'channel') }),
      text: fc.option(fc.string()),
      photo: fc.option(fc.array(fc.record({ file_id: fc.string(), file_size: fc.option(fc.integer()) }))),
      document: fc.option(fc.record({ file_id: fc.string(), mime_type: fc.option(fc.string()), file_size: fc.option(fc.integer()) })),
    });
    const load = async () => new Uint8Array();
    fc.assert(
      fc.property(waMessage, tgMessage, fc.string(), (wa, tg, data) => {
        toInbound(wa as never, 1024, load);
        messageToInbound(tg as never, { updateId: 1, languageCode: undefined }, 1024, load);
        callbackToInbound({ id: '1', from: { id: 1 }, chat_instance: 'x', data, message: { chat: tg.chat } } as never, { updateId: 2, languageCode: 'xx' });
      }),
      { numRuns: 3_000 },
    );
  });
});
