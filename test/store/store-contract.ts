import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RevisionConflictError } from '../../src/errors.js';
import type { ChannelName } from '../../src/messages.js';
import type { ConversationState, DateKind, NewNudge, Store, VaultItem } from '../../src/store/ports.js';

/**
 * The behaviour every store adapter must have. Each adapter's test file calls
 * this with a factory whose `open()` returns a new store instance on the same
 * data, so read-back goes through a fresh instance as it would after a restart.
 */
export interface StoreFactory {
  open(): Promise<Store>;
  /** Remove all data (called after each test). */
  destroy(): Promise<void>;
  /**
   * Every row of every table (every document of every collection, GridFS
   * included), blobs as hex, as text: to check that erased data is gone.
   */
  dump(): Promise<string>;
  /**
   * Attach one more identity to an existing person, never written from (no
   * last-seen time). The ports have no such operation; the adapters' data
   * model allows it, and preferredAddress must choose among them.
   */
  addIdentity(personId: string, channel: ChannelName, address: string): Promise<void>;
}

const state = (step: string): ConversationState => ({
  frames: [{ machineId: 'route.phone', machineVersion: 1, snapshot: { status: 'active', value: step, context: { note: 'é ع ব 😀' } } }],
});

const nudgeOf = (caseId: string, personId: string, id: string, dueAt: number, kind: DateKind = 'permit-expiry', address = '42'): NewNudge => ({
  id,
  caseId,
  personId,
  dateKind: kind,
  dateVersion: 'v1',
  dueAt,
  channel: 'telegram',
  address,
  textKey: 'reminders.expiry_day',
  params: { expiry: '2027-03-31' },
});

const vaultItem = (id: string, caseId: string, senderId: string | null, more: Partial<VaultItem> = {}): VaultItem => ({
  id,
  caseId,
  kind: null,
  documentDate: null,
  mimeType: 'image/jpeg',
  size: 1000,
  sha256: 'ab'.repeat(32),
  receivedAt: 1,
  channel: 'telegram',
  senderId,
  ...more,
});

const randomBlob = (size: number) => new Uint8Array(randomBytes(size));
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const sameBytes = (a: Uint8Array | undefined, b: Uint8Array) => a !== undefined && a.byteLength === b.byteLength && Buffer.from(a).equals(Buffer.from(b));

export function defineStoreContract(name: string, makeFactory: () => Promise<StoreFactory>): void {
  describe(`store contract: ${name}`, () => {
    let factory: StoreFactory;
    let store: Store;
    const opened: Store[] = [];
    const reopen = async () => {
      const s = await factory.open();
      opened.push(s);
      return s;
    };

    beforeEach(async () => {
      factory = await makeFactory();
      store = await reopen();
    });
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
      await factory.destroy();
    });

    describe('people', () => {
      it('gives the same person for the same identity, a different one for another', async () => {
        const a = await store.people.resolveIdentity('terminal', 'alice', 1);
        const again = await store.people.resolveIdentity('terminal', 'alice', 2);
        const other = await store.people.resolveIdentity('telegram', 'alice', 3);
        expect(again).toBe(a);
        expect(other).not.toBe(a);
        const person = await store.people.get(a);
        expect(person).toEqual({ id: a, language: null, createdAt: 1 });
      });

      it('creates one person when the same new identity arrives twice at once', async () => {
        const second = await reopen();
        const ids = await Promise.all([
          store.people.resolveIdentity('whatsapp', 'x', 1),
          second.people.resolveIdentity('whatsapp', 'x', 1),
          store.people.resolveIdentity('whatsapp', 'x', 1),
        ]);
        expect(new Set(ids).size).toBe(1);
      });

      it('keeps the language through a fresh instance', async () => {
        const id = await store.people.resolveIdentity('terminal', 'bob', 1);
        expect(await store.people.setLanguage(id, 'bn')).toBe(true);
        const fresh = await reopen();
        expect((await fresh.people.get(id))?.language).toBe('bn');
      });

      it('marks an identity unreachable until the person writes again', async () => {
        await store.people.resolveIdentity('telegram', '42', 1);
        expect(await store.people.isReachable('telegram', '42')).toBe(true);
        await store.people.markUnreachable('telegram', '42', 5);
        expect(await (await reopen()).people.isReachable('telegram', '42')).toBe(false);
        expect(await store.people.isReachable('whatsapp', '42')).toBe(true);
        await store.people.markReachable('telegram', '42', 6);
        expect(await store.people.isReachable('telegram', '42')).toBe(true);
      });

      it('answers unknown ids without inventing anything', async () => {
        expect(await store.people.get('no-such-person')).toBeUndefined();
        expect(await store.people.setLanguage('no-such-person', 'fr')).toBe(false);
        expect(await store.people.delete('no-such-person')).toBe(false);
        expect(await store.conversations.load('no-such-person')).toBeUndefined();
        expect(await store.cases.listRecords('no-such-case', 'call-log')).toEqual([]);
      });

      it('deletes a person with their identities, conversation, case and records', async () => {
        const id = await store.people.resolveIdentity('terminal', 'carol', 1);
        const keep = await store.people.resolveIdentity('terminal', 'dave', 1);
        await store.conversations.save(id, state('a'), 0, 1);
        await store.conversations.save(keep, state('b'), 0, 1);
        const caseId = await store.cases.ensureOwnCase(id, 1);
        await store.cases.addRecord({ id: 'r1', caseId, kind: 'call-log', data: { n: 1 }, createdAt: 1 });
        expect(await store.people.delete(id)).toBe(true);

        const fresh = await reopen();
        expect(await fresh.people.get(id)).toBeUndefined();
        expect(await fresh.conversations.load(id)).toBeUndefined();
        expect(await fresh.cases.listRecords(caseId, 'call-log')).toEqual([]);
        expect(await fresh.people.resolveIdentity('terminal', 'carol', 2)).not.toBe(id);
        expect((await fresh.conversations.load(keep))?.state).toEqual(state('b'));
      });
    });

    describe('conversations', () => {
      it('saves, updates and reads back through a fresh instance', async () => {
        const id = await store.people.resolveIdentity('terminal', 'erin', 1);
        expect(await store.conversations.save(id, state('one'), 0, 10)).toBe(1);
        expect(await store.conversations.save(id, state('two'), 1, 20)).toBe(2);
        const fresh = await reopen();
        expect(await fresh.conversations.load(id)).toEqual({ personId: id, state: state('two'), rev: 2, updatedAt: 20 });
      });

      it('refuses a save on a stale revision and keeps the winner', async () => {
        const id = await store.people.resolveIdentity('terminal', 'frank', 1);
        await store.conversations.save(id, state('one'), 0, 1);
        await store.conversations.save(id, state('two'), 1, 2);
        await expect(store.conversations.save(id, state('stale'), 1, 3)).rejects.toBeInstanceOf(RevisionConflictError);
        await expect(store.conversations.save(id, state('again'), 0, 3)).rejects.toBeInstanceOf(RevisionConflictError);
        expect((await store.conversations.load(id))?.state).toEqual(state('two'));
      });

      it('lets exactly one of two concurrent writers on the same revision win', async () => {
        const id = await store.people.resolveIdentity('terminal', 'gina', 1);
        await store.conversations.save(id, state('start'), 0, 1);
        const other = await reopen();
        const results = await Promise.allSettled([
          store.conversations.save(id, state('left'), 1, 2),
          other.conversations.save(id, state('right'), 1, 2),
        ]);
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r) => r.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect((lost[0] as PromiseRejectedResult).reason).toBeInstanceOf(RevisionConflictError);
        const final = await reopen();
        const stored = await final.conversations.load(id);
        expect(stored?.rev).toBe(2);
        expect([state('left'), state('right')]).toContainEqual(stored?.state);
      });

      it('lets only one first save win for a new conversation', async () => {
        const id = await store.people.resolveIdentity('terminal', 'hank', 1);
        const other = await reopen();
        const results = await Promise.allSettled([
          store.conversations.save(id, state('a'), 0, 1),
          other.conversations.save(id, state('b'), 0, 1),
        ]);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      });
    });

    describe('cases', () => {
      it('has one own case per person and stores records once, in order', async () => {
        const id = await store.people.resolveIdentity('terminal', 'iris', 1);
        const [c1, c2] = await Promise.all([store.cases.ensureOwnCase(id, 1), store.cases.ensureOwnCase(id, 1)]);
        expect(c1).toBe(c2);
        expect(await store.cases.addRecord({ id: 'b', caseId: c1, kind: 'call-log', data: { n: 2, s: 'ع' }, createdAt: 20 })).toBe(true);
        expect(await store.cases.addRecord({ id: 'a', caseId: c1, kind: 'call-log', data: { n: 1 }, createdAt: 10 })).toBe(true);
        expect(await store.cases.addRecord({ id: 'a', caseId: c1, kind: 'call-log', data: { n: 99 }, createdAt: 30 })).toBe(false);
        const fresh = await reopen();
        const records = await fresh.cases.listRecords(c1, 'call-log');
        expect(records.map((r) => [r.id, r.data])).toEqual([
          ['a', { n: 1 }],
          ['b', { n: 2, s: 'ع' }],
        ]);
        expect(await fresh.cases.ensureOwnCase(id, 5)).toBe(c1);
      });

      it('never shows one person the records of another', async () => {
        const p1 = await store.people.resolveIdentity('terminal', 'jo', 1);
        const p2 = await store.people.resolveIdentity('terminal', 'kim', 1);
        const c1 = await store.cases.ensureOwnCase(p1, 1);
        const c2 = await store.cases.ensureOwnCase(p2, 1);
        await store.cases.addRecord({ id: 'x1', caseId: c1, kind: 'call-log', data: {}, createdAt: 1 });
        expect(c1).not.toBe(c2);
        expect(await store.cases.listRecords(c2, 'call-log')).toEqual([]);
      });
    });

    describe('processed message ids', () => {
      it('claims a message id once, across instances, until released', async () => {
        const other = await reopen();
        expect(await store.processed.claim('telegram:1', 100)).toBe(true);
        expect(await other.processed.claim('telegram:1', 101)).toBe(false);
        await store.processed.release('telegram:1');
        expect(await other.processed.claim('telegram:1', 102)).toBe(true);
      });

      it('records the message a turn answered together with its state, and only then', async () => {
        const id = await store.people.resolveIdentity('telegram', 'h1', 1);
        expect(await store.processed.seen('telegram:h-1')).toBe(false);
        expect(await store.conversations.save(id, state('a'), 0, 10, 'telegram:h-1')).toBe(1);
        const other = await reopen();
        expect(await other.processed.seen('telegram:h-1')).toBe(true);
        // The same message again (a redelivery run by another process): refused, state unchanged.
        await expect(other.conversations.save(id, state('b'), 1, 11, 'telegram:h-1')).rejects.toBeInstanceOf(RevisionConflictError);
        expect((await other.conversations.load(id))?.rev).toBe(1);
        // A save refused on its revision records nothing.
        await expect(store.conversations.save(id, state('c'), 5, 12, 'telegram:h-2')).rejects.toBeInstanceOf(RevisionConflictError);
        expect(await other.processed.seen('telegram:h-2')).toBe(false);
        expect(await store.conversations.save(id, state('d'), 1, 13, 'telegram:h-2')).toBe(2);
        expect(await other.processed.seen('telegram:h-2')).toBe(true);
      });

      it('lets exactly one of many concurrent claims win', async () => {
        const other = await reopen();
        const results = await Promise.all([
          store.processed.claim('wa:abc', 1),
          other.processed.claim('wa:abc', 1),
          store.processed.claim('wa:abc', 1),
        ]);
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it('prunes old claims only', async () => {
        await store.processed.claim('old', 1_000);
        await store.processed.claim('new', 5_000);
        expect(await store.processed.prune(2_000)).toBe(1);
        expect(await store.processed.claim('old', 6_000)).toBe(true);
        expect(await store.processed.claim('new', 6_000)).toBe(false);
      });
    });

    describe('channel credentials', () => {
      it('writes, reads back through a fresh instance, deletes with null, and clears one channel only', async () => {
        await store.channelAuth.write('whatsapp', { creds: '{"a":1}', 'session-1': 'x', 'pre-key-1': 'y' });
        await store.channelAuth.write('other', { creds: 'keep' });
        const fresh = await reopen();
        expect(await fresh.channelAuth.read('whatsapp', ['creds', 'session-1', 'missing'])).toEqual(
          new Map([
            ['creds', '{"a":1}'],
            ['session-1', 'x'],
          ]),
        );
        await fresh.channelAuth.write('whatsapp', { 'session-1': null, creds: '{"a":2}' });
        expect(await store.channelAuth.read('whatsapp', ['creds', 'session-1'])).toEqual(new Map([['creds', '{"a":2}']]));
        await store.channelAuth.clear('whatsapp');
        expect((await store.channelAuth.read('whatsapp', ['creds', 'pre-key-1'])).size).toBe(0);
        expect(await store.channelAuth.read('other', ['creds'])).toEqual(new Map([['creds', 'keep']]));
      });
    });

    describe('dates and reminders', () => {
      const nudge = nudgeOf;
      async function aCase(name: string) {
        const personId = await store.people.resolveIdentity('telegram', name, 1);
        return { personId, caseId: await store.cases.ensureOwnCase(personId, 1) };
      }

      it('keeps one date of each kind, replaced when changed, through a fresh instance', async () => {
        const { caseId } = await aCase('d1');
        await store.reminders.setDate({ caseId, kind: 'permit-expiry', data: { date: '2027-03-31', anef: 'yes' }, updatedAt: 1 });
        await store.reminders.setDate({ caseId, kind: 'permit-expiry', data: { date: '2027-04-30', anef: 'no' }, updatedAt: 2 });
        await store.reminders.setDate({ caseId, kind: 'appointment', data: { date: '2026-12-02', time: '09:30', place: 'Bobigny' }, updatedAt: 3 });
        const fresh = await reopen();
        expect((await fresh.reminders.getDate(caseId, 'permit-expiry'))?.data).toEqual({ date: '2027-04-30', anef: 'no' });
        expect((await fresh.reminders.listDates(caseId)).map((d) => d.kind)).toEqual(['appointment', 'permit-expiry']);
        expect(await fresh.reminders.removeDate(caseId, 'appointment')).toBe(true);
        expect(await fresh.reminders.removeDate(caseId, 'appointment')).toBe(false);
        expect(await fresh.reminders.getDate(caseId, 'appointment')).toBeUndefined();
      });

      it('claims each due reminder once, across two concurrent claimers', async () => {
        const { caseId, personId } = await aCase('d2');
        await store.reminders.replaceNudges(caseId, 'permit-expiry', Array.from({ length: 30 }, (_, i) => nudge(caseId, personId, `n${i}`, 100 + i)));
        const other = await reopen();
        const [a, b] = await Promise.all([store.reminders.claimDue(1000, 5000, 20, 'a'), other.reminders.claimDue(1000, 5000, 20, 'b')]);
        const ids = [...a, ...b].map((n) => n.id);
        expect(ids).toHaveLength(30);
        expect(new Set(ids).size).toBe(30);
        expect(a.every((n) => n.status === 'claimed' && n.attempts === 1)).toBe(true);
      });

      it('claims only reminders to the channels a claimer names, and leaves the others due', async () => {
        const { caseId, personId } = await aCase('d-channels');
        await store.reminders.replaceNudges(caseId, 'permit-expiry', [
          nudge(caseId, personId, 'to-telegram', 100),
          { ...nudge(caseId, personId, 'to-whatsapp', 101), channel: 'whatsapp', address: '33612345678@s.whatsapp.net' },
          { ...nudge(caseId, personId, 'to-terminal', 102), channel: 'terminal', address: 'sam' },
        ]);
        const withoutWhatsApp = await store.reminders.claimDue(1000, 5000, 10, 'web', ['telegram', 'terminal']);
        expect(withoutWhatsApp.map((n) => n.id).sort()).toEqual(['to-telegram', 'to-terminal']);
        expect(await store.reminders.claimDue(1000, 5000, 10, 'web', ['telegram'])).toEqual([]);
        const whatsapp = await (await reopen()).reminders.claimDue(1000, 5000, 10, 'wa', ['whatsapp']);
        expect(whatsapp.map((n) => [n.id, n.attempts])).toEqual([['to-whatsapp', 1]]);
      });

      it('claims nothing before it is due, and a crashed claimer’s reminder again once its lease expires', async () => {
        const { caseId, personId } = await aCase('d3');
        await store.reminders.replaceNudges(caseId, 'permit-expiry', [nudge(caseId, personId, 'later', 500)]);
        expect(await store.reminders.claimDue(499, 1000, 10, 'a')).toEqual([]);
        expect(await store.reminders.claimDue(500, 1000, 10, 'a')).toHaveLength(1);
        expect(await store.reminders.claimDue(900, 1900, 10, 'b')).toEqual([]);
        const again = await store.reminders.claimDue(1001, 2000, 10, 'b');
        expect(again.map((n) => [n.id, n.attempts])).toEqual([['later', 2]]);
        await store.reminders.finish('later', 'sent');
        expect(await store.reminders.claimDue(5000, 6000, 10, 'c')).toEqual([]);
      });

      it('never retakes a reminder handed to the channel, even when its lease runs out or the plan is replaced', async () => {
        const { caseId, personId } = await aCase('d6');
        await store.reminders.replaceNudges(caseId, 'permit-expiry', [nudge(caseId, personId, 'held', 10), nudge(caseId, personId, 'taken', 10)]);
        const claimed = await store.reminders.claimDue(10, 100, 10, 'a');
        expect(claimed.map((n) => n.id).sort()).toEqual(['held', 'taken']);
        // "held" goes to the channel, then the claimer crashes; "taken" was only claimed.
        expect(await store.reminders.markSending('held', 'a')).toBe(true);
        const later = await store.reminders.claimDue(500, 600, 10, 'b');
        expect(later.map((n) => n.id)).toEqual(['taken']);
        // The first claimer lost "taken" to "b": it may not send it any more.
        expect(await store.reminders.markSending('taken', 'a')).toBe(false);
        expect(await store.reminders.markSending('taken', 'b')).toBe(true);
        // Planning the same date again recreates neither.
        await store.reminders.replaceNudges(caseId, 'permit-expiry', [nudge(caseId, personId, 'held', 10), nudge(caseId, personId, 'taken', 10)]);
        expect(await (await reopen()).reminders.claimDue(5000, 6000, 10, 'c')).toEqual([]);
      });

      it('hands a reminder to the channel again on its retry, once the channel refused it', async () => {
        const { caseId, personId } = await aCase('d-retry');
        await store.reminders.replaceNudges(caseId, 'permit-expiry', [nudge(caseId, personId, 'refused', 10)]);
        await store.reminders.claimDue(10, 100, 1, 'x');
        expect(await store.reminders.markSending('refused', 'x')).toBe(true);
        // The channel threw: not delivered.
        await store.reminders.retry('refused', 200);
        const other = await reopen();
        const [again] = await other.reminders.claimDue(200, 300, 1, 'y');
        expect(again?.attempts).toBe(2);
        expect(await other.reminders.markSending('refused', 'y')).toBe(true);
        await other.reminders.finish('refused', 'sent');
        expect(await store.reminders.claimDue(10_000, 20_000, 5, 'z')).toEqual([]);
      });

      it('keeps a leased reminder to its claimer after old claim records are pruned', async () => {
        const { caseId, personId } = await aCase('d-prune-claims');
        await store.reminders.replaceNudges(caseId, 'permit-expiry', [nudge(caseId, personId, 'leased', 10), nudge(caseId, personId, 'done', 10)]);
        expect(await store.reminders.claimDue(10, 5000, 5, 'a')).toHaveLength(2);
        await store.reminders.finish('done', 'sent');
        await store.reminders.pruneClaims(6000);
        // Still within its lease: nobody else takes it; the claimer can still send it.
        expect(await (await reopen()).reminders.claimDue(4000, 9000, 5, 'b')).toEqual([]);
        expect(await store.reminders.markSending('leased', 'a')).toBe(true);
        // Once the lease has run out, it is taken once, by one claimer.
        await store.reminders.retry('leased', 7000);
        const [b, c] = await Promise.all([store.reminders.claimDue(7000, 9000, 5, 'b'), (await reopen()).reminders.claimDue(7000, 9000, 5, 'c')]);
        expect([...b, ...c].map((n) => n.id)).toEqual(['leased']);
      });

      it('puts a failed send back for later, and keeps sent reminders when the plan is replaced', async () => {
        const { caseId, personId } = await aCase('d4');
        await store.reminders.replaceNudges(caseId, 'permit-expiry', [nudge(caseId, personId, 'a', 10), nudge(caseId, personId, 'b', 20)]);
        const [first] = await store.reminders.claimDue(15, 100, 1, 'x');
        await store.reminders.finish(first!.id, 'sent');
        const [second] = await store.reminders.claimDue(25, 100, 1, 'x');
        await store.reminders.retry(second!.id, 60);
        expect(await store.reminders.claimDue(50, 100, 5, 'x')).toEqual([]);
        expect((await store.reminders.nextPending(caseId))?.id).toBe('b');
        // A new plan for the same date: "a" was sent and is not planned again; "b" is replaced.
        await store.reminders.replaceNudges(caseId, 'permit-expiry', [nudge(caseId, personId, 'a', 10), nudge(caseId, personId, 'c', 70)]);
        const due = await store.reminders.claimDue(100, 200, 10, 'x');
        expect(due.map((n) => n.id)).toEqual(['c']);
      });

      it('remembers a pause per person, and erases dates and reminders with the person', async () => {
        const { caseId, personId } = await aCase('d5');
        expect(await store.reminders.isPaused(personId)).toBe(false);
        await store.reminders.setPaused(personId, true);
        expect(await (await reopen()).reminders.isPaused(personId)).toBe(true);
        await store.reminders.setDate({ caseId, kind: 'letter-posted', data: { date: '2026-11-01' }, updatedAt: 1 });
        await store.reminders.replaceNudges(caseId, 'letter-posted', [nudge(caseId, personId, 'z', 10)]);
        await store.people.delete(personId);
        expect(await store.reminders.listDates(caseId)).toEqual([]);
        expect(await store.reminders.claimDue(100, 200, 10, 'x')).toEqual([]);
      });
    });

    describe('addresses and the active case', () => {
      it('sends proactive messages to the reachable identity written from last', async () => {
        const id = await store.people.resolveIdentity('telegram', 'pa-t', 10);
        const telegram = { channel: 'telegram', address: 'pa-t' };
        const whatsapp = { channel: 'whatsapp', address: 'pa-w@s.whatsapp.net' };
        expect(await store.people.preferredAddress(id)).toEqual(telegram);
        await factory.addIdentity(id, 'whatsapp', 'pa-w@s.whatsapp.net');
        // Never written from: the one they wrote from stays preferred.
        expect(await store.people.preferredAddress(id)).toEqual(telegram);
        await store.people.markReachable('whatsapp', 'pa-w@s.whatsapp.net', 20);
        expect(await (await reopen()).people.preferredAddress(id)).toEqual(whatsapp);
        await store.people.markReachable('telegram', 'pa-t', 30);
        expect(await store.people.preferredAddress(id)).toEqual(telegram);
        // A message handled late does not move last-seen back.
        await store.people.markReachable('whatsapp', 'pa-w@s.whatsapp.net', 25);
        expect(await store.people.preferredAddress(id)).toEqual(telegram);
        await store.people.markUnreachable('telegram', 'pa-t', 31);
        expect(await store.people.preferredAddress(id)).toEqual(whatsapp);
        await store.people.markUnreachable('whatsapp', 'pa-w@s.whatsapp.net', 32);
        expect(await store.people.preferredAddress(id)).toBeUndefined();
        await store.people.markReachable('whatsapp', 'pa-w@s.whatsapp.net', 40);
        expect(await store.people.isReachable('whatsapp', 'pa-w@s.whatsapp.net')).toBe(true);
        expect(await store.people.preferredAddress(id)).toEqual(whatsapp);
        const identities = await (await reopen()).people.identities(id);
        expect(identities.sort((a, b) => a.channel.localeCompare(b.channel))).toEqual([telegram, whatsapp]);
        expect(await store.people.preferredAddress('no-such-person')).toBeUndefined();
        expect(await store.people.identities('no-such-person')).toEqual([]);
      });

      it('knows when a person last wrote, from any identity', async () => {
        const id = await store.people.resolveIdentity('telegram', 'ls-t', 10);
        expect(await store.people.lastSeenAt(id)).toBe(10);
        await factory.addIdentity(id, 'whatsapp', 'ls-w');
        expect(await store.people.lastSeenAt(id)).toBe(10);
        await store.people.markReachable('whatsapp', 'ls-w', 20);
        await store.people.markReachable('telegram', 'ls-t', 15);
        expect(await (await reopen()).people.lastSeenAt(id)).toBe(20);
        // Blocking the bot is not writing.
        await store.people.markUnreachable('whatsapp', 'ls-w', 30);
        expect(await store.people.lastSeenAt(id)).toBe(20);
        expect(await store.people.lastSeenAt('no-such-person')).toBeNull();
      });

      it('keeps the case a person works on, none by default', async () => {
        const id = await store.people.resolveIdentity('telegram', 'ac', 1);
        const mum = await store.cases.createOnBehalfCase(id, 'Mum', 2);
        expect(await store.people.activeCase(id)).toBeNull();
        await store.people.setActiveCase(id, mum);
        expect(await (await reopen()).people.activeCase(id)).toBe(mum);
        await store.people.setActiveCase(id, null);
        expect(await store.people.activeCase(id)).toBeNull();
        await store.people.setActiveCase(id, 'no-such-case');
        expect(await store.people.activeCase(id)).toBeNull();
        expect(await store.people.activeCase('no-such-person')).toBeNull();
      });
    });

    describe('cases held on behalf, helpers and activity', () => {
      const person = (name: string) => store.people.resolveIdentity('telegram', name, 1);

      it('keeps one own case per person even when created at once, and on-behalf cases apart', async () => {
        const owner = await person('ob-owner');
        const mum = await store.cases.createOnBehalfCase(owner, 'Mum', 1);
        const other = await reopen();
        const own = await Promise.all([
          store.cases.ensureOwnCase(owner, 2),
          other.cases.ensureOwnCase(owner, 2),
          store.cases.ensureOwnCase(owner, 2),
          other.cases.ensureOwnCase(owner, 2),
        ]);
        expect(new Set(own).size).toBe(1);
        const dad = await store.cases.createOnBehalfCase(owner, 'Dad', 3);
        expect(new Set([own[0], mum, dad]).size).toBe(3);
        expect(await store.cases.ensureOwnCase(owner, 4)).toBe(own[0]);
        expect(await store.cases.ownerOf(mum)).toBe(owner);
        expect(await store.cases.ownerOf(own[0]!)).toBe(owner);
        expect(await store.cases.ownerOf('no-such-case')).toBeUndefined();
        expect((await store.cases.listForPerson(owner)).map((c) => c.id)).toEqual([own[0], mum, dad]);
      });

      it('lists a person’s cases: their own, then every other in the order they got it, so a new one goes last', async () => {
        const helper = await person('lf-helper');
        const friend = await person('lf-friend');
        const friend2 = await person('lf-friend2');
        const friend2Case = await store.cases.ensureOwnCase(friend2, 3);
        const friendCase = await store.cases.ensureOwnCase(friend, 4);
        const mum = await store.cases.createOnBehalfCase(helper, 'Mum', 5);
        const own = await store.cases.ensureOwnCase(helper, 6);
        const dad = await store.cases.createOnBehalfCase(helper, 'Dad', 7);
        expect(await store.cases.addHelper(friendCase, { personId: helper, name: 'Sam', label: 'Fatou' }, 8)).toBe(true);
        expect(await store.cases.addHelper(friend2Case, { personId: helper, name: 'Sam', label: 'Ali' }, 9)).toBe(true);
        const fresh = await reopen();
        expect(await fresh.cases.listForPerson(helper)).toEqual([
          { id: own, role: 'owner', own: true, onBehalf: false, label: null, createdAt: 6 },
          { id: mum, role: 'owner', own: false, onBehalf: true, label: 'Mum', createdAt: 5 },
          { id: dad, role: 'owner', own: false, onBehalf: true, label: 'Dad', createdAt: 7 },
          { id: friendCase, role: 'helper', own: false, onBehalf: false, label: 'Fatou', createdAt: 4 },
          { id: friend2Case, role: 'helper', own: false, onBehalf: false, label: 'Ali', createdAt: 3 },
        ]);
        expect(await fresh.cases.listForPerson(friend)).toEqual([{ id: friendCase, role: 'owner', own: true, onBehalf: false, label: null, createdAt: 4 }]);
        // Helping with a case someone holds on another's behalf.
        const holder = await person('lf-holder');
        const grandma = await store.cases.createOnBehalfCase(holder, 'Grandma', 10);
        await store.cases.addHelper(grandma, { personId: friend, name: 'Fa', label: 'Granny' }, 11);
        expect((await store.cases.listForPerson(friend))[1]).toEqual({ id: grandma, role: 'helper', own: false, onBehalf: true, label: 'Granny', createdAt: 10 });
        expect(await store.cases.listForPerson('no-such-person')).toEqual([]);
      });

      it('answers the role of the owner, a helper, a stranger, and none for an unknown case', async () => {
        const owner = await person('r-owner');
        const helper = await person('r-helper');
        const stranger = await person('r-stranger');
        const caseId = await store.cases.ensureOwnCase(owner, 1);
        await store.cases.addHelper(caseId, { personId: helper, name: 'H', label: 'O' }, 2);
        const fresh = await reopen();
        expect(await fresh.cases.role(caseId, owner)).toBe('owner');
        expect(await fresh.cases.role(caseId, helper)).toBe('helper');
        expect(await fresh.cases.role(caseId, stranger)).toBeUndefined();
        expect(await fresh.cases.role('no-such-case', owner)).toBeUndefined();
        expect(await fresh.cases.role(await store.cases.createOnBehalfCase(owner, 'Mum', 3), helper)).toBeUndefined();
        // The owner is linked already; a case that does not exist takes no helper.
        expect(await store.cases.addHelper(caseId, { personId: owner, name: 'O', label: 'Me' }, 4)).toBe(false);
        expect(await store.cases.addHelper('no-such-case', { personId: helper, name: 'H', label: 'X' }, 4)).toBe(false);
        expect(await store.cases.role(caseId, owner)).toBe('owner');
      });

      it('links a helper once, lists helpers oldest first, and unlinks them at once with their pending reminders', async () => {
        const owner = await person('h-owner');
        const ali = await person('h-ali');
        const bea = await person('h-bea');
        const caseId = await store.cases.ensureOwnCase(owner, 1);
        expect(await store.cases.addHelper(caseId, { personId: bea, name: 'Bea', label: 'Mum' }, 20)).toBe(true);
        expect(await store.cases.addHelper(caseId, { personId: ali, name: 'Ali', label: 'Mum' }, 10)).toBe(true);
        expect(await store.cases.addHelper(caseId, { personId: ali, name: 'Ali again', label: 'Mother' }, 30)).toBe(false);
        expect(await (await reopen()).cases.helpers(caseId)).toEqual([
          { personId: ali, name: 'Ali', addedAt: 10 },
          { personId: bea, name: 'Bea', addedAt: 20 },
        ]);
        await store.reminders.replaceNudges(caseId, 'permit-expiry', [
          nudgeOf(caseId, ali, 'ali-sent', 50),
          nudgeOf(caseId, owner, 'owner-later', 100),
          nudgeOf(caseId, ali, 'ali-later', 200),
          nudgeOf(caseId, bea, 'bea-later', 300),
        ]);
        const [sent] = await store.reminders.claimDue(60, 70, 1, 'x');
        expect(sent?.id).toBe('ali-sent');
        await store.reminders.finish('ali-sent', 'sent');
        await store.people.setActiveCase(ali, caseId);

        expect(await store.cases.removeHelper(caseId, ali)).toBe(true);
        expect(await store.cases.removeHelper(caseId, ali)).toBe(false);
        expect(await store.cases.removeHelper(caseId, owner)).toBe(false);
        const fresh = await reopen();
        expect(await fresh.cases.role(caseId, ali)).toBeUndefined();
        expect(await fresh.cases.role(caseId, owner)).toBe('owner');
        expect(await fresh.cases.helpers(caseId)).toEqual([{ personId: bea, name: 'Bea', addedAt: 20 }]);
        expect(await fresh.people.activeCase(ali)).toBeNull();
        expect(await fresh.cases.listForPerson(ali)).toEqual([]);
        const due = await fresh.reminders.claimDue(1000, 2000, 10, 'y');
        expect(due.map((n) => n.id).sort()).toEqual(['bea-later', 'owner-later']);
      });

      it('logs what people did in a case, newest first, at most the limit asked', async () => {
        const owner = await person('a-owner');
        const helper = await person('a-helper');
        const caseId = await store.cases.ensureOwnCase(owner, 1);
        const other = await store.cases.createOnBehalfCase(owner, 'Mum', 1);
        await store.cases.logActivity({ caseId, personId: helper, action: 'joined', at: 10 });
        await store.cases.logActivity({ caseId, personId: owner, action: 'date', at: 30 });
        await store.cases.logActivity({ caseId, personId: helper, action: 'proof', at: 20 });
        await store.cases.logActivity({ caseId, personId: owner, action: 'call-log', at: 40 });
        await store.cases.logActivity({ caseId: other, personId: owner, action: 'route', at: 50 });
        const fresh = await reopen();
        expect(await fresh.cases.listActivity(caseId, 3)).toEqual([
          { caseId, personId: owner, action: 'call-log', at: 40 },
          { caseId, personId: owner, action: 'date', at: 30 },
          { caseId, personId: helper, action: 'proof', at: 20 },
        ]);
        expect(await fresh.cases.listActivity(caseId, 10)).toHaveLength(4);
        expect(await fresh.cases.listActivity(caseId, 0)).toEqual([]);
        expect(await fresh.cases.listActivity('no-such-case', 10)).toEqual([]);
      });

      it('finds cases untouched since a time, oldest first; touching one withdraws its purge notice', async () => {
        const p1 = await person('i-one');
        const p2 = await person('i-two');
        const a = await store.cases.ensureOwnCase(p1, 100);
        const b = await store.cases.ensureOwnCase(p2, 200);
        const c = await store.cases.createOnBehalfCase(p1, 'Mum', 300);
        expect(await store.cases.listInactive(250, 10)).toEqual([
          { id: a, ownerId: p1, lastActiveAt: 100, purgeNoticeAt: null },
          { id: b, ownerId: p2, lastActiveAt: 200, purgeNoticeAt: null },
        ]);
        expect((await store.cases.listInactive(250, 1)).map((x) => x.id)).toEqual([a]);
        await store.cases.markPurgeNotice(a, 400);
        expect((await (await reopen()).cases.listInactive(250, 10))[0]).toEqual({ id: a, ownerId: p1, lastActiveAt: 100, purgeNoticeAt: 400 });
        await store.cases.touch(a, 500);
        expect((await store.cases.listInactive(250, 10)).map((x) => x.id)).toEqual([b]);
        expect(await store.cases.listInactive(600, 10)).toEqual([
          { id: b, ownerId: p2, lastActiveAt: 200, purgeNoticeAt: null },
          { id: c, ownerId: p1, lastActiveAt: 300, purgeNoticeAt: null },
          { id: a, ownerId: p1, lastActiveAt: 500, purgeNoticeAt: null },
        ]);
      });

      it('erases a case with everything in it, and clears pointers to it', async () => {
        const owner = await person('dc-owner');
        const helper = await person('dc-helper');
        const caseId = await store.cases.ensureOwnCase(owner, 1);
        const keep = await store.cases.createOnBehalfCase(owner, 'Mum', 1);
        const sealed = randomBlob(64);
        await store.cases.addRecord({ id: 'dc-record', caseId, kind: 'call-log', data: { n: 1 }, createdAt: 1 });
        await store.cases.addRecord({ id: 'dc-kept-record', caseId: keep, kind: 'call-log', data: { n: 2 }, createdAt: 1 });
        await store.reminders.setDate({ caseId, kind: 'permit-expiry', data: { date: '2027-01-01' }, updatedAt: 1 });
        await store.reminders.replaceNudges(caseId, 'permit-expiry', [nudgeOf(caseId, owner, 'dc-nudge', 100)]);
        await store.vault.put(vaultItem('dc-item', caseId, helper), sealed);
        await store.vault.put(vaultItem('dc-kept-item', keep, owner), randomBlob(16));
        await store.cases.addHelper(caseId, { personId: helper, name: 'H', label: 'O' }, 2);
        await store.cases.logActivity({ caseId, personId: helper, action: 'proof', at: 3 });
        await store.people.setActiveCase(helper, caseId);
        await store.people.setActiveCase(owner, caseId);

        expect(await store.cases.deleteCase(caseId)).toBe(true);
        expect(await store.cases.deleteCase(caseId)).toBe(false);

        const fresh = await reopen();
        expect(await fresh.cases.ownerOf(caseId)).toBeUndefined();
        expect(await fresh.cases.role(caseId, owner)).toBeUndefined();
        expect(await fresh.cases.listRecords(caseId, 'call-log')).toEqual([]);
        expect(await fresh.reminders.listDates(caseId)).toEqual([]);
        expect(await fresh.reminders.nextPending(caseId)).toBeUndefined();
        expect(await fresh.reminders.claimDue(1000, 2000, 10, 'x')).toEqual([]);
        expect(await fresh.vault.get('dc-item')).toBeUndefined();
        expect(await fresh.vault.readSealed('dc-item')).toBeUndefined();
        expect(await fresh.vault.list(caseId)).toEqual([]);
        expect(await fresh.cases.helpers(caseId)).toEqual([]);
        expect(await fresh.cases.listActivity(caseId, 10)).toEqual([]);
        expect(await fresh.people.activeCase(helper)).toBeNull();
        expect(await fresh.people.activeCase(owner)).toBeNull();
        expect(await fresh.cases.listForPerson(helper)).toEqual([]);
        expect((await fresh.cases.listForPerson(owner)).map((c) => c.id)).toEqual([keep]);
        expect(await fresh.cases.listRecords(keep, 'call-log')).toHaveLength(1);
        expect(await fresh.vault.list(keep)).toHaveLength(1);
        const dump = await factory.dump();
        expect(dump).toContain(keep);
        expect(dump).not.toContain(caseId);
        expect(dump).not.toContain('dc-item');
        expect(dump).not.toContain(hex(sealed));
      });
    });

    describe('erasing a person', () => {
      it('leaves nothing of them anywhere, and unlinks them from other people’s cases', async () => {
        const ADDRESS = 'erase-me-4711';
        const gone = await store.people.resolveIdentity('telegram', ADDRESS, 1);
        const other = await store.people.resolveIdentity('whatsapp', 'keep-me-0815', 1);
        const theirHelper = await store.people.resolveIdentity('terminal', 'their-helper', 1);
        await store.people.setLanguage(gone, 'fr');
        await store.conversations.save(gone, state('x'), 0, 1);
        await store.conversations.save(other, state('y'), 0, 1);
        await store.reminders.setPaused(gone, true);
        // Their own case and one held on someone's behalf, with everything a case can hold.
        const own = await store.cases.ensureOwnCase(gone, 2);
        const behalf = await store.cases.createOnBehalfCase(gone, 'Mum', 2);
        await store.cases.addRecord({ id: 'gone-record', caseId: own, kind: 'call-log', data: { n: 1 }, createdAt: 2 });
        await store.cases.addRecord({ id: 'gone-behalf-record', caseId: behalf, kind: 'letter-posted', data: {}, createdAt: 2 });
        await store.reminders.setDate({ caseId: own, kind: 'permit-expiry', data: { date: '2027-01-01' }, updatedAt: 2 });
        await store.reminders.replaceNudges(own, 'permit-expiry', [nudgeOf(own, gone, 'gone-nudge', 100, 'permit-expiry', ADDRESS)]);
        await store.vault.put(vaultItem('gone-item', own, gone), randomBlob(64));
        await store.cases.addHelper(own, { personId: theirHelper, name: 'Pat', label: 'Friend' }, 3);
        await store.cases.logActivity({ caseId: own, personId: theirHelper, action: 'proof', at: 3 });
        await store.people.setActiveCase(theirHelper, own);
        await store.links.create({ id: 'gone-code', codeHash: 'gone-hash', helperId: gone, helperName: 'G', label: 'Mum', helperChannel: 'telegram', helperHint: '@g', createdAt: 3, expiresAt: 1000 });
        // Wrong tries are counted per sending identity: erasing one's data does not reset them.
        await store.links.recordFailure('who-of-the-gone-sender', 3, 0);
        // They help another person's case.
        const theirs = await store.cases.ensureOwnCase(other, 2);
        await store.cases.addHelper(theirs, { personId: gone, name: 'Gone', label: 'Neighbour' }, 4);
        await store.people.setActiveCase(gone, theirs);
        await store.cases.logActivity({ caseId: theirs, personId: gone, action: 'document', at: 5 });
        await store.cases.logActivity({ caseId: theirs, personId: other, action: 'date', at: 6 });
        const sentByGone = randomBlob(2048);
        await store.vault.put(vaultItem('sent-by-gone', theirs, gone), sentByGone);
        await store.reminders.replaceNudges(theirs, 'appointment', [
          nudgeOf(theirs, gone, 'for-gone', 100, 'appointment', ADDRESS),
          nudgeOf(theirs, other, 'for-other', 100, 'appointment', 'keep-me-0815'),
        ]);
        // A handoff in their own case, and one they opened as a helper in the other person's.
        await store.handoffs.open({ id: 'gone-handoff', caseId: own, personId: gone, helpdesk: 'chatwoot', pseudonym: 'Personne 1111', openedAt: 7 });
        await store.handoffs.addMessage({ id: 'gone-handoff-msg', handoffId: 'gone-handoff', at: 8, from: 'person', author: null, text: 'gone-handoff-words', vaultItemId: null, state: 'pending' });
        await store.handoffs.open({ id: 'gone-helps-handoff', caseId: theirs, personId: gone, helpdesk: 'chatwoot', pseudonym: 'Personne 2222', openedAt: 7 });
        await store.handoffs.setExternalId('gone-helps-handoff', 'cw-2222', '{"contact":"cw-contact-2222"}');
        await store.handoffs.addMessage({ id: 'gone-helps-msg', handoffId: 'gone-helps-handoff', at: 8, from: 'person', author: null, text: 'gone-helper-words', vaultItemId: null, state: 'pending' });
        const before = await factory.dump();
        expect(before).toContain(gone);
        expect(before).toContain(ADDRESS);

        expect(await store.people.delete(gone)).toBe(true);
        expect(await store.people.delete(gone)).toBe(false);

        const dump = await factory.dump();
        expect(dump).toContain(other);
        expect(dump).toContain('keep-me-0815');
        expect(dump).not.toContain(gone);
        expect(dump).not.toContain(ADDRESS);
        expect(dump).not.toContain(own);
        expect(dump).not.toContain(behalf);
        expect(dump).not.toContain('gone-handoff-words');
        expect(dump).not.toContain('gone-helper-words');
        expect(dump).not.toContain('cw-2222');
        expect(dump).not.toContain('cw-contact-2222');

        const fresh = await reopen();
        expect(await fresh.people.get(gone)).toBeUndefined();
        expect(await fresh.people.identities(gone)).toEqual([]);
        expect(await fresh.cases.listForPerson(gone)).toEqual([]);
        expect(await fresh.cases.ownerOf(own)).toBeUndefined();
        expect(await fresh.cases.ownerOf(behalf)).toBeUndefined();
        expect(await fresh.people.activeCase(theirHelper)).toBeNull();
        expect(await fresh.cases.listForPerson(theirHelper)).toEqual([]);
        expect(await fresh.links.get('gone-code')).toBeUndefined();
        expect(await fresh.handoffs.get('gone-handoff')).toBeUndefined();
        expect(await fresh.handoffs.listForCase(theirs)).toEqual([]);
        expect(await fresh.links.failuresSince('who-of-the-gone-sender', 0)).toBe(1);
        // What they did in the other person's case stays, without them.
        expect(await fresh.cases.helpers(theirs)).toEqual([]);
        expect(await fresh.cases.role(theirs, gone)).toBeUndefined();
        expect(await fresh.vault.get('sent-by-gone')).toEqual(vaultItem('sent-by-gone', theirs, null));
        expect(sameBytes(await fresh.vault.readSealed('sent-by-gone'), sentByGone)).toBe(true);
        expect(await fresh.cases.listActivity(theirs, 10)).toEqual([
          { caseId: theirs, personId: other, action: 'date', at: 6 },
          { caseId: theirs, personId: null, action: 'document', at: 5 },
        ]);
        expect((await fresh.reminders.claimDue(1000, 2000, 10, 'x')).map((n) => n.id)).toEqual(['for-other']);
        expect((await fresh.conversations.load(other))?.state).toEqual(state('y'));
      });
    });

    describe('handoffs to volunteers', () => {
      const handoffOf = (id: string, caseId: string, personId: string, openedAt = 10) => ({ id, caseId, personId, helpdesk: 'telegram-group' as const, pseudonym: 'Personne 4821', openedAt });
      const messageOf = (id: string, handoffId: string, at: number, from: 'person' | 'volunteer', text = 'Bonjour ع ব') => ({
        id,
        handoffId,
        at,
        from,
        author: from === 'volunteer' ? 'Claire' : null,
        text,
        vaultItemId: null,
        state: 'pending' as const,
      });

      it('opens one per case, read back through a fresh instance', async () => {
        const person = await store.people.resolveIdentity('telegram', 'h1', 1);
        const own = await store.cases.ensureOwnCase(person, 1);
        const behalf = await store.cases.createOnBehalfCase(person, 'Mum', 1);
        expect(await store.handoffs.open(handoffOf('ho-1', own, person))).toBe(true);
        expect(await store.handoffs.open(handoffOf('ho-2', own, person, 11))).toBe(false);
        expect(await store.handoffs.open(handoffOf('ho-1', behalf, person))).toBe(false);
        expect(await store.handoffs.open(handoffOf('ho-3', behalf, person, 12))).toBe(true);
        const fresh = await reopen();
        expect(await fresh.handoffs.get('ho-1')).toEqual({
          ...handoffOf('ho-1', own, person),
          externalId: null,
          externalData: null,
          status: 'open',
          closedAt: null,
          waitingSince: null,
          flaggedAt: null,
          feedback: null,
        });
        expect((await fresh.handoffs.openForCase(own))?.id).toBe('ho-1');
        expect(await fresh.handoffs.get('ho-2')).toBeUndefined();
        expect((await fresh.handoffs.listByPerson(person)).map((h) => h.id)).toEqual(['ho-1', 'ho-3']);
        expect((await fresh.handoffs.listOpen(10)).map((h) => h.id)).toEqual(['ho-1', 'ho-3']);
        expect((await fresh.handoffs.listOpen(1)).map((h) => h.id)).toEqual(['ho-1']);
      });

      it('lets one of several racing openings win', async () => {
        const person = await store.people.resolveIdentity('telegram', 'h-race', 1);
        const own = await store.cases.ensureOwnCase(person, 1);
        const other = await reopen();
        const results = await Promise.all([0, 1, 2, 3, 4].map((i) => (i % 2 ? other : store).handoffs.open(handoffOf(`race-${i}`, own, person, 20 + i))));
        expect(results.filter(Boolean)).toHaveLength(1);
        expect((await store.handoffs.listForCase(own))).toHaveLength(1);
      });

      it('takes its helpdesk id once, and is found by it', async () => {
        const person = await store.people.resolveIdentity('telegram', 'h-ext', 1);
        const own = await store.cases.ensureOwnCase(person, 1);
        const behalf = await store.cases.createOnBehalfCase(person, 'Dad', 1);
        await store.handoffs.open(handoffOf('ext-1', own, person));
        await store.handoffs.open(handoffOf('ext-2', behalf, person));
        expect((await store.handoffs.listUnmade(10)).map((h) => h.id)).toEqual(['ext-1', 'ext-2']);
        expect(await store.handoffs.setExternalId('ext-1', '77', '{"contact":5}')).toBe(true);
        expect((await store.handoffs.listUnmade(10)).map((h) => h.id)).toEqual(['ext-2']);
        expect(await store.handoffs.setExternalId('ext-1', '78', null)).toBe(false);
        expect(await store.handoffs.setExternalId('ext-2', '77', null)).toBe(false);
        expect(await store.handoffs.setExternalId('no-such-handoff', '79', null)).toBe(false);
        expect(await store.handoffs.byExternalId('telegram-group', '77')).toMatchObject({ id: 'ext-1', externalId: '77', externalData: '{"contact":5}' });
        expect(await store.handoffs.byExternalId('chatwoot', '77')).toBeUndefined();
      });

      it('closes once, reopens the same conversation, and frees the case for a new one when closed', async () => {
        const person = await store.people.resolveIdentity('telegram', 'h-close', 1);
        const own = await store.cases.ensureOwnCase(person, 1);
        await store.handoffs.open(handoffOf('cl-1', own, person));
        const other = await reopen();
        const closes = await Promise.all([store.handoffs.close('cl-1', 50), other.handoffs.close('cl-1', 50), store.handoffs.close('cl-1', 50)]);
        expect(closes.filter(Boolean)).toHaveLength(1);
        expect(await store.handoffs.close('cl-1', 51)).toBe(false);
        expect(await store.handoffs.openForCase(own)).toBeUndefined();
        expect(await store.handoffs.listOpen(10)).toEqual([]);
        await store.handoffs.setFeedback('cl-1', 'yes');
        expect(await store.handoffs.get('cl-1')).toMatchObject({ status: 'closed', closedAt: 50, feedback: 'yes' });
        expect((await store.handoffs.listClosedBefore(51, 10)).map((h) => h.id)).toEqual(['cl-1']);
        expect(await store.handoffs.listClosedBefore(50, 10)).toEqual([]);
        expect(await store.handoffs.reopen('cl-1', 60)).toBe(true);
        expect(await store.handoffs.reopen('cl-1', 61)).toBe(false);
        expect(await store.handoffs.get('cl-1')).toMatchObject({ status: 'open', closedAt: null, feedback: null, openedAt: 10 });
        expect(await store.handoffs.open(handoffOf('cl-2', own, person, 70))).toBe(false);
        // Closed again, a new one may open; the old one cannot come back while it is open.
        expect(await store.handoffs.close('cl-1', 80)).toBe(true);
        expect(await store.handoffs.open(handoffOf('cl-2', own, person, 90))).toBe(true);
        expect(await store.handoffs.reopen('cl-1', 91)).toBe(false);
        expect((await store.handoffs.latestForCase(own))?.id).toBe('cl-2');
      });

      it('records each message once, waits from the first unanswered one, and flags a wait once', async () => {
        const person = await store.people.resolveIdentity('telegram', 'h-msg', 1);
        const own = await store.cases.ensureOwnCase(person, 1);
        await store.handoffs.open(handoffOf('m-1', own, person));
        expect(await store.handoffs.addMessage(messageOf('p-1', 'm-1', 100, 'person'))).toBe(true);
        expect(await store.handoffs.addMessage(messageOf('p-1', 'm-1', 100, 'person'))).toBe(false);
        expect(await store.handoffs.addMessage(messageOf('p-x', 'no-such-handoff', 100, 'person'))).toBe(false);
        expect(await store.handoffs.addMessage(messageOf('p-2', 'm-1', 120, 'person'))).toBe(true);
        expect((await store.handoffs.get('m-1'))?.waitingSince).toBe(100);
        expect(await store.handoffs.listWaiting(100, 10)).toEqual([]);
        expect((await store.handoffs.listWaiting(101, 10)).map((h) => h.id)).toEqual(['m-1']);
        const other = await reopen();
        const flags = await Promise.all([store.handoffs.markFlagged('m-1', 130), other.handoffs.markFlagged('m-1', 130)]);
        expect(flags.filter(Boolean)).toHaveLength(1);
        expect(await store.handoffs.listWaiting(1000, 10)).toEqual([]);
        expect(await store.handoffs.addMessage(messageOf('v-1', 'm-1', 140, 'volunteer', 'Bonjour, je suis Claire'))).toBe(true);
        expect(await store.handoffs.get('m-1')).toMatchObject({ waitingSince: null, flaggedAt: null });
        expect(await store.handoffs.addMessage(messageOf('p-3', 'm-1', 150, 'person'))).toBe(true);
        expect(await store.handoffs.markFlagged('m-1', 160)).toBe(true);
        const fresh = await reopen();
        expect((await fresh.handoffs.listMessages('m-1')).map((m) => [m.id, m.from, m.author])).toEqual([
          ['p-1', 'person', null],
          ['p-2', 'person', null],
          ['v-1', 'volunteer', 'Claire'],
          ['p-3', 'person', null],
        ]);
        expect((await fresh.handoffs.listMessages('m-1'))[0]?.text).toBe('Bonjour ع ব');
      });

      it('lists what is still to deliver, each side apart', async () => {
        const person = await store.people.resolveIdentity('telegram', 'h-pend', 1);
        const own = await store.cases.ensureOwnCase(person, 1);
        await store.handoffs.open(handoffOf('d-1', own, person));
        await store.handoffs.addMessage(messageOf('dp-1', 'd-1', 100, 'person'));
        await store.handoffs.addMessage(messageOf('dp-2', 'd-1', 101, 'person'));
        await store.handoffs.addMessage(messageOf('dv-1', 'd-1', 102, 'volunteer'));
        await store.handoffs.setMessageState('dp-1', 'delivered');
        expect((await store.handoffs.listPending('person', 10)).map((m) => m.id)).toEqual(['dp-2']);
        expect((await store.handoffs.listPending('volunteer', 10)).map((m) => m.id)).toEqual(['dv-1']);
        await store.handoffs.setMessageState('dv-1', 'failed');
        expect(await store.handoffs.listPending('volunteer', 10)).toEqual([]);
      });

      it('queues an erasure at the helpdesk once, and keeps it after the person is erased', async () => {
        const person = await store.people.resolveIdentity('telegram', 'h-erase', 1);
        const erasure = { id: 'er-1', helpdesk: 'chatwoot' as const, externalId: '77', externalData: '{"contactId":5,"sourceId":"s"}', queuedAt: 10 };
        await store.handoffs.queueErasure(erasure);
        await store.handoffs.queueErasure({ ...erasure, queuedAt: 11 });
        await store.handoffs.queueErasure({ ...erasure, id: 'er-2', externalId: '78', queuedAt: 5 });
        await store.people.delete(person);
        const fresh = await reopen();
        expect(await fresh.handoffs.listErasures(10)).toEqual([{ ...erasure, id: 'er-2', externalId: '78', queuedAt: 5 }, erasure]);
        expect(await fresh.handoffs.listErasures(1)).toHaveLength(1);
        await fresh.handoffs.erasureDone('er-2');
        await fresh.handoffs.erasureDone('no-such-erasure');
        expect((await fresh.handoffs.listErasures(10)).map((e) => e.id)).toEqual(['er-1']);
      });

      it('deletes one with its messages and leaves the others', async () => {
        const person = await store.people.resolveIdentity('telegram', 'h-del', 1);
        const own = await store.cases.ensureOwnCase(person, 1);
        const behalf = await store.cases.createOnBehalfCase(person, 'Mum', 1);
        await store.handoffs.open(handoffOf('del-1', own, person));
        await store.handoffs.open(handoffOf('del-2', behalf, person));
        await store.handoffs.setExternalId('del-1', '501', null);
        await store.handoffs.addMessage(messageOf('del-m', 'del-1', 100, 'person', 'secret-del-text'));
        await store.handoffs.addMessage(messageOf('keep-m', 'del-2', 100, 'person'));
        expect(await store.handoffs.delete('del-1')).toBe(true);
        expect(await store.handoffs.delete('del-1')).toBe(false);
        expect(await store.handoffs.get('del-1')).toBeUndefined();
        expect(await store.handoffs.listMessages('del-1')).toEqual([]);
        expect(await store.handoffs.byExternalId('telegram-group', '501')).toBeUndefined();
        expect(await factory.dump()).not.toContain('secret-del-text');
        expect((await store.handoffs.listMessages('del-2')).map((m) => m.id)).toEqual(['keep-m']);
        // The case is free again.
        expect(await store.handoffs.open(handoffOf('del-3', own, person, 20))).toBe(true);
      });
    });

    describe('link codes', () => {
      it('creates a code, finds it while live, and lets it be consumed once', async () => {
        const helper = await store.people.resolveIdentity('telegram', 'l-helper', 1);
        const code = { id: 'c1', codeHash: 'hash-1', helperId: helper, helperName: 'Sam', label: 'Mum', helperChannel: 'whatsapp' as const, helperHint: '…78', createdAt: 100, expiresAt: 200 };
        expect(await store.links.create(code)).toBe(true);
        // The same hash while the first is live: the caller draws another.
        expect(await store.links.create({ ...code, id: 'c2', createdAt: 150, expiresAt: 250 })).toBe(false);
        expect(await store.links.get('c2')).toBeUndefined();
        expect(await store.links.findLive('hash-1', 150)).toEqual({ ...code, usedAt: null });
        expect(await (await reopen()).links.get('c1')).toEqual({ ...code, usedAt: null });
        expect(await store.links.findLive('hash-1', 200)).toBeUndefined();
        expect(await store.links.findLive('hash-other', 150)).toBeUndefined();
        expect(await store.links.consume('c1', 200)).toBe(false);
        // Once expired, the hash may be drawn again.
        expect(await store.links.create({ ...code, id: 'c3', createdAt: 200, expiresAt: 300 })).toBe(true);
        const other = await reopen();
        const times = [210, 210, 211];
        const results = await Promise.all([store.links.consume('c3', 210), other.links.consume('c3', 210), store.links.consume('c3', 211)]);
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await store.links.consume('c3', 220)).toBe(false);
        // Which racer wins is the server's choice; the code carries the winner's time.
        expect((await store.links.get('c3'))?.usedAt).toBe(times[results.indexOf(true)]);
        expect(await store.links.findLive('hash-1', 220)).toBeUndefined();
        // Once used, too.
        expect(await store.links.create({ ...code, id: 'c4', createdAt: 230, expiresAt: 330 })).toBe(true);
        expect((await store.links.findLive('hash-1', 240))?.id).toBe('c4');
        expect(await store.links.consume('c4', 330)).toBe(false);
        expect(await store.links.consume('no-such-code', 1)).toBe(false);
        expect(await store.links.get('no-such-code')).toBeUndefined();
      });

      it('counts wrong codes within a window, and prunes used and expired codes and old failures', async () => {
        const p = 'who-l-typist';
        const q = await store.people.resolveIdentity('telegram', 'l-other', 1);
        expect(await store.links.recordFailure(p, 100, 0)).toBe(1);
        expect(await store.links.recordFailure(p, 200, 0)).toBe(2);
        expect(await store.links.recordFailure(p, 300, 150)).toBe(2);
        expect(await store.links.failuresSince(p, 250)).toBe(1);
        expect(await store.links.failuresSince(p, 300)).toBe(1);
        expect(await store.links.failuresSince('who-l-other', 0)).toBe(0);
        await store.links.recordFailure('who-l-other', 260, 0);
        // Everyone's wrong codes together, for the limit on the whole code space.
        expect(await store.links.allFailuresSince(0)).toBeGreaterThanOrEqual(4);
        expect(await store.links.allFailuresSince(250)).toBe((await store.links.failuresSince(p, 250)) + 1);
        const base = { helperId: q, helperName: 'Q', label: 'Mum', helperChannel: 'telegram' as const, helperHint: null, createdAt: 100 };
        await store.links.create({ ...base, id: 'expired', codeHash: 'h-expired', expiresAt: 150 });
        await store.links.create({ ...base, id: 'used', codeHash: 'h-used', expiresAt: 1000 });
        await store.links.create({ ...base, id: 'live', codeHash: 'h-live', expiresAt: 1000 });
        expect(await store.links.consume('used', 120)).toBe(true);
        // What one helper holds and has made: live ones, and every one since a time.
        expect(await store.links.liveCount(q, 140)).toBe(2);
        expect(await store.links.liveCount(q, 160)).toBe(1);
        expect(await store.links.createdSince(q, 100)).toBe(3);
        expect(await store.links.createdSince(q, 101)).toBe(0);
        expect(await store.links.liveCount('nobody', 0)).toBe(0);
        // Two codes and the try at 100 (tries of other tests in this store may go too).
        expect(await store.links.prune(160)).toBeGreaterThanOrEqual(3);
        const fresh = await reopen();
        expect(await fresh.links.get('expired')).toBeUndefined();
        expect(await fresh.links.get('used')).toBeUndefined();
        expect((await fresh.links.get('live'))?.id).toBe('live');
        expect(await fresh.links.failuresSince(p, 0)).toBe(2);
        expect(await fresh.links.prune(160)).toBe(0);
      });
    });

    describe('vault', () => {
      async function aCase(name: string) {
        const personId = await store.people.resolveIdentity('telegram', name, 1);
        return { personId, caseId: await store.cases.ensureOwnCase(personId, 1) };
      }

      it('counts what one person sent since a time, in every case, for the daily quota', async () => {
        const { personId, caseId } = await aCase('v-quota');
        const other = await store.cases.createOnBehalfCase(personId, 'Mum', 1);
        await store.vault.put(vaultItem('q1', caseId, personId, { size: 100, receivedAt: 10 }), randomBlob(16));
        await store.vault.put(vaultItem('q2', other, personId, { size: 250, receivedAt: 20 }), randomBlob(16));
        await store.vault.put(vaultItem('q3', other, 'someone-else', { size: 999, receivedAt: 20 }), randomBlob(16));
        expect(await store.vault.sentSince(personId, 0)).toEqual({ files: 2, bytes: 350 });
        expect(await (await reopen()).vault.sentSince(personId, 15)).toEqual({ files: 1, bytes: 250 });
        expect(await store.vault.sentSince('nobody', 0)).toEqual({ files: 0, bytes: 0 });
      });

      it('keeps sealed bytes exactly, stores an item once, and reads it back through a fresh instance', async () => {
        const { personId, caseId } = await aCase('v-one');
        const sealed = randomBlob(200 * 1024);
        const item = vaultItem('v1', caseId, personId, { mimeType: 'application/pdf', size: 190_000, sha256: 'cd'.repeat(32), receivedAt: 10, channel: 'whatsapp' });
        expect(await store.vault.put(item, sealed)).toBe(true);
        expect(await store.vault.put({ ...item, receivedAt: 99 }, randomBlob(10))).toBe(false);
        const fresh = await reopen();
        expect(await fresh.vault.get('v1')).toEqual(item);
        expect(await fresh.vault.list(caseId)).toEqual([item]);
        const back = await fresh.vault.readSealed('v1');
        expect(back).toBeInstanceOf(Uint8Array);
        expect(sameBytes(back, sealed)).toBe(true);
        expect(await fresh.vault.get('no-such-item')).toBeUndefined();
        expect(await fresh.vault.readSealed('no-such-item')).toBeUndefined();
        expect(await fresh.vault.list('no-such-case')).toEqual([]);
      });

      it('sweeps no stored item as an orphan, however old', async () => {
        const { personId, caseId } = await aCase('v-orphans');
        const sealed = randomBlob(3000);
        await store.vault.put(vaultItem('kept-1', caseId, personId), sealed);
        await store.vault.put(vaultItem('kept-2', caseId, personId), randomBlob(10));
        // Every file is older than a time far in the future.
        expect(await store.vault.pruneOrphans(Date.now() + 3600_000)).toBe(0);
        expect((await store.vault.list(caseId)).map((i) => i.id).sort()).toEqual(['kept-1', 'kept-2']);
        expect(sameBytes(await (await reopen()).vault.readSealed('kept-1'), sealed)).toBe(true);
      });

      it('describes items, and lists those with a document date first by that date, then the others by time received', async () => {
        const { personId, caseId } = await aCase('v-list');
        const other = await aCase('v-other');
        for (const [id, receivedAt] of [['a', 30], ['b', 10], ['c', 20], ['d', 40], ['e', 50]] as const) {
          await store.vault.put(vaultItem(id, caseId, personId, { receivedAt }), randomBlob(8));
        }
        await store.vault.put(vaultItem('elsewhere', other.caseId, other.personId), randomBlob(8));
        expect(await store.vault.describe('c', 'ack-card', '2026-05-01')).toBe(true);
        expect(await store.vault.describe('d', 'anef-receipt', '2026-01-15')).toBe(true);
        expect(await store.vault.describe('e', 'postal-receipt', '2026-05-01')).toBe(true);
        expect(await store.vault.describe('no-such-item', 'other', '2026-01-01')).toBe(false);
        const fresh = await reopen();
        expect((await fresh.vault.list(caseId)).map((i) => i.id)).toEqual(['d', 'c', 'e', 'b', 'a']);
        expect(await fresh.vault.get('c')).toEqual(vaultItem('c', caseId, personId, { receivedAt: 20, kind: 'ack-card', documentDate: '2026-05-01' }));
        // Described again (a correction): the new answer replaces the old.
        expect(await fresh.vault.describe('c', 'prefecture-letter', '2025-12-31')).toBe(true);
        expect((await store.vault.list(caseId)).map((i) => i.id)).toEqual(['c', 'd', 'e', 'b', 'a']);
      });

      it('deletes an item with its sealed bytes', async () => {
        const { personId, caseId } = await aCase('v-del');
        const sealed = randomBlob(64);
        await store.vault.put(vaultItem('v-gone', caseId, personId), sealed);
        await store.vault.put(vaultItem('v-kept', caseId, personId), randomBlob(64));
        expect(await store.vault.delete('v-gone')).toBe(true);
        expect(await store.vault.delete('v-gone')).toBe(false);
        const fresh = await reopen();
        expect(await fresh.vault.get('v-gone')).toBeUndefined();
        expect(await fresh.vault.readSealed('v-gone')).toBeUndefined();
        expect((await fresh.vault.list(caseId)).map((i) => i.id)).toEqual(['v-kept']);
        const dump = await factory.dump();
        expect(dump).toContain('v-kept');
        expect(dump).not.toContain('v-gone');
        expect(dump).not.toContain(hex(sealed));
      });
    });

    describe('sms log', () => {
      it('records an SMS, follows its delivery reports and counts the parts of the day', async () => {
        await store.sms.record({ id: 's1', who: 'w1', parts: 2, createdAt: 100 });
        await store.sms.record({ id: 's1', who: 'w1', parts: 2, createdAt: 100 });
        await store.sms.record({ id: 's2', who: 'w1', parts: 3, createdAt: 200 });
        await store.sms.record({ id: 's3', who: 'w2', parts: 1, createdAt: 200 });
        expect(await store.sms.get('s1')).toEqual({ id: 's1', who: 'w1', parts: 2, state: 'queued', createdAt: 100, updatedAt: 100 });
        expect(await store.sms.setState('s1', 'delivered', 150)).toBe(true);
        expect(await store.sms.setState('nope', 'delivered', 150)).toBe(false);
        const fresh = await reopen();
        expect((await fresh.sms.get('s1'))?.state).toBe('delivered');
        expect(await fresh.sms.partsSince('w1', 0)).toBe(5);
        expect(await fresh.sms.partsSince('w1', 150)).toBe(3);
        expect(await fresh.sms.partsSince('w3', 0)).toBe(0);
      });

      it('grants the budget notice once per person and day, even to two instances at once', async () => {
        const second = await reopen();
        const claims = await Promise.all([store.sms.claimNotice('w1', '2026-12-02'), second.sms.claimNotice('w1', '2026-12-02')]);
        expect(claims.filter(Boolean)).toHaveLength(1);
        expect(await store.sms.claimNotice('w1', '2026-12-03')).toBe(true);
        expect(await store.sms.claimNotice('w2', '2026-12-02')).toBe(true);
      });

      it('prunes old records', async () => {
        await store.sms.record({ id: 'old', who: 'w1', parts: 1, createdAt: 10 });
        await store.sms.record({ id: 'new', who: 'w1', parts: 1, createdAt: Date.now() + 1000 });
        expect(await store.sms.prune(20)).toBeGreaterThanOrEqual(1);
        expect(await store.sms.get('old')).toBeUndefined();
        expect(await store.sms.get('new')).toBeDefined();
      });
    });

    it('answers a ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
