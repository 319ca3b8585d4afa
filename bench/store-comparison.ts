import { engineRun, percentile } from './engine-run.js';
import { nudgeRun } from './nudge-run.js';
import { mongoTarget, sqliteTarget, type StoreTarget } from './store-targets.js';

/**
 * Far smaller than the main table's runs. FerretDB 1.24 on SQLite reads a
 * whole collection for any filter other than `{_id}` alone (the only one its
 * SQLite backend pushes down), so its cost grows with the data; these counts
 * keep the run to a few minutes there. Raise them against a real MongoDB.
 */
const PEOPLE = Number(process.env.BENCH_COMPARE_PEOPLE ?? 20);
const CONCURRENCY = Math.min(20, PEOPLE);
const CALM_PEOPLE = Math.min(PEOPLE, 10);
const NUDGE_PEOPLE = Number(process.env.BENCH_COMPARE_NUDGE_PEOPLE ?? 100);

interface Figures {
  label: string;
  messages: number;
  rate: number;
  p99: number;
  busyP99: number;
  nudgeRate: number;
  nudgesSent: number;
  twice: number;
}

async function measure(fresh: () => Promise<StoreTarget>): Promise<Figures> {
  const busyTarget = await fresh();
  const busy = await engineRun(busyTarget, PEOPLE, CONCURRENCY, 'busy');
  await busyTarget.dispose();
  const calmTarget = await fresh();
  const calm = await engineRun(calmTarget, CALM_PEOPLE, 1, 'calm');
  await calmTarget.dispose();
  const nudgeTarget = await fresh();
  const nudges = await nudgeRun(nudgeTarget, NUDGE_PEOPLE);
  return {
    label: busyTarget.label,
    messages: busy.messages,
    rate: busy.messages / busy.seconds,
    p99: percentile(calm.latencies, 99),
    busyP99: percentile(busy.latencies, 99),
    nudgeRate: nudges.sent / nudges.seconds,
    nudgesSent: nudges.sent,
    twice: nudges.duplicates,
  };
}

/**
 * The same runs on SQLite and on the MongoDB server of `baseUri` (FerretDB in
 * CI), side by side: rows of [measure, SQLite, server, note].
 */
export async function compareStores(baseUri: string): Promise<string[][]> {
  const sqlite = await measure(async () => sqliteTarget());
  const mongo = await measure(() => mongoTarget(baseUri));
  const both = (f: (x: Figures) => string) => [f(sqlite), f(mongo)];
  return [
    ['measure', sqlite.label, mongo.label, 'note'],
    ['people, messages', ...both((x) => `${PEOPLE}, ${x.messages}`), `every route; ${CONCURRENCY} people at once`],
    ['engine messages/s', ...both((x) => x.rate.toFixed(0)), 'one process'],
    ['handling latency p99', ...both((x) => `${x.p99.toFixed(2)} ms`), `one message in flight, ${CALM_PEOPLE} people`],
    [`p99 with ${CONCURRENCY} people at once`, ...both((x) => `${x.busyP99.toFixed(2)} ms`), 'includes waiting for the others'],
    ['reminders dispatched/s, two pumps', ...both((x) => x.nudgeRate.toFixed(0)), `${NUDGE_PEOPLE * 5} due; two store connections, as two processes`],
    ['reminders sent', ...both((x) => String(x.nudgesSent)), `of ${NUDGE_PEOPLE * 5}`],
    ['reminders sent twice', ...both((x) => String(x.twice)), 'must be 0'],
  ];
}
