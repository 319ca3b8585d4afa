import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, tempDir } from '../helpers/test-app.js';
import type { OutboundMessage } from '../../src/messages.js';
import Database from 'better-sqlite3';
import { openSqliteStore, SQLITE_FILE_NAME } from '../../src/store/sqlite/sqlite-store.js';

type App = ReturnType<typeof createTestApp>;
let app: App;
let temp: ReturnType<typeof tempDir> | undefined;
afterEach(async () => {
  await app?.close();
  temp?.remove();
  temp = undefined;
});

/** A JPEG as far as its signature goes, then a recognisable random body. */
function fakeJpeg(body: Uint8Array): Uint8Array {
  return new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, ...body, 0xff, 0xd9]);
}

async function start(who: string) {
  await app.open(who);
  await app.say(who, '5');
}

function filesIn(replies: OutboundMessage[]) {
  return replies.filter((m): m is Extract<OutboundMessage, { kind: 'document' }> => m.kind === 'document');
}

describe('the proof vault', () => {
  it('keeps a photo encrypted, asks what it is and its date, lists it, sends it back and deletes it', async () => {
    temp = tempDir();
    app = createTestApp({ dataDir: temp.dir });
    await start('amina');
    const marker = randomBytes(64);
    const photo = fakeJpeg(marker);

    const received = await app.sendFile('amina', photo);
    expect(received).toMatch(/I have received your document/);
    expect(received).toMatch(/What is this document\?/);
    await app.choose('amina', /Post office receipt/);
    await app.choose('amina', /Another day/);
    await app.say('amina', '14/11/2026');
    const kept = await app.choose('amina', /^Yes$/);
    expect(kept).toMatch(/Kept: Post office receipt for a registered letter, 14 November 2026/);
    // The fingerprint stays in the evidence file, not in the chat.
    expect(kept).toMatch(/its fingerprint is written in your evidence file/);
    expect(kept).not.toMatch(/[0-9a-f]{12}/);

    // At rest: neither the JPEG signature nor any of its bytes can be read in the database files.
    await app.engine.idle();
    for (const name of readdirSync(temp.dir).filter((n) => n.startsWith('guichet.sqlite'))) {
      const raw = readFileSync(join(temp.dir, name));
      expect(raw.includes(Buffer.from(marker.subarray(0, 16)))).toBe(false);
      expect(raw.includes(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46]))).toBe(false);
    }

    await app.say('amina', 'menu');
    const list = await app.choose('amina', /My documents/);
    expect(list).toMatch(/Post office receipt for a registered letter, 14 November 2026/);
    await app.choose('amina', /Post office receipt/);
    const back = await app.deliver({ channel: 'terminal', address: 'amina', messageId: 'send-back', kind: 'text', text: String(app.lastQuestion('amina')!.options.find((o) => /Send it to me again/.test(o.label))!.number) });
    const [file] = filesIn(back);
    expect(file?.mimeType).toBe('image/jpeg');
    expect(Buffer.from(file!.bytes).equals(Buffer.from(photo))).toBe(true);

    await app.choose('amina', /Delete it/);
    const deleted = await app.choose('amina', /Yes, delete it/);
    expect(deleted).toMatch(/The document is deleted/);
    expect(deleted).toMatch(/You have no documents yet/);
  });

  it('refuses a file that is not what its name or announced type says, and keeps nothing', async () => {
    app = createTestApp();
    await start('amina');
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...randomBytes(100)]);
    expect(await app.sendFile('amina', zip, { mimeType: 'image/jpeg' })).toMatch(/I can only keep photos \(JPEG, PNG, WebP, HEIC\) and PDF files/);
    const caseId = await app.store.cases.ensureOwnCase(await app.store.people.resolveIdentity('terminal', 'amina', 0), 0);
    expect(await app.store.vault.list(caseId)).toEqual([]);
    // The question on screen is asked again: nothing is lost.
    expect(app.lastQuestion('amina')?.text).toMatch(/Main menu/);
  });

  it('refuses a file above the size limit before downloading it', async () => {
    app = createTestApp({ maxAttachmentBytes: 1000 });
    await start('amina');
    expect(await app.sendFile('amina', fakeJpeg(randomBytes(10)), { size: 5000 })).toMatch(/too big/);
    // Announced small, delivered large: refused too.
    expect(await app.sendFile('amina', fakeJpeg(randomBytes(2000)), { size: 10 })).toMatch(/did not reach me/);
  });

  it('keeps a file sent in the middle of a route and comes back to the route', async () => {
    app = createTestApp();
    await start('amina');
    await app.say('amina', '3');
    await app.say('amina', '2'); // phone route
    const routeQuestion = app.lastQuestion('amina')!.text;
    await app.sendFile('amina', new TextEncoder().encode('%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF'), { mimeType: 'application/pdf' });
    await app.choose('amina', /Letter from the prefecture/);
    const done = await app.choose('amina', /Today/);
    expect(done).toMatch(/Kept: Letter from the prefecture, 28 November 2026/);
    // Back where they were: the route's question, after the confirmation in the same bubble.
    expect(app.lastQuestion('amina')!.text.endsWith(routeQuestion)).toBe(true);
  });

  it('makes the evidence file with calls, letters and proof in date order', async () => {
    app = createTestApp();
    await start('amina');
    await app.sendFile('amina', fakeJpeg(randomBytes(50)));
    await app.choose('amina', /no appointment available/);
    await app.choose('amina', /Today/);
    await app.say('amina', 'menu');
    await app.choose('amina', /My documents/);
    const replies = await app.deliver({ channel: 'terminal', address: 'amina', messageId: 'evidence', kind: 'text', text: String(app.lastQuestion('amina')!.options.find((o) => /evidence file/.test(o.label))!.number) });
    const [pdf] = filesIn(replies);
    expect(pdf?.mimeType).toBe('application/pdf');
    expect(pdf?.fileName).toBe('dossier-de-preuves-2026-11-28.pdf');
    expect(Buffer.from(pdf!.bytes.subarray(0, 5)).toString()).toBe('%PDF-');
  });

  it('a stored item survives a restart and is still readable with the same key only', async () => {
    temp = tempDir();
    const key = randomBytes(32);
    app = createTestApp({ dataDir: temp.dir, vaultKey: key });
    await start('amina');
    const photo = fakeJpeg(randomBytes(100));
    await app.sendFile('amina', photo);
    await app.close();
    app = createTestApp({ store: openSqliteStore(temp.dir), vaultKey: key });
    await app.say('amina', 'menu');
    await app.choose('amina', /My documents/);
    await app.choose('amina', /Not described yet/);
    const back = await app.deliver({ channel: 'terminal', address: 'amina', messageId: 'again', kind: 'text', text: '1' });
    expect(Buffer.from(filesIn(back)[0]!.bytes).equals(Buffer.from(photo))).toBe(true);
  });

  it('says plainly that a tampered file cannot be opened, and still makes the evidence file', async () => {
    temp = tempDir();
    app = createTestApp({ dataDir: temp.dir });
    await start('amina');
    await app.sendFile('amina', fakeJpeg(randomBytes(80)));
    await app.choose('amina', /Something else/);
    await app.choose('amina', /Today/);
    // Someone with access to the disk flips a byte of the sealed file.
    const db = new Database(join(temp.dir, SQLITE_FILE_NAME));
    const row = db.prepare<[], { id: string; sealed: Buffer }>('SELECT id, sealed FROM vault_items').get()!;
    row.sealed[row.sealed.length - 20]! ^= 0xff;
    db.prepare('UPDATE vault_items SET sealed = ? WHERE id = ?').run(row.sealed, row.id);
    db.close();

    await app.say('amina', 'menu');
    await app.choose('amina', /My documents/);
    await app.choose('amina', /Something else/);
    const back = await app.choose('amina', /Send it to me again/);
    expect(back).toMatch(/This document is damaged and cannot be opened/);
    await app.say('amina', 'back');
    const replies = await app.deliver({ channel: 'terminal', address: 'amina', messageId: 'evidence-2', kind: 'text', text: String(app.lastQuestion('amina')!.options.find((o) => /evidence file/.test(o.label))!.number) });
    expect(filesIn(replies)[0]?.mimeType).toBe('application/pdf');
  });

  it('asks for a photo of the post office receipt when a letter is noted as posted', async () => {
    app = createTestApp();
    await start('amina');
    await app.say('amina', '4');
    await app.choose('amina', /registered letter/i);
    await app.say('amina', '20/11/2026');
    expect(await app.choose('amina', /^Yes$/)).toMatch(/send me a photo of it now/);
  });
});
