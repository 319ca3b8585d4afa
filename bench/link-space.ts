import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LinkCodes } from '../src/cases/link-codes.js';
import type { Store } from '../src/store/ports.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';

/** How long asking for a link code takes when every code drawn is taken (a full code space): it must answer, not spin. */
export async function fullCodeSpace(): Promise<{ ms: number; status: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-codes-'));
  const store = openSqliteStore(dir);
  try {
    const helper = await store.people.resolveIdentity('telegram', 'h', 0);
    const full: Store = { ...store, links: { ...store.links, create: async () => false } };
    const started = performance.now();
    const made = await new LinkCodes(full, randomBytes(32)).create(helper, 'H', 'Mum', { channel: 'telegram', hint: null }, Date.now());
    return { ms: performance.now() - started, status: made.status };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
