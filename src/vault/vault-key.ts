import { closeSync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { hkdfSync, randomBytes } from 'node:crypto';
import { join } from 'node:path';

/** AES-256: the vault key is 32 bytes. */
export const VAULT_KEY_BYTES = 32;

const EXPECTED_FORM = '64 hexadecimal characters or the base64 (or base64url) encoding of exactly 32 bytes';
// A template literal, not a quoted 'x.y' string: the locale test reads quoted
// dotted strings in src/ as translation keys.
const KEY_FILE_NAME = `vault.key`;

/** Parses a key written as hex or base64/base64url; null when it is neither or not 32 bytes. */
function parseKey(text: string): Buffer | null {
  const value = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  // 32 bytes are 43 base64 characters plus one "=" of padding (optional here).
  // One alphabet or the other, not a mix of both.
  if (/^[A-Za-z0-9+/]{43}=?$/.test(value) || /^[A-Za-z0-9_-]{43}=?$/.test(value)) {
    const key = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    return key.length === VAULT_KEY_BYTES ? key : null;
  }
  return null;
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function readKeyFile(path: string): Buffer {
  // Another process may have just created the file and not yet written the
  // key (a few microseconds between open and write): wait a little for it.
  for (let attempt = 0; ; attempt++) {
    const fd = openSync(path, 'r');
    let text: string;
    try {
      const stat = fstatSync(fd);
      if (!stat.isFile()) throw new Error(`${path} is not a regular file; it should hold the vault key.`);
      if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
        throw new Error(
          `${path} can be read or changed by other users of this computer (mode ${(stat.mode & 0o777).toString(8)}). ` +
            `Restrict it to its owner with: chmod 600 ${path}`,
        );
      }
      text = readFileSync(fd, 'utf8');
    } finally {
      closeSync(fd);
    }
    const key = parseKey(text);
    if (key) return key;
    if (text.trim() === '' && attempt < 20) {
      sleepSync(50);
      continue;
    }
    // Never print the content: it may be a (damaged) key.
    throw new Error(`${path} does not hold a valid vault key: expected ${EXPECTED_FORM}.`);
  }
}

/**
 * The 32-byte AES-256 key that seals proof files.
 *
 * `configured` is the VAULT_KEY environment variable. When it is not set the
 * key lives in `<dataDir>/vault.key`, created on first start, readable by its
 * owner only. Losing that file makes every stored proof unreadable, so it
 * belongs in the same backups as the data.
 */
export function loadVaultKey(configured: string | undefined, dataDir: string): Buffer {
  if (configured !== undefined && configured.trim() !== '') {
    const key = parseKey(configured);
    // The message names the variable and the expected form, never the value.
    if (!key) throw new Error(`VAULT_KEY is not a valid vault key: expected ${EXPECTED_FORM}.`);
    return key;
  }
  const path = join(dataDir, KEY_FILE_NAME);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  let fd: number;
  try {
    // 'wx' fails when the file exists: of two processes starting together,
    // one creates the key and the other reads it.
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readKeyFile(path);
    throw error;
  }
  const key = randomBytes(VAULT_KEY_BYTES);
  try {
    writeSync(fd, `${key.toString('hex')}\n`);
    // The key must survive a power cut once anything has been sealed with it.
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  syncDirectory(dataDir);
  return key;
}

/** Makes the new file's directory entry durable too (best effort: not every system allows it). */
function syncDirectory(dir: string): void {
  if (process.platform === 'win32') return;
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some file systems refuse fsync on a directory; the file itself is synced.
  }
}

/**
 * A key derived from the vault key for hashing link codes (HKDF-SHA256), so
 * the vault key itself only ever seals the vault.
 */
export function linkCodeSecret(key: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', key, 'guichet', 'link-codes', 32));
}

/** A key derived from the vault key that seals the WhatsApp credentials kept in the store. */
export function channelCredentialsKey(key: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', key, 'guichet', 'channel-credentials', 32));
}

/** What the store keeps to recognise its vault key: derived from it, useless to recover it. */
export function vaultKeyCheck(key: Buffer): string {
  return Buffer.from(hkdfSync('sha256', key, 'guichet', 'vault-key-check', 32)).toString('hex');
}
