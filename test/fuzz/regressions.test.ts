import { describe, expect, it } from 'vitest';
import { callbackToInbound, messageToInbound } from '../../src/channels/telegram/telegram-inbound.js';
import { toInbound } from '../../src/channels/whatsapp/whatsapp-inbound.js';
import { normalizeInput } from '../../src/text/normalize-input.js';
import { createTestApp } from '../helpers/test-app.js';
import { inboundProblems } from './inbound-shape.js';

/**
 * The smallest inputs for the defects the fuzz suite once found in src/,
 * kept as regression tests: each states the contract the defect broke.
 */
const MAX = 1024;
const download = async () => new Uint8Array([0xff, 0xd8, 0xff]);
const load = async () => new Uint8Array([0xff, 0xd8, 0xff]);
const key = { remoteJid: '33612345678@s.whatsapp.net', fromMe: false, id: '3EB0A1' };
const wellFormed = (channel: 'telegram' | 'whatsapp', normalize: () => unknown) => {
  let result: unknown;
  expect(() => (result = normalize())).not.toThrow();
  expect(inboundProblems(result, channel, MAX)).toEqual([]);
  return result;
};

describe('regressions: src defects the fuzz suite once found', () => {
  it('WhatsApp: an image or document field set to null (WAProto types it `| null`) is ignored or answered, not a TypeError', () => {
    wellFormed('whatsapp', () => toInbound({ key, message: { imageMessage: null } } as never, MAX, download));
    wellFormed('whatsapp', () => toInbound({ key, message: { ephemeralMessage: { message: { documentMessage: null } } } } as never, MAX, download));
  });

  it('WhatsApp: a message with no key, or no message at all, is ignored, not a TypeError', () => {
    wellFormed('whatsapp', () => toInbound({ message: { conversation: 'bonjour' } } as never, MAX, download));
    wellFormed('whatsapp', () => toInbound(null as never, MAX, download));
  });

  it('WhatsApp: a remoteJid that is not a string is ignored, not `jid?.endsWith is not a function`', () => {
    wellFormed('whatsapp', () => toInbound({ key: { ...key, remoteJid: 33612345678 }, message: { conversation: 'bonjour' } } as never, MAX, download));
  });

  it('WhatsApp: text, mimetype, fileName and ids of the wrong type do not come out as strings that are not strings', () => {
    wellFormed('whatsapp', () => toInbound({ key, message: { extendedTextMessage: { text: 42 } } } as never, MAX, download));
    wellFormed('whatsapp', () => toInbound({ key, message: { documentMessage: { mimetype: 42, fileName: {}, fileLength: 10 } } } as never, MAX, download));
    wellFormed('whatsapp', () => toInbound({ key: { ...key, id: 7, remoteJidAlt: 8 }, message: { conversation: 'bonjour' } } as never, MAX, download));
  });

  it('Telegram: a message without a chat, or a tap whose message has none, is ignored, not a TypeError', () => {
    wellFormed('telegram', () => messageToInbound({ message_id: 1, date: 0, text: 'bonjour' } as never, { updateId: 1, languageCode: undefined }, MAX, load));
    wellFormed('telegram', () => callbackToInbound({ id: '1', chat_instance: 'x', data: 'abc:1', message: { message_id: 1, date: 0 } } as never, { updateId: 2, languageCode: undefined }));
  });

  it('Telegram: a language code that is not a string is ignored, not `slice is not a function`', () => {
    wellFormed('telegram', () => messageToInbound({ message_id: 1, date: 0, chat: { id: 5, type: 'private' }, text: 'bonjour' } as never, { updateId: 1, languageCode: 42 as never }, MAX, load));
  });

  it('Telegram: a chat id that cannot be printed is ignored, not `Cannot convert object to primitive value`', () => {
    wellFormed('telegram', () => messageToInbound({ message_id: 1, date: 0, chat: { id: Object.create(null), type: 'private' }, text: 'x' } as never, { updateId: 1, languageCode: undefined }, MAX, load));
  });

  it('Telegram: a photo list whose last size is null is answered, not a TypeError', () => {
    wellFormed('telegram', () => messageToInbound({ message_id: 1, date: 0, chat: { id: 5, type: 'private' }, photo: [null] } as never, { updateId: 1, languageCode: undefined }, MAX, load));
  });

  it('Telegram: mime_type, file_name, file_size and chat ids of the wrong type do not pass through untyped', () => {
    wellFormed('telegram', () =>
      messageToInbound({ message_id: 1, date: 0, chat: { id: 5, type: 'private' }, document: { file_id: 'f', mime_type: 42, file_name: [], file_size: '10' } } as never, { updateId: 1, languageCode: undefined }, MAX, load),
    );
    wellFormed('telegram', () => messageToInbound({ message_id: 1, date: 0, chat: { id: '', type: 'private' }, text: 'x' } as never, { updateId: 1, languageCode: undefined }, MAX, load));
  });

  it('engine: "delete" then "menu" before choosing a language does not reach the main menu without a language', async () => {
    const app = createTestApp();
    try {
      await app.open('new');
      await app.say('new', 'delete');
      const reply = await app.say('new', 'menu');
      const personId = await app.store.people.resolveIdentity('terminal', 'new', app.clock.now());
      const frames = (await app.store.conversations.load(personId))?.state.frames.map((f) => f.machineId);
      // Either still deciding about deletion, or back at the language picker; never the menu with no language.
      expect(reply).not.toContain(app.renderer.text('fr', { key: 'menu.title' }));
      expect(frames?.[0]).toBe('onboarding');
    } finally {
      await app.close();
    }
  });

  it('normalizeInput: the text it returns is NFC, as documented, even when an invisible character sat inside a letter', () => {
    const text = normalizeInput('Rene\u200b\u0301');
    expect(text).toBe(text.normalize('NFC'));
  });
});
