import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FlowEvent, Text } from '../../machines/lib/intents.js';
import { LinkCodes } from '../../src/cases/link-codes.js';
import { runCaseEffect, type CaseIntent } from '../../src/engine/case-effects.js';
import type { EffectContext } from '../../src/engine/effect-context.js';
import { runProofEffect, type ProofIntent } from '../../src/engine/proof-effects.js';
import { ReminderService } from '../../src/reminders/reminder-service.js';
import type { Store } from '../../src/store/ports.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { Vault } from '../../src/vault/vault.js';
import { tempDir } from '../helpers/test-app.js';

/**
 * The family and documents flows only offer a person their own cases and
 * items, but access control must not rest on that: here a stranger and a
 * helper send the engine's case and proof intents directly, with ids they
 * should not have, as a stale screen or a crafted message could.
 */
let temp: ReturnType<typeof tempDir>;
let store: Store;
let vault: Vault;
let owner: string;
let helper: string;
let stranger: string;
let ownerCase: string;
let itemId: string;
const now = Date.parse('2026-11-28T10:00:00+01:00');
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...randomBytes(40)]);

beforeEach(async () => {
  temp = tempDir();
  store = openSqliteStore(temp.dir);
  vault = new Vault(store, randomBytes(32), 1024 * 1024);
  owner = await store.people.resolveIdentity('terminal', 'owner', now);
  helper = await store.people.resolveIdentity('terminal', 'helper', now);
  stranger = await store.people.resolveIdentity('terminal', 'stranger', now);
  ownerCase = await store.cases.ensureOwnCase(owner, now);
  await store.cases.addHelper(ownerCase, { personId: helper, name: 'Karim', label: 'Mum' }, now);
  const kept = await vault.keep({ id: 'item-1', caseId: ownerCase, bytes: JPEG, channel: 'terminal', senderId: owner, receivedAt: now });
  if (!kept.kept) throw new Error('not kept');
  itemId = kept.item.id;
});
afterEach(async () => {
  await store.close();
  temp.remove();
});

/** An effect context for one person, recording what they would be told and sent. */
function contextFor(personId: string) {
  const said: Text[] = [];
  const files: Uint8Array[] = [];
  const delivered: FlowEvent[] = [];
  const notified: string[] = [];
  let active: Promise<{ id: string; role: 'owner' | 'helper' }> | undefined;
  const resolve = () =>
    (active ??= (async () => {
      const chosen = await store.people.activeCase(personId);
      const role = chosen ? await store.cases.role(chosen, personId) : undefined;
      return chosen && role ? { id: chosen, role } : { id: await store.cases.ensureOwnCase(personId, now), role: 'owner' as const };
    })());
  const ctx: EffectContext = {
    personId,
    messageKey: `m-${personId}`,
    from: { channel: 'terminal', address: personId },
    username: null,
    today: '2026-11-28',
    now,
    caseId: async () => (await resolve()).id,
    role: async () => (await resolve()).role,
    caseChanged: () => void (active = undefined),
    say: (text) => void said.push(text),
    file: (file) => void files.push(file.bytes),
    deliver: async (event) => void delivered.push(event),
    notify: (to) => void notified.push(to),
    activity: async () => undefined,
    helpdesk: () => undefined,
  };
  return { ctx, said, files, delivered, notified };
}

const caseDeps = () => ({ store, links: new LinkCodes(store, randomBytes(32)), reminders: new ReminderService(store, 'Europe/Paris') });
const proofDeps = () => ({ store, vault, evidence: async () => ({ fileName: 'x.pdf', bytes: new Uint8Array() }), localDay: (e: number) => new Date(e).toISOString().slice(0, 10) });
const asCase = (personId: string, intent: CaseIntent) => {
  const c = contextFor(personId);
  return runCaseEffect(caseDeps(), c.ctx, intent).then(() => c);
};
const asProof = (personId: string, intent: ProofIntent) => {
  const c = contextFor(personId);
  return runProofEffect(proofDeps(), c.ctx, intent).then(() => c);
};

describe('no one reaches a case they are not linked to', () => {
  it('a stranger cannot switch to, read, send, describe or delete anything of another case', async () => {
    await asCase(stranger, { type: 'switch-case', caseId: ownerCase });
    expect(await store.people.activeCase(stranger)).toBeNull();

    const listed = await asProof(stranger, { type: 'list-proofs' });
    expect(listed.delivered).toEqual([{ type: 'PROOFS', items: [], today: '2026-11-28' }]);

    const sent = await asProof(stranger, { type: 'send-proof', itemId });
    expect(sent.files).toEqual([]);
    await asProof(stranger, { type: 'describe-proof', itemId, kind: 'other', date: '2026-01-01' });
    await asProof(stranger, { type: 'delete-proof', itemId });
    expect(await store.vault.get(itemId)).toMatchObject({ kind: null, documentDate: null });
  });

  it('a stranger cannot remove a helper, and a helper cannot remove anyone', async () => {
    await asCase(stranger, { type: 'remove-helper', helperId: helper });
    expect(await store.cases.role(ownerCase, helper)).toBe('helper');
    await store.people.setActiveCase(helper, ownerCase);
    const asHelper = await asCase(helper, { type: 'remove-helper', helperId: helper });
    expect(asHelper.notified).toEqual([]);
    expect(await store.cases.role(ownerCase, helper)).toBe('helper');
    // Nor see the helpers and the activity log, which are the owner's.
    const shown = await asCase(helper, { type: 'show-activity' });
    expect(shown.said).toEqual([]);
  });

  it('a helper works on the case they are linked to; once removed, they are back on their own', async () => {
    await asCase(helper, { type: 'switch-case', caseId: ownerCase });
    const sent = await asProof(helper, { type: 'send-proof', itemId });
    expect(Buffer.from(sent.files[0]!).equals(Buffer.from(JPEG))).toBe(true);

    await asCase(owner, { type: 'remove-helper', helperId: helper });
    const after = await asProof(helper, { type: 'send-proof', itemId });
    expect(after.files).toEqual([]);
    const list = await asProof(helper, { type: 'list-proofs' });
    expect(list.delivered).toEqual([{ type: 'PROOFS', items: [], today: '2026-11-28' }]);
  });

  it('a helper cannot make anyone else a helper: a code always links its maker to the case of whoever sends it', async () => {
    const links = new LinkCodes(store, randomBytes(32));
    await store.people.setActiveCase(helper, ownerCase);
    const made = await links.create(helper, 'Karim', 'Cousin', { channel: 'terminal', hint: null }, now);
    if (made.status !== 'created') throw new Error(made.status);
    const check = await links.check({ channel: 'terminal', address: 'stranger' }, stranger, made.code, now);
    if (check.status !== 'ok') throw new Error(check.status);
    const outcome = await links.accept(stranger, check.codeId, now);
    expect(outcome.status).toBe('linked');
    // The stranger's own case got Karim; the owner's case did not get the stranger.
    expect(await store.cases.role(ownerCase, stranger)).toBeUndefined();
    expect(outcome.status === 'linked' && outcome.caseId).toBe(await store.cases.ensureOwnCase(stranger, now));
  });
});
