import { afterEach, describe, expect, it } from 'vitest';
import { createFlowRegistry, type FlowDefinition } from '../../machines/registry.js';
import { productionFlows } from '../helpers/flows.js';

const FLOWS = productionFlows();
import { StoreError } from '../../src/errors.js';
import type { Store } from '../../src/store/ports.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { createTestApp, tempDir } from '../helpers/test-app.js';

type App = ReturnType<typeof createTestApp>;
const apps: App[] = [];
const temps: { remove(): void }[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
  for (const t of temps.splice(0)) t.remove();
});
function track(a: App): App {
  apps.push(a);
  return a;
}

async function toPhoneRoute(a: App, who: string): Promise<void> {
  await a.open(who);
  await a.say(who, '5');
  await a.say(who, '3');
  await a.say(who, '2');
}

describe('duplicates', () => {
  it('drops a message id already handled: no reply, no change', async () => {
    const app = track(createTestApp());
    await app.open('d');
    await app.say('d', '5', 'same-id');
    await app.say('d', '2', 'next-id');
    const personId = await app.store.people.resolveIdentity('terminal', 'd', 0);
    const before = await app.store.conversations.load(personId);
    expect(await app.say('d', '5', 'same-id')).toBe('');
    expect(await app.store.conversations.load(personId)).toEqual(before);
  });
});

describe('restarts', () => {
  it('continues mid-route after a restart, from the same data folder', async () => {
    const temp = tempDir();
    temps.push(temp);
    const first = createTestApp({ dataDir: temp.dir });
    await toPhoneRoute(first, 'r');
    await first.say('r', '1'); // note a call
    await first.say('r', '3'); // another day
    await first.engine.idle();
    await first.store.close();

    const second = track(createTestApp({ dataDir: temp.dir }));
    const resumed = await second.open('r');
    expect(resumed).toMatch(/What day of the month/);
    expect(await second.say('r', '31/02/2026')).toMatch(/does not exist/);
    expect(await second.say('r', '12/11/2026')).toMatch(/12 November 2026 \(12\/11\/2026\)/);
  });
});

describe('machine versions', () => {
  const phoneV1 = FLOWS.get('route.phone')!;

  it('restarts a flow whose machine changed version, with an apology, and ignores the old answer', async () => {
    const temp = tempDir();
    temps.push(temp);
    const old = createTestApp({ dataDir: temp.dir });
    await toPhoneRoute(old, 'v');
    await old.say('v', '1'); // what it does
    await old.store.close();

    const phoneV2: FlowDefinition = { ...phoneV1, version: phoneV1.version + 1 };
    const flows = createFlowRegistry([...FLOWS.values()].map((f) => (f.id === 'route.phone' ? phoneV2 : f)));
    const app = track(createTestApp({ dataDir: temp.dir, flows }));
    const reply = await app.say('v', '1');
    expect(reply).toMatch(/has been updated/);
    expect(reply).toMatch(/ANEF help line \("Centre de contact citoyen"/);
    const personId = await app.store.people.resolveIdentity('terminal', 'v', 0);
    const stored = await app.store.conversations.load(personId);
    expect(stored!.state.frames[0]).toMatchObject({ machineId: 'route.phone', machineVersion: phoneV1.version + 1 });
  });

  it('migrates an old snapshot when the flow knows how, without bothering the person', async () => {
    const temp = tempDir();
    temps.push(temp);
    const old = createTestApp({ dataDir: temp.dir });
    await toPhoneRoute(old, 'm');
    await old.say('m', '3'); // next: whatItDoes
    await old.store.close();

    const phoneV2: FlowDefinition = {
      ...phoneV1,
      version: phoneV1.version + 1,
      migrate: (from, snapshot) => (from === phoneV1.version ? snapshot : undefined),
    };
    const flows = createFlowRegistry([...FLOWS.values()].map((f) => (f.id === 'route.phone' ? phoneV2 : f)));
    const app = track(createTestApp({ dataDir: temp.dir, flows }));
    const reply = await app.say('m', '1');
    expect(reply).not.toMatch(/has been updated/);
    expect(reply).toMatch(/Before you call/);
  });

  it('restarts when a stored state no longer exists in the machine', async () => {
    const app = track(createTestApp());
    await toPhoneRoute(app, 's');
    const personId = await app.store.people.resolveIdentity('terminal', 's', 0);
    const stored = (await app.store.conversations.load(personId))!;
    const broken = { frames: [{ ...stored.state.frames[0]!, snapshot: { status: 'active', value: 'renamedState', context: {}, children: {}, historyValue: {} } }] };
    await app.store.conversations.save(personId, broken, stored.rev, 0);
    const reply = await app.say('s', '1');
    expect(reply).toMatch(/has been updated/);
    expect(reply).toMatch(/Opening hours/);
  });

  it('sends a person whose flow was removed to the menu, politely', async () => {
    const app = track(createTestApp());
    await toPhoneRoute(app, 'g');
    const personId = await app.store.people.resolveIdentity('terminal', 'g', 0);
    const stored = (await app.store.conversations.load(personId))!;
    await app.store.conversations.save(personId, { frames: [{ machineId: 'route.retired', machineVersion: 3, snapshot: {} }] }, stored.rev, 0);
    const reply = await app.say('g', '1');
    expect(reply).toMatch(/has been updated[\s\S]*Main menu/);
  });
});

describe('concurrent writers', () => {
  it('reloads and applies the message again when another process saved first', async () => {
    const temp = tempDir();
    temps.push(temp);
    const other = openSqliteStore(temp.dir);
    let interfered = false;
    const base = openSqliteStore(temp.dir);
    // A store whose first conversation save is overtaken by another process's save.
    const racing: Store = {
      ...base,
      conversations: {
        load: (id) => base.conversations.load(id),
        save: async (id, state, rev, now) => {
          if (!interfered && rev > 0) {
            interfered = true;
            const current = (await other.conversations.load(id))!;
            await other.conversations.save(id, current.state, current.rev, now);
          }
          return base.conversations.save(id, state, rev, now);
        },
      },
    };
    const app = track(createTestApp({ store: racing }));
    await app.open('c');
    await app.say('c', '5');
    await app.say('c', '3');
    const reply = await app.say('c', '2');
    expect(interfered).toBe(true);
    expect(reply).toMatch(/ANEF help line/);
    const personId = await base.people.resolveIdentity('terminal', 'c', 0);
    // open 1, the other process 2, the language again 3, ways 4, phone 5.
    expect((await base.conversations.load(personId))!.rev).toBe(5);
    await other.close();
  });
});

describe('failures', () => {
  it('apologises, saves nothing and lets the same message be handled again when the store fails', async () => {
    const temp = tempDir();
    temps.push(temp);
    const base = openSqliteStore(temp.dir);
    let failNext = false;
    const flaky: Store = {
      ...base,
      conversations: {
        load: (id) => base.conversations.load(id),
        save: (id, state, rev, now) => {
          if (failNext) {
            failNext = false;
            return Promise.reject(new StoreError('disk full', 'conversations.save'));
          }
          return base.conversations.save(id, state, rev, now);
        },
      },
    };
    const app = track(createTestApp({ store: flaky }));
    await app.open('f');
    await app.say('f', '5');
    await app.say('f', '3');
    failNext = true;
    expect(await app.say('f', '2', 'retry-me')).toMatch(/something went wrong on my side/);
    expect(app.logLines.join('')).toMatch(/turn failed/);
    // Redelivery of the same message now works.
    expect(await app.say('f', '2', 'retry-me')).toMatch(/ANEF help line/);
  });

  it('apologises too when the store fails before the turn (a busy server on the first write)', async () => {
    const temp = tempDir();
    temps.push(temp);
    const base = openSqliteStore(temp.dir);
    let failNext = false;
    const busy: Store = {
      ...base,
      people: {
        ...base.people,
        resolveIdentity: base.people.resolveIdentity.bind(base.people),
        get: base.people.get.bind(base.people),
        markReachable: (channel, address, now) => {
          if (!failNext) return base.people.markReachable(channel, address, now);
          failNext = false;
          return Promise.reject(new StoreError('database is locked', 'people.markReachable'));
        },
      },
    };
    const app = track(createTestApp({ store: busy }));
    await app.open('g');
    await app.say('g', '5');
    failNext = true;
    expect(await app.say('g', '3', 'again')).toMatch(/something went wrong on my side/);
    expect(await app.say('g', '3', 'again')).toMatch(/^Ways to get an appointment/);
  });
});

describe('call log', () => {
  it('saves a guided call log to the person’s case and shows it back as a French compte-rendu', async () => {
    const app = track(createTestApp());
    await toPhoneRoute(app, 'k');
    await app.say('k', '1'); // note a call
    await app.say('k', '3'); // another day
    await app.say('k', '٢٤'); // day 24
    await app.say('k', '11');
    await app.say('k', '1'); // 2026
    expect(app.lastQuestion('k')!.text).toMatch(/24 November 2026/);
    await app.say('k', '1'); // yes
    expect(await app.say('k', '25h')).toMatch(/like this/);
    await app.say('k', '9h15');
    expect(await app.say('k', '12')).toMatch(/digits only/);
    await app.say('k', '01 23 45 67 89');
    expect(await app.say('k', 'محمد')).toMatch(/Latin letters/);
    await app.say('k', 'Mme Durand');
    await app.say('k', '2'); // call back
    const saved = await app.say('k', 'Rappeler lundi');
    expect(saved).toContain("COMPTE-RENDU D'APPEL");
    expect(saved).toContain('Date de l\'appel\u00a0: 24 novembre 2026');
    expect(saved).toContain('Heure\u00a0: 09 h 15');
    expect(saved).toContain('Numéro appelé\u00a0: 01 23 45 67 89');
    expect(saved).toContain('Interlocuteur\u00a0: Mme Durand');
    expect(saved).toContain('il m\'a été demandé de rappeler plus tard');
    expect(saved).toContain('Rappeler lundi');

    const pdf = await app.deliver({ channel: 'terminal', address: 'k', messageId: 'pdf-1', kind: 'text', text: '1' });
    expect(pdf.some((m) => m.kind === 'document' && m.fileName === 'compte-rendu-appel-2026-11-24.pdf')).toBe(true);
    await app.say('k', '2'); // note another
    await app.say('k', '1'); // today
    await app.say('k', '1'); // time unknown
    await app.say('k', '1'); // anef
    await app.say('k', '1'); // no name
    await app.say('k', '1'); // no answer
    await app.say('k', '1'); // nothing to add
    await app.say('k', 'menu');
    await app.say('k', '3');
    await app.say('k', '2');
    const list = await app.say('k', '2'); // see my saved calls
    expect(list).toContain('You have saved 2 calls');
    expect(list).toContain('24 November 2026 (24/11/2026), 09:15: They told me to call back');
    expect(list).toContain('28 November 2026 (28/11/2026): Nobody answered');
  });

  it('refuses a date in the future and a date that does not exist', async () => {
    const app = track(createTestApp());
    await toPhoneRoute(app, 'q');
    await app.say('q', '1');
    await app.say('q', '3');
    expect(await app.say('q', '29/02/2027')).toMatch(/does not exist/);
    expect(await app.say('q', '01/12/2026')).toMatch(/in the future/);
    await app.say('q', '29');
    await app.say('q', '2');
    expect(await app.say('q', '2025')).toMatch(/does not exist[\s\S]*What day/);
  });
});

describe('deleting everything', () => {
  it('asks to confirm, keeps everything on "no", erases everything on "yes"', async () => {
    const app = track(createTestApp());
    await toPhoneRoute(app, 'x');
    expect(await app.say('x', 'delete')).toMatch(/cannot be undone/);
    expect(await app.say('x', '2')).toMatch(/Nothing was erased[\s\S]*ANEF help line/);
    const personId = await app.store.people.resolveIdentity('terminal', 'x', 0);
    await app.say('x', 'effacer');
    expect(await app.say('x', '1')).toMatch(/Everything is erased/);
    expect(app.outbox.forgotten).toEqual([{ channel: 'terminal', address: 'x' }]);
    expect(await app.store.people.get(personId)).toBeUndefined();
    expect(await app.store.conversations.load(personId)).toBeUndefined();
    const fresh = await app.say('x', 'hello');
    expect(fresh).toContain('Choose your language');
  });
});

describe('privacy of logs', () => {
  it('never writes what a person typed into the logs', async () => {
    const app = track(createTestApp());
    await toPhoneRoute(app, 'secret-address-77');
    for (const text of ['2', '1', '14:05', '06 11 22 33 44', 'Jeanne Secretname', '6', 'my private note xyzzy']) await app.say('secret-address-77', text);
    await app.say('secret-address-77', 'gibberish-qwerty');
    const logs = app.logLines.join('');
    for (const secret of ['secret-address-77', 'Secretname', 'xyzzy', '06 11 22 33 44', 'qwerty']) expect(logs).not.toContain(secret);
  });
});
