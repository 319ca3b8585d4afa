import { describe, expect, it } from 'vitest';
import { toInbound } from '../../src/channels/whatsapp/whatsapp-inbound.js';
import { FIXTURE_PHONE, fixtures } from '../fixtures/whatsapp/messages.js';

const MAX = 10 * 1024 * 1024;
let downloads = 0;
const download = async () => {
  downloads++;
  return new Uint8Array([0xff, 0xd8, 0xff]);
};

describe('Baileys payloads to channel-neutral messages', () => {
  it('reads plain, extended and ephemeral text', () => {
    expect(toInbound(fixtures.text('٢'), MAX, download)).toMatchObject({ channel: 'whatsapp', address: FIXTURE_PHONE, kind: 'text', text: '٢' });
    expect(toInbound(fixtures.extendedText('menu'), MAX, download)).toMatchObject({ kind: 'text', text: 'menu' });
    expect(toInbound(fixtures.ephemeral('1'), MAX, download)).toMatchObject({ kind: 'text', text: '1' });
  });

  it('turns images, view-once images and PDFs into attachments, without downloading yet', async () => {
    downloads = 0;
    const image = toInbound(fixtures.image(2048), MAX, download);
    expect(image).toMatchObject({ kind: 'attachment', attachment: { mediaType: 'photo', mimeType: 'image/jpeg', size: 2048 } });
    expect(toInbound(fixtures.viewOnce(), MAX, download)).toMatchObject({ kind: 'attachment', attachment: { mediaType: 'photo' } });
    const pdf = toInbound(fixtures.document('application/pdf', 4096), MAX, download);
    expect(pdf).toMatchObject({ kind: 'attachment', attachment: { mediaType: 'document', fileName: 'recu.pdf', size: 4096 } });
    expect(downloads).toBe(0);
    if (image?.kind === 'attachment') expect(await image.attachment.load()).toEqual(new Uint8Array([0xff, 0xd8, 0xff]));
    expect(downloads).toBe(1);
  });

  it('refuses oversize and unsupported media before any download', async () => {
    downloads = 0;
    const big = toInbound(fixtures.image(30 * 1024 * 1024), MAX, download);
    expect(big).toMatchObject({ kind: 'attachment', attachment: { problem: 'too-large' } });
    expect(toInbound(fixtures.document('application/x-msdownload', 10, 'x.exe'), MAX, download)).toMatchObject({ attachment: { problem: 'unsupported' } });
    expect(toInbound(fixtures.voiceNote(), MAX, download)).toMatchObject({ attachment: { problem: 'unsupported' } });
    if (big?.kind === 'attachment') await expect(big.attachment.load()).rejects.toThrow();
    expect(downloads).toBe(0);
  });

  it('ignores its own messages, status broadcasts, groups, newsletters and undecryptable stubs', () => {
    for (const message of [fixtures.fromMe(), fixtures.statusBroadcast(), fixtures.group(), fixtures.newsletter(), fixtures.decryptionStub()]) {
      expect(toInbound(message, MAX, download)).toBeUndefined();
    }
  });

  it('answers an @lid sender at that identity and keeps the phone number only as an attribute', () => {
    expect(toInbound(fixtures.lidSender('5'), MAX, download)).toMatchObject({
      address: '185672634982011@lid',
      alternateAddress: '33698765432@s.whatsapp.net',
      kind: 'text',
    });
  });
});

describe('sizes in odd shapes', () => {
  it('reads protobuf Longs and strings, and treats anything else as unknown (so too large)', () => {
    const withLength = (fileLength: unknown) => {
      const message = fixtures.image(1);
      (message.message!.imageMessage as { fileLength: unknown }).fileLength = fileLength;
      return toInbound(message, MAX, download);
    };
    expect(withLength({ toNumber: () => 2048, low: 2048, high: 0 })).toMatchObject({ attachment: { size: 2048 } });
    expect(withLength('4096')).toMatchObject({ attachment: { size: 4096 } });
    expect(withLength({ toString: [] })).toMatchObject({ attachment: { size: null, problem: 'too-large' } });
    expect(withLength(-5)).toMatchObject({ attachment: { size: null, problem: 'too-large' } });
  });
});
