import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Proof files are sealed with AES-256-GCM before they reach the store:
 *
 *   [1 byte version = 1][12 byte random nonce][ciphertext][16 byte tag]
 *
 * The item id is authenticated with the content (additional data), so a
 * sealed blob copied onto another item does not open there.
 */
const VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + NONCE_BYTES;

/** A sealed proof did not open: damaged, moved to another item, or sealed with another key. */
export class VaultTamperedError extends Error {
  override readonly name = 'VaultTamperedError';
  constructor(message = 'sealed proof file failed authentication', options?: ErrorOptions) {
    super(message, options);
  }
}

function aad(itemId: string): Buffer {
  return Buffer.from(`guichet-vault/v1/${itemId}`, 'utf8');
}

function checkKey(key: Buffer): void {
  if (key.length !== 32) throw new RangeError('the vault key must be 32 bytes');
}

export function sealBytes(key: Buffer, itemId: string, plaintext: Uint8Array): Uint8Array {
  checkKey(key);
  // A random 96-bit nonce per file: far below the 2^32 messages per key
  // where random GCM nonces start to risk colliding.
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(itemId));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return new Uint8Array(Buffer.concat([Buffer.of(VERSION), nonce, body, cipher.getAuthTag()]));
}

export function openSealed(key: Buffer, itemId: string, sealed: Uint8Array): Uint8Array {
  checkKey(key);
  if (sealed.length < HEADER_BYTES + TAG_BYTES) throw new VaultTamperedError('sealed proof file is too short');
  if (sealed[0] !== VERSION) throw new VaultTamperedError('sealed proof file has an unknown version');
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  const nonce = bytes.subarray(1, HEADER_BYTES);
  const body = bytes.subarray(HEADER_BYTES, bytes.length - TAG_BYTES);
  const tag = bytes.subarray(bytes.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(itemId));
    decipher.setAuthTag(tag);
    // final() checks the tag; nothing is returned before it has passed.
    return new Uint8Array(Buffer.concat([decipher.update(body), decipher.final()]));
  } catch (error) {
    throw new VaultTamperedError(undefined, { cause: error });
  }
}
