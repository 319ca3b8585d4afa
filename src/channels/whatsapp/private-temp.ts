import { chmodSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Baileys writes files it sends to the system temporary folder while it
 * encrypts and uploads them — for a photo, the decrypted original too (to
 * draw its preview). A proof sent back to its owner must not sit readable in
 * a shared /tmp, nor stay there after a crash: Guichet gives this process
 * its own temporary folder, owner-only, emptied at start.
 */
export function usePrivateTempDir(dataDir: string): string {
  const dir = join(dataDir, 'tmp');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  for (const entry of readdirSync(dir)) rmSync(join(dir, entry), { recursive: true, force: true });
  // os.tmpdir() reads TMPDIR at every call: Baileys' next upload goes here.
  process.env.TMPDIR = dir;
  return dir;
}
