import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { createEngine } from '../src/app.js';
import type { OutboundMessage, Outbox } from '../src/messages.js';
import type { StoreTarget } from './store-targets.js';
import { sessionFor } from './walks.js';

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * `people` simulated people walk their routes through the real engine on one
 * store, `concurrency` at a time, each sending one message after another.
 */
export async function engineRun(target: StoreTarget, people: number, concurrency: number, prefix: string) {
  const store = await target.open();
  let sent = 0;
  let documents = 0;
  const outbox: Outbox = {
    send: async (_to, messages: readonly OutboundMessage[]) => {
      sent += messages.length;
      documents += messages.filter((m) => m.kind === 'document').length;
    },
  };
  const { engine } = createEngine({ store, outbox, logger: pino({ level: 'silent' }), config: { timeZone: 'Europe/Paris' }, vaultKey: randomBytes(32) });
  const latencies: number[] = [];
  const documentLatencies: number[] = [];
  let counter = 0;
  let documentsBefore = 0;
  const person = async (i: number) => {
    const address = `${prefix}-${i}`;
    const handle = async (message: Parameters<typeof engine.handle>[0]) => {
      const t0 = performance.now();
      documentsBefore = documents;
      await engine.handle(message);
      // Turns that write a PDF are timed apart: font embedding dominates them.
      (documents > documentsBefore ? documentLatencies : latencies).push(performance.now() - t0);
    };
    await handle({ channel: 'terminal', address, messageId: `o${++counter}`, kind: 'open' });
    for (const text of sessionFor(i)) await handle({ channel: 'terminal', address, messageId: `m${++counter}`, kind: 'text', text });
  };
  const started = performance.now();
  // `concurrency` people at a time, each sending one message after another.
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < people) await person(next++);
  }));
  const seconds = (performance.now() - started) / 1000;
  await engine.idle();
  await store.close();
  latencies.sort((a, b) => a - b);
  documentLatencies.sort((a, b) => a - b);
  return { messages: latencies.length + documentLatencies.length, seconds, latencies, documentLatencies, replies: sent };
}

