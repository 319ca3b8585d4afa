import { BufferJSON, initAuthCreds, proto, type AuthenticationCreds, type AuthenticationState, type SignalDataTypeMap } from '@whiskeysockets/baileys';
import type { ChannelAuthStore } from '../../store/ports.js';

const CREDS_KEY = 'creds';

const serialize = (value: unknown) => JSON.stringify(value, BufferJSON.replacer);
const deserialize = (text: string): unknown => JSON.parse(text, BufferJSON.reviver);

/**
 * Baileys' authentication state kept in Guichet's store (SQLite or MongoDB)
 * instead of files: the creds and every signal key type Baileys 7 uses
 * (sessions, pre-keys, sender keys, app-state keys, lid-mapping, device-list,
 * tctoken, identity-key…). Buffers survive the round trip through BufferJSON.
 * `keys.set` resolves only once the store has written, so Baileys is never
 * told a key is saved before it is.
 */
export async function useStoreAuthState(
  store: ChannelAuthStore,
  channel = 'whatsapp',
): Promise<{ state: AuthenticationState; saveCreds: () => Promise<void>; clear: () => Promise<void> }> {
  const stored = (await store.read(channel, [CREDS_KEY])).get(CREDS_KEY);
  const creds = stored ? (deserialize(stored) as AuthenticationCreds) : initAuthCreds();

  const state: AuthenticationState = {
    creds,
    keys: {
      async get<T extends keyof SignalDataTypeMap>(type: T, ids: string[]) {
        const found = await store.read(channel, ids.map((id) => `${type}-${id}`));
        const result: { [id: string]: SignalDataTypeMap[T] } = {};
        for (const id of ids) {
          const text = found.get(`${type}-${id}`);
          if (text === undefined) continue;
          let value = deserialize(text);
          // Baileys expects this one as a protobuf object, as its own file store does.
          if (type === 'app-state-sync-key' && value) value = proto.Message.AppStateSyncKeyData.fromObject(value as object);
          result[id] = value as SignalDataTypeMap[T];
        }
        return result;
      },
      async set(data) {
        const entries: Record<string, string | null> = {};
        for (const [type, values] of Object.entries(data)) {
          for (const [id, value] of Object.entries(values ?? {})) entries[`${type}-${id}`] = value ? serialize(value) : null;
        }
        await store.write(channel, entries);
      },
      clear: () => store.clear(channel),
    },
  };

  return {
    state,
    saveCreds: () => store.write(channel, { [CREDS_KEY]: serialize(state.creds) }),
    clear: () => store.clear(channel),
  };
}
