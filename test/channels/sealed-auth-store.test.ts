import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { sealedAuthStore } from '../../src/channels/whatsapp/sealed-auth-store.js';
import { useStoreAuthState } from '../../src/channels/whatsapp/store-auth-state.js';
import type { Store } from '../../src/store/ports.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { verifyVaultKey, WrongVaultKeyError } from '../../src/vault/key-check.js';
import { tempDir } from '../helpers/test-app.js';

let temp: ReturnType<typeof tempDir>;
let store: Store;
afterEach(async () => {
  await store.close();
  temp.remove();
});

describe('WhatsApp credentials sealed in the store', () => {
  it('are stored sealed, read back through a fresh instance, and a wrong key cannot open them', async () => {
    temp = tempDir();
    store = openSqliteStore(temp.dir);
    const key = randomBytes(32);
    const first = await useStoreAuthState(sealedAuthStore(store.channelAuth, key));
    await first.saveCreds();
    await first.state.keys.set({ 'pre-key': { '1': { public: Buffer.from('pub-marker'), private: Buffer.from('priv-marker-4471') } } });
    // What the store itself holds: no key material in clear.
    const raw = await store.channelAuth.read('whatsapp', ['creds', 'pre-key-1']);
    for (const value of raw.values()) {
      expect(value.startsWith('sealed:v1:')).toBe(true);
      expect(value).not.toContain('noiseKey');
      expect(Buffer.from(value.slice(10), 'base64').toString('latin1')).not.toContain('priv-marker');
    }
    await store.close();
    store = openSqliteStore(temp.dir);
    const again = await useStoreAuthState(sealedAuthStore(store.channelAuth, key));
    expect(Buffer.from(again.state.creds.noiseKey.private).equals(Buffer.from(first.state.creds.noiseKey.private))).toBe(true);
    const keys = await again.state.keys.get('pre-key', ['1']);
    expect(Buffer.from(keys['1']!.private).toString()).toBe('priv-marker-4471');
    await expect(useStoreAuthState(sealedAuthStore(store.channelAuth, randomBytes(32)))).rejects.toThrow();
  });

  it('still reads credentials an older Guichet stored in clear, and seals them when they are written again', async () => {
    temp = tempDir();
    store = openSqliteStore(temp.dir);
    const plain = await useStoreAuthState(store.channelAuth);
    await plain.saveCreds();
    const key = randomBytes(32);
    const upgraded = await useStoreAuthState(sealedAuthStore(store.channelAuth, key));
    expect(Buffer.from(upgraded.state.creds.noiseKey.private).equals(Buffer.from(plain.state.creds.noiseKey.private))).toBe(true);
    await upgraded.saveCreds();
    expect((await store.channelAuth.read('whatsapp', ['creds'])).get('creds')!.startsWith('sealed:v1:')).toBe(true);
  });
});

describe('the vault key check', () => {
  it('records the key on a new store, accepts it again, and refuses another key', async () => {
    temp = tempDir();
    store = openSqliteStore(temp.dir);
    const key = randomBytes(32);
    expect(await verifyVaultKey(store.channelAuth, key)).toBe('recorded');
    expect(await verifyVaultKey(store.channelAuth, key)).toBe('matches');
    await expect(verifyVaultKey(store.channelAuth, randomBytes(32))).rejects.toBeInstanceOf(WrongVaultKeyError);
    // The check value reveals nothing of the key.
    const stored = (await store.channelAuth.read('guichet', ['vault-key-check'])).get('vault-key-check')!;
    expect(stored).not.toContain(key.toString('hex'));
  });
});
