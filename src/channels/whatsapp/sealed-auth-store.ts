import type { ChannelAuthStore } from '../../store/ports.js';
import { openSealed, sealBytes } from '../../vault/vault-cipher.js';

/** Marks a sealed value; a value without it was written by an older Guichet, in clear. */
const PREFIX = 'sealed:v1:';

/**
 * The WhatsApp credentials and signal keys, sealed (AES-256-GCM, with the
 * channel and entry name as authenticated data) before they reach the store:
 * a copy of the database alone does not let anyone act as Guichet's number.
 * Values an older Guichet stored in clear are still read, and sealed the next
 * time Baileys writes them.
 */
export function sealedAuthStore(store: ChannelAuthStore, key: Buffer): ChannelAuthStore {
  const context = (channel: string, name: string) => `${channel}\u0000${name}`;
  return {
    async read(channel, keys) {
      const found = await store.read(channel, keys);
      const out = new Map<string, string>();
      for (const [name, value] of found) {
        if (!value.startsWith(PREFIX)) {
          out.set(name, value);
          continue;
        }
        const sealed = Buffer.from(value.slice(PREFIX.length), 'base64');
        out.set(name, Buffer.from(openSealed(key, context(channel, name), sealed)).toString('utf8'));
      }
      return out;
    },
    write(channel, entries) {
      const sealed: Record<string, string | null> = {};
      for (const [name, value] of Object.entries(entries)) {
        sealed[name] = value === null ? null : PREFIX + Buffer.from(sealBytes(key, context(channel, name), Buffer.from(value, 'utf8'))).toString('base64');
      }
      return store.write(channel, sealed);
    },
    clear: (channel) => store.clear(channel),
  };
}
