import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { PROJECT_ROOT } from '../src/paths.js';
import { openSqliteStore, SQLITE_FILE_NAME } from '../src/store/sqlite/sqlite-store.js';
import { engineRun, percentile } from './engine-run.js';
import { nudgeRun } from './nudge-run.js';
import { sqliteTarget } from './store-targets.js';
import { compareStores } from './store-comparison.js';
import { burstVictim } from './burst-victim.js';
import { longTextTurn } from './long-text.js';
import { fullCodeSpace } from './link-space.js';

/**
 * `npm run bench`: simulated people walk every route through the real engine
 * on SQLite in a temporary folder. Prints one table, and with MONGODB_URI a
 * second one with the same runs on SQLite and on that server side by side.
 * Nothing here asserts a number: figures are for the README and the notes.
 */
const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const COLD_STARTS = Number(process.env.BENCH_COLD_STARTS ?? 5);
const STORED = Number(process.env.BENCH_STORED ?? 100_000);
const STORED_MESSAGES = 10_000;

function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(0);
}

/** The floor: the same number of raw load + rev-checked save round trips of a real snapshot, nothing else. */
async function floorRun(engineDir: string, messages: number) {
  const db = new Database(join(engineDir, SQLITE_FILE_NAME), { readonly: true });
  const sample = db.prepare('SELECT person_id, state FROM conversations LIMIT ?').all(PEOPLE) as { person_id: string; state: string }[];
  db.close();
  const dir = mkdtempSync(join(tmpdir(), 'guichet-floor-'));
  const store = openSqliteStore(dir);
  const ids: string[] = [];
  for (let i = 0; i < sample.length; i++) {
    const id = await store.people.resolveIdentity('terminal', `floor-${i}`, 0);
    await store.conversations.save(id, JSON.parse(sample[i]!.state), 0, 0);
    ids.push(id);
  }
  const started = performance.now();
  for (let i = 0; i < messages; i++) {
    const id = ids[i % ids.length]!;
    const loaded = (await store.conversations.load(id))!;
    await store.conversations.save(id, loaded.state, loaded.rev, i);
  }
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return { seconds };
}

function bytesPerConversation(dir: string) {
  const db = new Database(join(dir, SQLITE_FILE_NAME), { readonly: true });
  const { avg } = db.prepare('SELECT avg(length(state)) AS avg FROM conversations').get() as { avg: number };
  const { people } = db.prepare('SELECT count(*) AS people FROM people').get() as { people: number };
  db.close();
  const fileBytes = statSync(join(dir, SQLITE_FILE_NAME)).size;
  return { snapshot: avg, filePerPerson: fileBytes / people };
}

/** Cold start to first reply: process start to the first menu or picker reply on stdout, for `node dist` (the Docker image) and for `npm start` (tsx). */
function coldStart(command: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const dir = mkdtempSync(join(tmpdir(), 'guichet-cold-'));
    const t0 = performance.now();
    const child = spawn(command, args, { cwd: PROJECT_ROOT, env: { ...embeddedStoreEnv(), DATA_DIR: dir, LOG_LEVEL: 'silent' }, stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('1. ')) {
        const ms = performance.now() - t0;
        child.stdin.end();
        child.on('close', () => {
          rmSync(dir, { recursive: true, force: true });
          resolve(ms);
        });
      }
    });
    child.on('error', reject);
  });
}

/** Runs bench/stored-conversations.ts in a child process of its own and parses the JSON line it prints. */
function storedChild<T>(args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', join('bench', 'stored-conversations.ts'), ...args], {
      cwd: PROJECT_ROOT,
      env: { ...embeddedStoreEnv(), LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`stored-conversations.ts ${args.join(' ')} exited with ${code}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()!) as T);
      } catch (error) {
        reject(new Error(`stored-conversations.ts printed no JSON: ${out}`, { cause: error }));
      }
    });
  });
}

/**
 * What a Guichet process costs with many stored conversations: one child
 * fills a SQLite store through the store ports, then a fresh child starts an
 * engine on it and serves messages from random stored people, so that its
 * resident memory is that of a process doing only this.
 */
async function storedRun(count: number, messages: number) {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-stored-'));
  try {
    const filled = await storedChild<{ count: number; seconds: number; snapshotBytes: number; dbBytes: number }>(['fill', dir, String(count)]);
    const measured = await storedChild<{ stored: number; messages: number; seconds: number; heapUsed: number; rss: number; gc: boolean }>([
      'measure',
      dir,
      String(messages),
    ]);
    return { filled, measured };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** This process's environment without MONGODB_URI: cold starts and stored-conversation runs measure the embedded store. */
function embeddedStoreEnv(): NodeJS.ProcessEnv {
  const { MONGODB_URI: _server, ...rest } = process.env;
  return rest;
}

async function median(times: number, fn: () => Promise<number>): Promise<number> {
  const values: number[] = [];
  for (let i = 0; i < times; i++) values.push(await fn());
  values.sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)]!;
}

/** A Markdown table: the first row is the header. */
function printTable(rows: readonly (readonly string[])[]): void {
  const width = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length), 6));
  const line = (r: readonly string[]) => `| ${r.map((v, i) => v.padEnd(width[i]!)).join(' | ')} |`;
  console.log(line(rows[0]!));
  console.log(`|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows.slice(1)) console.log(line(r));
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-bench-'));
  try {
    // Throughput with many people interleaved; latency with one message in
    // flight at a time, so it measures handling and not queueing behind others.
    const run = await engineRun(sqliteTarget(dir), PEOPLE, CONCURRENCY, 'busy');
    const rss = process.memoryUsage().rss;
    // Live memory once garbage is collected (needs --expose-gc, as `npm run bench` passes).
    (globalThis as { gc?: () => void }).gc?.();
    const heap = process.memoryUsage().heapUsed;
    const latencyTarget = sqliteTarget();
    const sequential = await engineRun(latencyTarget, Math.min(PEOPLE, 500), 1, 'calm');
    await latencyTarget.dispose();
    const floor = await floorRun(dir, run.messages);
    const bytes = bytesPerConversation(dir);
    const compiled = join(PROJECT_ROOT, 'dist', 'src', 'main.js');
    const hasDist = (() => {
      try {
        return statSync(compiled).isFile();
      } catch {
        return false;
      }
    })();
    const coldDist = hasDist ? await median(COLD_STARTS, () => coldStart(process.execPath, [compiled])) : undefined;
    const coldTsx = await median(COLD_STARTS, () => coldStart(process.execPath, ['--import', 'tsx', 'src/main.ts']));
    const nudgeBench = await nudgeRun(sqliteTarget(), Number(process.env.BENCH_NUDGE_PEOPLE ?? 20_000));
    const burst = await burstVictim(40);
    const longText = await longTextTurn();
    const codes = await fullCodeSpace();
    const stored = await storedRun(STORED, STORED_MESSAGES);

    const engineRate = run.messages / run.seconds;
    const floorRate = run.messages / floor.seconds;
    const rows: [string, string, string][] = [
      ['people, messages', `${PEOPLE}, ${run.messages}`, `every route; call logs; every 20th person writes 2 PDFs; ${CONCURRENCY} at once`],
      ['engine messages/s', engineRate.toFixed(0), 'target ≥ 2,000'],
      ['handling latency p50', `${percentile(sequential.latencies, 50).toFixed(3)} ms`, `one message in flight, ${sequential.latencies.length} turns without PDF`],
      ['handling latency p99', `${percentile(sequential.latencies, 99).toFixed(3)} ms`, 'target < 5 ms'],
      [`p99 with ${CONCURRENCY} people at once`, `${percentile(run.latencies, 99).toFixed(3)} ms`, 'includes waiting for the others'],
      ['PDF turn p50 / p99', `${percentile(sequential.documentLatencies, 50).toFixed(1)} / ${percentile(sequential.documentLatencies, 99).toFixed(1)} ms`, `${sequential.documentLatencies.length} turns that wrote a PDF (letter, statement)`],
      ['floor (load + save) messages/s', floorRate.toFixed(0), 'raw store round trips of the same snapshots'],
      ['engine / floor time ratio', (floorRate / engineRate).toFixed(2), 'target ≤ 3'],
      ['snapshot bytes per conversation', bytes.snapshot.toFixed(0), 'JSON of the flow stack'],
      ['database bytes per person', bytes.filePerPerson.toFixed(0), 'whole SQLite file / people (incl. call logs, indexes)'],
      ['resident memory after run', `${(rss / 1024 / 1024).toFixed(0)} MiB`, 'whole benchmark process, high-water mark'],
      ['live heap after run', `${(heap / 1024 / 1024).toFixed(0)} MiB`, 'after garbage collection; includes the bundled map of France'],
      [`memory, ${STORED} stored conversations`, `${mib(stored.measured.heapUsed)} MiB live heap / ${mib(stored.measured.rss)} MiB resident`, `fresh process; ${STORED_MESSAGES.toLocaleString('en')} messages from random stored people${stored.measured.gc ? '' : '; no --expose-gc, heap not collected'}`],
      [`database, ${STORED} conversations`, `${mib(stored.filled.dbBytes)} MiB (${(stored.filled.dbBytes / STORED).toFixed(0)} B each)`, `whole SQLite file; ${stored.filled.snapshotBytes} B snapshot from a real run; built in ${stored.filled.seconds.toFixed(0)} s through the store ports`],
      ['cold start to first reply, node dist (Docker)', coldDist === undefined ? 'run `npm run build` first' : `${coldDist.toFixed(0)} ms`, 'target < 1,000 ms; median of ' + COLD_STARTS],
      ['cold start to first reply, npm start (tsx)', `${coldTsx.toFixed(0)} ms`, 'median of ' + COLD_STARTS],
      ['reminders dispatched/s', (nudgeBench.sent / nudgeBench.seconds).toFixed(0), `${nudgeBench.sent} of ${nudgeBench.nudges} due, two pumps at once; target ≥ 5,000`],
      ['reminders sent twice', String(nudgeBench.duplicates), 'must be 0'],
      ['a link code asked for with the code space full', `${codes.ms.toFixed(1)} ms`, `answers "${codes.status}" after 8 draws (before: looped forever)`],
      ['turn with a 4,000-character message at the menu', `${longText.menuMs.toFixed(2)} ms`, 'slowest of six shapes (spaces, punctuation, words, newlines, Arabic, dates), median of 30; long texts are not matched against commands'],
      ['turn with a 500-character call note', `${longText.noteMs.toFixed(2)} ms`, 'slowest of the same shapes, median of 30'],
      ["another person's first reply, one sending 40 at once", `${burst.victimMs.toFixed(0)} ms`, `Telegram polling, fake Bot API, production flood policy; target < 1,000 ms; the burst had ${burst.answered} replies by then; told ${burst.refusedNotices}× that the overflow was not read`],
    ];
    console.log(`Guichet benchmark: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}`);
    printTable([['measure', 'value', 'note'], ...rows]);
    const mongodbUri = process.env.MONGODB_URI;
    if (mongodbUri) {
      console.log('\nThe same runs on both stores (smaller counts):');
      printTable(await compareStores(mongodbUri));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
