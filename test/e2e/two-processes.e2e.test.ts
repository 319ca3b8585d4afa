import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/paths.js';
import { openMongoStore } from '../../src/store/mongo/mongo-store.js';
import { tempDir } from '../helpers/test-app.js';
import { dropMongoDb, freshMongoUri, MONGODB_BASE_URI, noticeMongoSkipped } from '../helpers/mongo-db.js';
import { withoutStore } from './npm-start.js';

type Command = { t: 'msg'; address: string; id: string; text: string } | { t: 'pump'; at: number };
type Event = { ready?: true; ack?: string; pumped?: unknown; reply?: string; to?: string | null; nudge?: string; text?: string };

/** One Guichet process (the crash harness) and everything it reported. */
class Process {
  readonly events: Event[] = [];
  private readonly waiters: { test: (e: Event) => boolean; resolve: () => void }[] = [];
  private readonly child: ChildProcessWithoutNullStreams;

  constructor(readonly name: string, dataDir: string, mongodbUri: string) {
    this.child = spawn(process.execPath, ['--import', 'tsx', join('test', 'e2e', 'crash-harness.ts')], {
      cwd: PROJECT_ROOT,
      env: { ...withoutStore(process.env), DATA_DIR: dataDir, MONGODB_URI: mongodbUri },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stderr.on('data', (d) => process.stderr.write(d));
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      const event = JSON.parse(line) as Event;
      this.events.push(event);
      for (const w of this.waiters.filter((w) => w.test(event))) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve();
      }
    });
  }

  /** Resolves when an event passing `test` has been reported (or already was). */
  until(test: (e: Event) => boolean): Promise<void> {
    if (this.events.some(test)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  send(command: Command): Promise<void> {
    this.child.stdin.write(`${JSON.stringify(command)}\n`);
    return command.t === 'msg' ? this.until((e) => e.ack === command.id) : Promise.resolve();
  }

  async stop(): Promise<void> {
    this.child.stdin.end();
    if (this.child.exitCode === null) await new Promise((resolve) => this.child.once('exit', resolve));
  }
}

const PEOPLE = 4;
/** Each person: English; "My dates"; an appointment on 5 December with a place naming them; their permit (ANEF yes). */
const steps = (p: string) => ['', '5', '4', '3', '05/12/2026', '1', '09:30', `Salle ${p}`, '1', '30/06/2027', '1', '1'];
const REMINDER_DAYS = ['2026-12-04', '2027-02-28', '2027-03-30', '2027-04-23', '2027-05-01', '2027-06-30', '2027-07-10'];

if (!MONGODB_BASE_URI) noticeMongoSkipped('Two Guichet processes on one MongoDB database');

describe.skipIf(!MONGODB_BASE_URI)('two Guichet processes on one MongoDB database', () => {
  const uri = MONGODB_BASE_URI ? freshMongoUri(MONGODB_BASE_URI) : '';
  let temp: ReturnType<typeof tempDir>;
  let a: Process;
  let b: Process;
  beforeAll(async () => {
    temp = tempDir('guichet-two-');
    a = new Process('a', join(temp.dir, 'a'), uri);
    b = new Process('b', join(temp.dir, 'b'), uri);
    await Promise.all([a.until((e) => e.ready === true), b.until((e) => e.ready === true)]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    temp.remove();
    if (uri) await dropMongoDb(uri);
  });

  /** Which processes answered each message id. */
  const answeredBy = () => {
    const by = new Map<string, Set<string>>();
    for (const p of [a, b]) for (const e of p.events) if (e.reply && e.to) by.set(e.to, (by.get(e.to) ?? new Set()).add(p.name));
    return by;
  };

  it('takes turns of one person from either process: each step builds on the last, whoever handled it', async () => {
    // Each person's next message goes to one process or the other, at random; people run side by side.
    await Promise.all(
      Array.from({ length: PEOPLE }, async (_, i) => {
        const mine = steps(`p${i}`);
        for (let step = 0; step < mine.length; step++) {
          const to = Math.random() < 0.5 ? a : b;
          await to.send({ t: 'msg', address: `p${i}`, id: `p${i}-${step}`, text: mine[step]! });
        }
      }),
    );
    const by = answeredBy();
    for (let i = 0; i < PEOPLE; i++) for (let step = 0; step < steps('').length; step++) expect(by.get(`p${i}-${step}`)?.size, `p${i}-${step}`).toBe(1);
    const store = await openMongoStore(uri);
    try {
      for (let i = 0; i < PEOPLE; i++) {
        const personId = await store.people.resolveIdentity('terminal', `p${i}`, 1);
        const caseId = await store.cases.ensureOwnCase(personId, 1);
        expect((await store.reminders.getDate(caseId, 'appointment'))?.data).toMatchObject({ date: '2026-12-05', time: '09:30', place: `Salle p${i}` });
        expect((await store.reminders.getDate(caseId, 'permit-expiry'))?.data).toMatchObject({ date: '2027-06-30' });
      }
    } finally {
      await store.close();
    }
  });

  it('answers every message of a burst split between the two processes exactly once, and loses no turn', async () => {
    const store = await openMongoStore(uri);
    try {
      const personId = await store.people.resolveIdentity('terminal', 'p0', 1);
      const before = (await store.conversations.load(personId))!.rev;
      // Twenty words at once, half to each process, and five more delivered to both (a platform retry).
      const split = Array.from({ length: 20 }, (_, k) => ({ id: `burst-${k}`, to: k % 2 === 0 ? [a] : [b] }));
      const twice = Array.from({ length: 5 }, (_, k) => ({ id: `twice-${k}`, to: [a, b] }));
      const all = [...split, ...twice];
      await Promise.all(all.flatMap(({ id, to }) => to.map((p) => p.send({ t: 'msg', address: 'p0', id, text: `word ${id}` }))));
      const by = answeredBy();
      for (const { id } of all) expect(by.get(id)?.size, id).toBe(1);
      // One saved turn per message: none lost, none counted twice.
      expect((await store.conversations.load(personId))!.rev).toBe(before + all.length);
      for (const { id } of all) expect(await store.processed.seen(`terminal:${id}`), id).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('sends every reminder once when both processes run the pump at the same moments', async () => {
    for (const day of REMINDER_DAYS) {
      for (const time of ['10:05', '11:05']) {
        const at = Date.parse(`${day}T${time}:00+01:00`);
        const pumped = (p: Process) => p.events.filter((e) => e.pumped).length;
        const [na, nb] = [pumped(a), pumped(b)];
        await Promise.all([a.send({ t: 'pump', at }), b.send({ t: 'pump', at })]);
        await Promise.all([a.until(() => pumped(a) > na), b.until(() => pumped(b) > nb)]);
      }
    }
    const sent = new Map<string, number>();
    for (const p of [a, b]) for (const e of p.events) if (e.nudge) sent.set(`${e.nudge}\u0000${e.text}`, (sent.get(`${e.nudge}\u0000${e.text}`) ?? 0) + 1);
    expect([...sent.entries()].filter(([, n]) => n > 1)).toEqual([]);
    // Each person: the appointment's eve and five permit reminders, from one process or the other.
    expect(sent.size).toBe(PEOPLE * 6);
    const fromBoth = [a, b].map((p) => p.events.filter((e) => e.nudge).length);
    expect(fromBoth[0]! + fromBoth[1]!).toBe(PEOPLE * 6);
  });
});
