/**
 * A Guichet process for the crash and scale-out tests: the real engine and
 * pump on SQLite in DATA_DIR, or on MongoDB when MONGODB_URI is set, driven by
 * JSON lines on stdin and reporting on stdout, so the test knows exactly what
 * was acknowledged before it kills the process.
 *
 * In:  {"t":"msg","address":"p1","id":"m1","text":"5"}   handle one message
 *      {"t":"pump","at":1764000000000}                    run the reminder pump once at that time
 * Out: {"reply":"p1","text":"…","to":"m1"}   a reply to message m1, written before it is acknowledged
 *      {"nudge":"p1","text":"…"}   a reminder handed to the channel
 *      {"ack":"m1"} / {"pumped":{…}}
 *
 * Lines are written with writeSync so that what the test reads is exactly
 * what happened before a SIGKILL.
 */
import { randomBytes } from 'node:crypto';
import { writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import pino from 'pino';
import { createEngine } from '../../src/app.js';
import { fixedClock } from '../../src/engine/clock.js';
import type { OutboundMessage, Outbox } from '../../src/messages.js';
import { pumpFor, runPump } from '../../src/reminders/pump.js';
import { openStore } from '../../src/store/open-store.js';
import { asText } from '../helpers/test-app.js';

const out = (value: unknown) => writeSync(1, `${JSON.stringify(value)}\n`);
const dataDir = process.env.DATA_DIR;
if (!dataDir) throw new Error('DATA_DIR is required');

const store = await openStore({ dataDir, mongodbUri: process.env.MONGODB_URI || undefined });
/** The message being handled: one at a time, so every reply belongs to it. */
let handling: string | null = null;
const replies: Outbox = {
  send: async (to, messages: readonly OutboundMessage[]) => {
    for (const m of messages) out({ reply: to.address, text: asText(m), to: handling });
  },
};
const nudges: Outbox = {
  send: async (to, messages: readonly OutboundMessage[]) => {
    for (const m of messages) out({ nudge: to.address, text: asText(m) });
  },
};
const { engine, renderer } = createEngine({
  store,
  outbox: replies,
  logger: pino({ level: 'silent' }),
  clock: fixedClock('2026-11-28T10:00:00+01:00'),
  config: { timeZone: 'Europe/Paris' },
  vaultKey: Buffer.alloc(32, 7),
});
const pump = pumpFor({ store, renderer, outbox: nudges, logger: pino({ level: 'silent' }), config: { timeZone: 'Europe/Paris', quietHours: { from: 21 * 60, to: 9 * 60 } }, claimer: `crash-${process.pid}-${randomBytes(4).toString('hex')}` });

out({ ready: true });
for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  if (!line.trim()) continue;
  const command = JSON.parse(line) as { t: 'msg'; address: string; id: string; text: string } | { t: 'pump'; at: number };
  if (command.t === 'msg') {
    handling = command.id;
    await engine.handle({ channel: 'terminal', address: command.address, messageId: command.id, kind: command.text === '' ? 'open' : 'text', text: command.text } as never);
    out({ ack: command.id });
  } else {
    out({ pumped: await runPump(pump, command.at) });
  }
}
await engine.idle();
await store.close();
