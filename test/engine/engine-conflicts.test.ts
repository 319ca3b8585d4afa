import { afterEach, describe, expect, it } from 'vitest';
import { RevisionConflictError } from '../../src/errors.js';
import type { Store } from '../../src/store/ports.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { asText, createTestApp, tempDir } from '../helpers/test-app.js';

/**
 * Two engines on one store stand for two Guichet processes on one database:
 * each has its own per-person lock, so only the store's revision check keeps
 * their turns for the same person apart.
 */
describe('two engines on one store, one person', () => {
  const temp = tempDir();
  afterEach(() => temp.remove());

  /** The store, counting the saves the revision check refused. */
  function countingConflicts(store: Store) {
    let conflicts = 0;
    const conversations = {
      ...store.conversations,
      load: store.conversations.load.bind(store.conversations),
      save: async (...args: Parameters<Store['conversations']['save']>) => {
        try {
          return await store.conversations.save(...args);
        } catch (error) {
          if (error instanceof RevisionConflictError) conflicts++;
          throw error;
        }
      },
    };
    return { store: { ...store, conversations } as Store, conflicts: () => conflicts };
  }

  it('answers each of a burst once, from the engine it reached, and saves one turn per message', async () => {
    const shared = countingConflicts(openSqliteStore(temp.dir));
    const one = createTestApp({ store: shared.store });
    const two = createTestApp({ store: shared.store });
    await one.open('sam');
    await one.say('sam', '5', 'lang'); // English
    const personId = await shared.store.people.resolveIdentity('terminal', 'sam', 1);
    const before = (await shared.store.conversations.load(personId))!.rev;

    const ids = Array.from({ length: 30 }, (_, k) => `burst-${k}`);
    await Promise.all(ids.map((id, k) => (k % 2 === 0 ? one : two).engine.handle({ channel: 'terminal', address: 'sam', messageId: id, kind: 'text', text: k % 3 === 0 ? 'help' : 'privacy' })));
    // The same five messages delivered to both, as a platform retry would.
    const retried = ids.slice(0, 5);
    await Promise.all(retried.flatMap((id) => [one, two].map((app) => app.engine.handle({ channel: 'terminal', address: 'sam', messageId: id, kind: 'text', text: 'help' }))));

    const answers = (app: typeof one) => app.outbox.sent.filter((s) => s.to.address === 'sam').flatMap((s) => s.messages.map(asText));
    const all = [...answers(one), ...answers(two)];
    expect(all.filter((r) => r.startsWith('How to answer:'))).toHaveLength(ids.filter((_, k) => k % 3 === 0).length);
    expect(all.filter((r) => r.startsWith('What I keep about you:'))).toHaveLength(ids.filter((_, k) => k % 3 !== 0).length);
    expect(all.some((r) => /went wrong/i.test(r))).toBe(false);
    expect((await shared.store.conversations.load(personId))!.rev).toBe(before + ids.length);
    // The race was real: some saves were refused and retried.
    expect(shared.conflicts()).toBeGreaterThan(0);
    await shared.store.close();
  });
});
