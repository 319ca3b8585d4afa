import { sameSecret } from '../text/same-secret.js';
import type { ChannelAuthStore } from '../store/ports.js';
import { vaultKeyCheck } from './vault-key.js';

/** Kept beside the channel credentials: Guichet's own entry, not a channel. */
const CHECK_CHANNEL = 'guichet';
const CHECK_KEY = 'vault-key-check';

export class WrongVaultKeyError extends Error {
  constructor() {
    super(
      'The vault key does not match the one this store was used with: every stored proof would read as damaged. ' +
        'Start Guichet with the original key (VAULT_KEY, or the vault.key file from a backup of DATA_DIR).',
    );
    this.name = 'WrongVaultKeyError';
  }
}

/**
 * At start-up: a store seen for the first time records a check value derived
 * from the vault key; afterwards a different key refuses to start, rather
 * than start silently and show every old proof as damaged.
 */
export async function verifyVaultKey(store: ChannelAuthStore, key: Buffer): Promise<'recorded' | 'matches'> {
  const expected = vaultKeyCheck(key);
  const stored = (await store.read(CHECK_CHANNEL, [CHECK_KEY])).get(CHECK_KEY);
  if (stored === undefined) {
    await store.write(CHECK_CHANNEL, { [CHECK_KEY]: expected });
    return 'recorded';
  }
  if (!sameSecret(stored, expected)) throw new WrongVaultKeyError();
  return 'matches';
}
