import { randomBytes } from 'node:crypto';
import { strFromU8, unzipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { exportPersonData } from '../../src/engine/export-data.js';
import { evidenceOf, type ProofEffectDeps } from '../../src/engine/proof-effects.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { Vault } from '../../src/vault/vault.js';
import { tempDir } from '../helpers/test-app.js';

/** A JPEG by its signature, of about `size` bytes. */
const jpeg = (size: number) => new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...randomBytes(size), 0xff, 0xd9]);
const pdf = (size: number) => new Uint8Array([...new TextEncoder().encode('%PDF-1.4\n'), ...randomBytes(size)]);

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function caseWithFiles(files: Uint8Array[]) {
  const temp = tempDir();
  const store = openSqliteStore(temp.dir);
  const vault = new Vault(store, randomBytes(32), 10 * 1024 * 1024);
  cleanup = async () => {
    await store.close();
    temp.remove();
  };
  const personId = await store.people.resolveIdentity('terminal', 'x', 0);
  const caseId = await store.cases.ensureOwnCase(personId, 0);
  for (const [n, bytes] of files.entries()) await vault.keep({ id: `f${n}`, caseId, bytes, channel: 'terminal', senderId: personId, receivedAt: n + 1 });
  const deps: ProofEffectDeps = { store, vault, evidence: async () => ({ fileName: 'x.pdf', bytes: new Uint8Array() }), localDay: () => '2026-11-28' };
  return { deps, personId, caseId };
}

describe('exports and evidence files of a full case stay bounded', () => {
  it('an export carries proof files up to its limit, lists the others with their fingerprints, and says how many', async () => {
    const { deps, personId } = await caseWithFiles([jpeg(4000), jpeg(4000), jpeg(4000)]);
    const exported = await exportPersonData(deps, personId, { channel: 'terminal', address: 'x' }, 0, 9000);
    expect(exported.filesLeftOut).toBe(1);
    const zip = unzipSync(exported.bytes);
    const data = JSON.parse(strFromU8(zip['guichet-export.json']!));
    const documents = data.cases[0].documents as { file: string | null; sha256: string; notIncluded?: string }[];
    expect(documents.filter((d) => d.file)).toHaveLength(2);
    const left = documents.find((d) => !d.file)!;
    expect(left.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(left.notIncluded).toMatch(/send it back from My documents/);
    expect(Object.keys(zip).filter((k) => k.startsWith('case-1/'))).toHaveLength(2);
  });

  it('the evidence file opens only photos it can reproduce, up to its limit; the rest are listed', async () => {
    const { deps, caseId } = await caseWithFiles([jpeg(4000), pdf(4000), jpeg(4000), jpeg(4000)]);
    const input = await evidenceOf(deps, caseId, '2026-11-28', 9000);
    const proofs = input.entries.filter((e) => e.kind === 'proof');
    expect(proofs).toHaveLength(4);
    // The PDF is never opened (it cannot be drawn), two photos fit, the last one is left out.
    expect(proofs.map((p) => (p.kind === 'proof' ? [p.item.mimeType, p.bytes !== null, p.omitted === true] : []))).toEqual([
      ['image/jpeg', true, false],
      ['application/pdf', false, false],
      ['image/jpeg', true, false],
      ['image/jpeg', false, true],
    ]);
  });
});
