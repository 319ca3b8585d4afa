import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { createEngine } from '../src/app.js';
import type { InboundMessage, Outbox } from '../src/messages.js';
import type { ConversationState } from '../src/store/ports.js';
import { openSqliteStore, SQLITE_FILE_NAME } from '../src/store/sqlite/sqlite-store.js';

/**
 * Run by `bench/run.ts` in child processes, so that what is measured is a
 * process doing only this. Prints one JSON line on stdout.
 *
 *   fill <dir> <count>        a SQLite store holding <count> people, each with
 *                             a conversation taken from a real engine run
 *   measure <dir> <messages>  a fresh engine on that store; <messages> from
 *                             random stored people; memory after GC
 */
const silent = pino({ level: 'silent' });
const nullOutbox: Outbox = { send: async () => undefined };
const gc = (globalThis as { gc?: () => void }).gc;

/** A real snapshot: one person through the engine (English, then halfway through the phone route). */
async function sampleState(): Promise<ConversationState> {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-sample-'));
  const store = openSqliteStore(dir);
  try {
    const { engine } = createEngine({ store, outbox: nullOutbox, logger: silent, config: { timeZone: 'Europe/Paris' }, vaultKey: randomBytes(32) });
    const address = 'sample';
    await engine.handle({ channel: 'terminal', address, messageId: 'o', kind: 'open' });
    // 5: English in the picker; 4: phone; then two steps in.
    for (const [i, text] of ['5', '4', '1', '1'].entries()) await engine.handle({ channel: 'terminal', address, messageId: `m${i}`, kind: 'text', text });
    await engine.idle();
    const id = await store.people.resolveIdentity('terminal', address, 0);
    const person = await store.people.get(id);
    if (person?.language !== 'en') throw new Error(`sample person's language is ${person?.language}, expected en`);
    const stored = await store.conversations.load(id);
    if (!stored) throw new Error('sample person has no stored conversation');
    return stored.state;
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function fileBytes(dir: string): number {
  // After close the write-ahead log is folded in; count it anyway if it is left.
  return [SQLITE_FILE_NAME, `${SQLITE_FILE_NAME}-wal`]
    .map((name) => join(dir, name))
    .filter((path) => existsSync(path))
    .reduce((n, path) => n + statSync(path).size, 0);
}

async function fill(dir: string, count: number) {
  const state = await sampleState();
  const store = openSqliteStore(dir);
  const now = Date.now();
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const id = await store.people.resolveIdentity('terminal', `p${i}`, now);
    await store.people.setLanguage(id, 'en');
    await store.conversations.save(id, state, 0, now);
  }
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  return { count, seconds, snapshotBytes: Buffer.byteLength(JSON.stringify(state)), dbBytes: fileBytes(dir) };
}

async function measure(dir: string, messages: number) {
  const store = openSqliteStore(dir);
  const reader = new Database(join(dir, SQLITE_FILE_NAME), { readonly: true });
  const { stored } = reader.prepare('SELECT count(*) AS stored FROM conversations').get() as { stored: number };
  reader.close();
  const { engine } = createEngine({ store, outbox: nullOutbox, logger: silent, config: { timeZone: 'Europe/Paris' }, vaultKey: randomBytes(32) });
  const texts = ['1', 'menu', '2', '0', '3', 'help'];
  const started = performance.now();
  for (let k = 0; k < messages; k++) {
    const address = `p${Math.floor(Math.random() * stored)}`;
    const message: InboundMessage = { channel: 'terminal', address, messageId: `s${k}`, kind: 'text', text: texts[k % texts.length]! };
    await engine.handle(message);
  }
  const seconds = (performance.now() - started) / 1000;
  await engine.idle();
  // The store stays open, as in a running process: its page cache is part of what it costs.
  gc?.();
  gc?.();
  const { heapUsed, rss } = process.memoryUsage();
  await store.close();
  return { stored, messages, seconds, heapUsed, rss, gc: gc !== undefined };
}

const [mode, dir, n] = process.argv.slice(2);
if (!dir || !n) throw new Error('usage: stored-conversations.ts fill|measure <dir> <count>');
const result = mode === 'fill' ? await fill(dir, Number(n)) : mode === 'measure' ? await measure(dir, Number(n)) : undefined;
if (!result) throw new Error(`unknown mode ${mode}`);
process.stdout.write(JSON.stringify(result) + '\n');
