import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { DEFAULT_VAULT_QUOTA, Vault } from '../../src/vault/vault.js';
import { createTestApp, tempDir } from '../helpers/test-app.js';

/** A JPEG by its signature, with a distinct body. */
const photo = (n: number, size = 64) => new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...randomBytes(size), n & 0xff, 0xff, 0xd9]);
const MiB = 1024 * 1024;

type App = ReturnType<typeof createTestApp>;
let app: App | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start(a: App, who: string) {
  await a.open(who);
  await a.say(who, '5');
}

const itemsOf = async (a: App, who: string) => a.store.vault.list(await a.store.cases.ensureOwnCase(await a.store.people.resolveIdentity('terminal', who, 0), 0));

describe('the vault cannot be filled', () => {
  it('keeps the same file once in a case, and says so without asking about it again', async () => {
    app = createTestApp();
    await start(app, 'twice');
    const bytes = photo(1);
    expect(await app.sendFile('twice', bytes)).toMatch(/What is this document\?/);
    await app.say('twice', '0');
    const again = await app.sendFile('twice', bytes);
    expect(again).toMatch(/You already sent this same document on 28 November 2026 \(28\/11\/2026\): I keep it once/);
    expect(again).not.toMatch(/What is this document\?/);
    expect(await itemsOf(app, 'twice')).toHaveLength(1);
  });

  it('refuses a file past the files a case may hold, kept nothing of it, and makes room when one is deleted', async () => {
    app = createTestApp({ vaultQuota: { ...DEFAULT_VAULT_QUOTA, filesPerCase: 3 } });
    await start(app, 'full');
    for (let n = 0; n < 3; n++) {
      await app.sendFile('full', photo(n));
      await app.say('full', '0');
    }
    const refused = await app.sendFile('full', photo(9));
    expect(refused).toMatch(/This case already holds as many documents as Guichet keeps for one case/);
    expect(await itemsOf(app, 'full')).toHaveLength(3);
    const [first] = await itemsOf(app, 'full');
    await app.store.vault.delete(first!.id);
    expect(await app.sendFile('full', photo(9))).toMatch(/I have received your document/);
  });

  it('refuses what goes past the bytes a case may hold', async () => {
    app = createTestApp({ vaultQuota: { ...DEFAULT_VAULT_QUOTA, bytesPerCase: 3000 } });
    await start(app, 'heavy');
    expect(await app.sendFile('heavy', photo(1, 2000))).toMatch(/I have received your document/);
    await app.say('heavy', '0');
    expect(await app.sendFile('heavy', photo(2, 2000))).toMatch(/already holds as many documents/);
  });

  it('limits what one person sends in a day, across every case they work on, and not the next day', async () => {
    const temp = tempDir();
    const store = openSqliteStore(temp.dir);
    try {
      const vault = new Vault(store, randomBytes(32), 10 * MiB, { ...DEFAULT_VAULT_QUOTA, filesPerDay: 2 });
      const person = await store.people.resolveIdentity('telegram', 'sender', 0);
      const own = await store.cases.ensureOwnCase(person, 0);
      const mum = await store.cases.createOnBehalfCase(person, 'Mum', 0);
      const day = 24 * 3600_000;
      const keep = (caseId: string, n: number, at: number) => vault.keep({ id: `p${n}`, caseId, bytes: photo(n), channel: 'telegram', senderId: person, receivedAt: at });
      expect((await keep(own, 1, day)).kept).toBe(true);
      expect((await keep(mum, 2, day + 1)).kept).toBe(true);
      expect(await keep(mum, 3, day + 2)).toEqual({ kept: false, problem: 'day-full' });
      expect((await keep(mum, 4, 2 * day + 2)).kept).toBe(true);
    } finally {
      await store.close();
      temp.remove();
    }
  });
});
