import { createHash } from 'node:crypto';
import { strFromU8, unzipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/test-app.js';

type App = ReturnType<typeof createTestApp>;
let app: App;
afterEach(async () => app?.close());

describe('exporting one’s data', () => {
  it('sends everything kept about the person as zipped JSON, and nothing about anyone else', async () => {
    app = createTestApp({ now: '2026-11-28T10:00:00+01:00' });
    for (const who of ['me', 'other']) {
      await app.open(who);
      await app.say(who, '5');
      await app.say(who, '3');
      await app.say(who, '2'); // phone route
      await app.say(who, '1'); // note a call
      for (const answer of ['1', '1', '1', who === 'me' ? 'Mme Durand' : 'M Secret', '2', '1']) await app.say(who, answer);
      await app.say(who, 'menu');
    }
    await app.say('me', '4');
    await app.say('me', '1');
    await app.say('me', '30/06/2027');
    await app.say('me', '1');
    await app.say('me', '1');
    expect(await app.say('me', 'privacy')).toMatch(/To get a copy of everything I keep about you, write "export"/);

    const replies = await app.deliver({ channel: 'terminal', address: 'me', messageId: 'export-1', kind: 'text', text: 'exporter' });
    const file = replies.find((m) => m.kind === 'document');
    expect(file?.kind === 'document' && file.mimeType).toBe('application/zip');
    if (file?.kind !== 'document') return;
    expect(file.fileName).toBe('guichet-export-2026-11-28.zip');
    const data = JSON.parse(strFromU8(unzipSync(file.bytes)['guichet-export.json']!));
    expect(data.person.language).toBe('en');
    expect(data.writingFrom).toEqual({ channel: 'terminal', address: 'me' });
    expect(data.identities).toEqual([{ channel: 'terminal', address: 'me' }]);
    expect(data.cases).toHaveLength(1);
    const [own] = data.cases;
    expect(own.calls).toHaveLength(1);
    expect(own.calls[0]).toMatchObject({ agent: 'Mme Durand', outcome: 'call_back', number: 'anef' });
    expect(own.dates).toEqual([{ kind: 'permit-expiry', date: '2027-06-30', anef: 'yes' }]);
    expect(own.nextReminder.about).toBe('permit-expiry');
    expect(JSON.stringify(data)).not.toContain('Secret');
  });

  it('includes the proof files themselves, decrypted, next to their fingerprints', async () => {
    app = createTestApp();
    await app.open('me');
    await app.say('me', '5');
    const photo = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new TextEncoder().encode('not really a picture')]);
    await app.sendFile('me', photo, { mimeType: 'image/png' });
    await app.choose('me', /Letter from the prefecture/);
    await app.choose('me', /Today/);
    const replies = await app.deliver({ channel: 'terminal', address: 'me', messageId: 'export-2', kind: 'text', text: 'export' });
    const file = replies.find((m) => m.kind === 'document');
    if (file?.kind !== 'document') throw new Error('no export');
    const zip = unzipSync(file.bytes);
    const data = JSON.parse(strFromU8(zip['guichet-export.json']!));
    const [doc] = data.cases[0].documents;
    expect(doc).toMatchObject({ kind: 'prefecture-letter', documentDate: '2026-11-28', type: 'image/png', size: photo.length });
    expect(Buffer.from(zip[doc.file]!).equals(Buffer.from(photo))).toBe(true);
    expect(createHash('sha256').update(photo).digest('hex')).toBe(doc.sha256);
  });
});
