import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/paths.js';
import { SQLITE_FILE_NAME } from '../../src/store/sqlite/sqlite-store.js';
import { tempDir } from '../helpers/test-app.js';
import { withoutStore } from './npm-start.js';
import { dropMongoDb, freshMongoUri, MONGODB_BASE_URI, noticeMongoSkipped } from '../helpers/mongo-db.js';
import { openMongoStore } from '../../src/store/mongo/mongo-store.js';

type Command = { t: 'msg'; address: string; id: string; text: string } | { t: 'pump'; at: number };

const PEOPLE = 8;
const KILLS = 10;

/** Each person: English; "My dates"; an appointment on 5 December with a place naming them; their permit (ANEF yes). */
function script(): Command[] {
  const commands: Command[] = [];
  const steps = (p: string) => ['', '5', '4', '3', '05/12/2026', '1', '09:30', `Salle ${p}`, '1', '30/06/2027', '1', '1'];
  // People interleaved, as they would be.
  const all = Array.from({ length: PEOPLE }, (_, i) => steps(`p${i}`));
  for (let step = 0; step < all[0]!.length; step++) {
    for (let i = 0; i < PEOPLE; i++) commands.push({ t: 'msg', address: `p${i}`, id: `p${i}-${step}`, text: all[i]![step]! });
  }
  // Then the pump, at each reminder's day (10:05 Paris), and far later to sweep anything left.
  for (const day of ['2026-12-04', '2027-02-28', '2027-03-30', '2027-04-23', '2027-05-01', '2027-06-30', '2027-07-10']) {
    commands.push({ t: 'pump', at: Date.parse(`${day}T10:05:00+01:00`) });
    commands.push({ t: 'pump', at: Date.parse(`${day}T11:05:00+01:00`) });
  }
  return commands;
}

/** A small seeded generator, so a failure can be replayed with the seed it prints. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

interface Harness {
  child: ChildProcessWithoutNullStreams;
  lines: AsyncIterator<string>;
}

function start(dataDir: string, mongodbUri: string | undefined): Harness {
  const child = spawn(process.execPath, ['--import', 'tsx', join('test', 'e2e', 'crash-harness.ts')], {
    cwd: PROJECT_ROOT,
    env: { ...withoutStore(process.env), DATA_DIR: dataDir, ...(mongodbUri ? { MONGODB_URI: mongodbUri } : {}) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return { child, lines: createInterface({ input: child.stdout })[Symbol.asyncIterator]() };
}

/** SQLite always; MongoDB too when the tests have a server (npm run test:mongo). */
const STORES: readonly ('sqlite' | 'mongodb')[] = MONGODB_BASE_URI ? ['sqlite', 'mongodb'] : ['sqlite'];
if (!MONGODB_BASE_URI) noticeMongoSkipped('The crash-restart test on MongoDB');

const APPOINTMENT_PLACE_STEP = 7;

/** The store's own checks after a kill: SQLite's integrity and foreign keys, and what each person's acknowledged answers saved. */
async function checkStore(kind: 'sqlite' | 'mongodb', dataDir: string, mongodbUri: string | undefined, acked: ReadonlySet<string>, label: string): Promise<void> {
  const expected = (i: number) => ({ date: '2026-12-05', time: '09:30', place: `Salle p${i}` });
  if (kind === 'sqlite') {
    const db = new Database(join(dataDir, SQLITE_FILE_NAME));
    expect(db.pragma('integrity_check', { simple: true }), label).toBe('ok');
    expect(db.pragma('foreign_key_check'), label).toEqual([]);
    // Every person whose "place" answer was acknowledged has their appointment, with their place.
    for (let i = 0; i < PEOPLE; i++) {
      if (!acked.has(`p${i}-${APPOINTMENT_PLACE_STEP}`)) continue;
      const row = db
        .prepare<[string], { data: string }>(
          "SELECT d.data FROM case_dates d JOIN cases c ON c.id = d.case_id JOIN identities i ON i.person_id = c.owner_id WHERE i.address = ? AND d.kind = 'appointment'",
        )
        .get(`p${i}`);
      expect(row && JSON.parse(row.data), `p${i} after ${label}`).toMatchObject(expected(i));
    }
    db.close();
    return;
  }
  const store = await openMongoStore(mongodbUri!);
  try {
    for (let i = 0; i < PEOPLE; i++) {
      if (!acked.has(`p${i}-0`)) continue;
      // Acknowledged, so the person and their conversation are there, readable.
      const personId = await store.people.resolveIdentity('terminal', `p${i}`, 1);
      expect(await store.conversations.load(personId), `p${i} after ${label}`).toBeDefined();
      if (!acked.has(`p${i}-${APPOINTMENT_PLACE_STEP}`)) continue;
      const caseId = await store.cases.ensureOwnCase(personId, 1);
      expect((await store.reminders.getDate(caseId, 'appointment'))?.data, `p${i} after ${label}`).toMatchObject(expected(i));
    }
  } finally {
    await store.close();
  }
}

describe.each(STORES)('SIGKILL at random points, then restart (%s)', (kind) => {
  let temp: ReturnType<typeof tempDir>;
  const mongodbUri = kind === 'mongodb' ? freshMongoUri(MONGODB_BASE_URI!) : undefined;
  beforeAll(() => void (temp = tempDir('guichet-crash-')));
  afterAll(async () => {
    temp.remove();
    if (mongodbUri) await dropMongoDb(mongodbUri);
  });

  it('keeps every acknowledged step, never sends a reminder twice, and leaves a sound database', async () => {
    const seed = Number(process.env.CRASH_SEED ?? Date.now() % 100_000);
    const rand = random(seed);
    const commands = script();
    const acked = new Set<string>();
    const nudgesSent = new Map<string, number>();
    const replies = new Map<string, string[]>();
    let next = 0;
    let kills = 0;

    const checkDatabase = (label: string) => checkStore(kind, temp.dir, mongodbUri, acked, `${label} (seed ${seed})`);

    while (next < commands.length) {
      const harness = start(temp.dir, mongodbUri);
      const ready = await harness.lines.next();
      expect(JSON.parse(ready.value as string)).toEqual({ ready: true });
      // Kill after a random number of commands (mostly mid-way), at a random moment within the last one.
      const killAfter = kills < KILLS ? next + 1 + Math.floor(rand() * 12) : Number.POSITIVE_INFINITY;
      let killed = false;
      while (next < commands.length && !killed) {
        const command = commands[next]!;
        harness.child.stdin.write(`${JSON.stringify(command)}\n`);
        if (next + 1 >= killAfter) {
          setTimeout(() => harness.child.kill('SIGKILL'), Math.floor(rand() * 25));
          killed = true;
        }
        // Read until this command is acknowledged or the process dies.
        for (;;) {
          const line = await harness.lines.next();
          if (line.done) break;
          const event = JSON.parse(line.value) as { ack?: string; pumped?: unknown; reply?: string; nudge?: string; text?: string };
          if (event.nudge) {
            const key = `${event.nudge}\u0000${event.text}`;
            nudgesSent.set(key, (nudgesSent.get(key) ?? 0) + 1);
          } else if (event.reply) {
            replies.set(event.reply, [...(replies.get(event.reply) ?? []), event.text!]);
          } else if (event.ack) {
            acked.add(event.ack);
            next++;
            break;
          } else if (event.pumped) {
            next++;
            break;
          }
        }
      }
      if (killed) {
        await new Promise((resolve) => (harness.child.exitCode !== null || harness.child.signalCode !== null ? resolve(undefined) : harness.child.once('exit', resolve)));
        kills++;
        await checkDatabase(`kill ${kills}`);
        // A command cut off before its acknowledgement is sent again: the same message id, so it counts once.
      } else {
        harness.child.stdin.end();
        await new Promise((resolve) => harness.child.once('exit', resolve));
      }
    }

    if (process.env.CRASH_DEBUG) console.log({ seed, kills, acked: acked.size, nudges: nudgesSent.size });
    expect(kills, `seed ${seed}`).toBe(KILLS);
    await checkDatabase('the end');
    // Never twice.
    const twice = [...nudgesSent.entries()].filter(([, n]) => n > 1);
    expect(twice, `seed ${seed}`).toEqual([]);
    // Each person has their appointment eve and permit reminders; a crash while one
    // was being handed over may lose that one, never more than one per kill.
    const expected = PEOPLE * 6;
    expect(nudgesSent.size, `seed ${seed}`).toBeGreaterThanOrEqual(expected - kills);
    expect(nudgesSent.size).toBeLessThanOrEqual(expected);
    for (let i = 0; i < PEOPLE; i++) {
      const mine = [...nudgesSent.keys()].filter((k) => k.startsWith(`p${i}\u0000`));
      expect(mine.every((k) => !k.includes(`Salle p${(i + 1) % PEOPLE}`))).toBe(true);
    }
  }, 180_000);
});
