import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RevisionConflictError } from '../../src/errors.js';
import type { ConversationState, Store } from '../../src/store/ports.js';

/**
 * The behaviour every store adapter must have. Each adapter's test file calls
 * this with a factory whose `open()` returns a new store instance on the same
 * data, so read-back goes through a fresh instance as it would after a restart.
 */
export interface StoreFactory {
  open(): Promise<Store>;
  /** Remove all data (called after each test). */
  destroy(): Promise<void>;
}

const state = (step: string): ConversationState => ({
  frames: [{ machineId: 'route.phone', machineVersion: 1, snapshot: { status: 'active', value: step, context: { note: 'é ع ব 😀' } } }],
});

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
        await store.people.markReachable('telegram', '42');
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
      const nudge = (caseId: string, personId: string, id: string, dueAt: number, kind: 'permit-expiry' | 'appointment' = 'permit-expiry') => ({
        id,
        caseId,
        personId,
        dateKind: kind,
        dateVersion: 'v1',
        dueAt,
        channel: 'telegram' as const,
        address: '42',
        textKey: 'reminders.expiry_day',
        params: { expiry: '2027-03-31' },
      });
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
        expect(a.every((n) => n.status === 'sending' && n.attempts === 1)).toBe(true);
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

    it('answers a ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
