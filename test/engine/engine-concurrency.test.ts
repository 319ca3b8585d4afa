import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../src/messages.js';
import { SQLITE_FILE_NAME } from '../../src/store/sqlite/sqlite-store.js';
import { asText, createTestApp, tempDir } from '../helpers/test-app.js';

/**
 * Hardening: "1,000 simulated people interleaved: no reply ever reaches the
 * wrong person; one person's burst is processed in order."
 *
 * One engine on one SQLite store. Everything is fired at once:
 * - 1,000 people, each sending their own messages one after another (but
 *   without waiting for anybody else), record an appointment whose place
 *   carries a marker unique to them (`Salle P0042`), then look at their dates;
 * - 20 people each fire a 32-message script all at once (nothing awaited
 *   between their own messages), a script whose outcome depends on order;
 * - one control person sends the same script strictly one message at a time.
 * Afterwards the recording outbox and the store are checked.
 */

type App = ReturnType<typeof createTestApp>;

const PEOPLE = 1_000;
const BURSTERS = 20;
const OPEN = '\u0000open';

const pad = (i: number) => String(i).padStart(4, '0');
/** Markers have a fixed width so that no marker is a substring of another. */
const MARKER = /\b[PBC]\d{4}\b/g;

// --- the 1,000 people ---------------------------------------------------------

const personAddress = (i: number) => `person-${pad(i)}`;
const personMarker = (i: number) => `P${pad(i)}`;
/** Each person's appointment differs in day and time too, to check what was stored. */
const appointmentOf = (i: number) => {
  const day = (i % 28) + 1;
  const hour = 8 + (i % 10);
  const minute = i % 60;
  return {
    day,
    typedDate: `${day}/12/2026`,
    typedTime: `${hour}h${String(minute).padStart(2, '0')}`,
    stored: { date: `2026-12-${String(day).padStart(2, '0')}`, time: `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`, place: `Salle ${personMarker(i)}` },
  };
};
/** Onboarding in English, "My dates", an appointment, then "My dates" again from the menu. */
const personScript = (i: number): string[] => {
  const a = appointmentOf(i);
  return [OPEN, '5', '4', '3', a.typedDate, '1', a.typedTime, a.stored.place, 'menu', '4'];
};

// --- the bursts -----------------------------------------------------------------

const burstAddress = (i: number) => `burst-${pad(i)}`;
const burstMarker = (i: number) => `B${pad(i)}`;
const CONTROL_ADDRESS = 'control-0000';
const CONTROL_MARKER = 'C0000';

/**
 * 32 messages whose meaning depends on their order: numbers mean something
 * else on every screen, "back" and "menu" move, a wrong date is corrected,
 * and a call log and an appointment are saved along the way. It ends inside
 * the date overlay of a second call log, so the final state is distinctive.
 */
const burstScript = (marker: string): string[] => [
  OPEN, '5', // English, main menu
  '3', '2', '3', 'back', // ways to an appointment, phone route, next, back to its first step
  '1', '3', '24', '11', '1', '1', // note a call on another day: 24, November, 2026, confirmed
  '9h15', '01 23 45 67 89', 'Mme Durand', '2', `Rappeler lundi ${marker}`, // time, number, name, "call back", note: saved
  'menu', '4', '3', '02/12/2026', '2', // my dates, an appointment on 2 December… no
  '03/12/2026', '1', '9h30', `Salle ${marker}`, // …on 3 December, yes, time and place: saved
  'menu', '3', '2', '2', '1', '3', // phone route, my saved calls, note a call, another day
];

// --- harness ----------------------------------------------------------------------

function send(app: App, address: string, text: string, messageId?: string): Promise<unknown> {
  if (text === OPEN) return app.deliver({ channel: 'terminal', address, messageId: messageId ?? `open-${address}`, kind: 'open' });
  return messageId ? app.say(address, text, messageId) : app.say(address, text);
}

/** What an address received, one entry per `outbox.send`, with its own marker replaced so that transcripts compare. */
function batchesTo(app: App, address: string, ownMarker: string): string[] {
  return app.outbox.sent
    .filter((s) => s.to.address === address)
    .map((s) => JSON.stringify(s.messages.map(comparable)).replaceAll(ownMarker, '<MARKER>'));
}

function comparable(m: OutboundMessage): unknown {
  return m.kind === 'document' ? { kind: m.kind, fileName: m.fileName, mimeType: m.mimeType, size: m.bytes.length } : m;
}

const markerOf = new Map<string, string>([
  ...Array.from({ length: PEOPLE }, (_, i) => [personAddress(i), personMarker(i)] as const),
  ...Array.from({ length: BURSTERS }, (_, i) => [burstAddress(i), burstMarker(i)] as const),
  [CONTROL_ADDRESS, CONTROL_MARKER],
]);

describe('1,000 people at once on one engine', () => {
  const temp = tempDir('guichet-concurrency-');
  let app: App;
  let elapsedMs = 0;

  beforeAll(async () => {
    app = createTestApp({ dataDir: temp.dir });
    const started = performance.now();
    const people = Array.from({ length: PEOPLE }, async (_, i) => {
      // One after another for this person, interleaved with everyone else.
      for (const text of personScript(i)) await send(app, personAddress(i), text);
    });
    const bursts = Array.from({ length: BURSTERS }, (_, i) =>
      // All 32 at once: nothing awaited between this person's own messages.
      Promise.all(burstScript(burstMarker(i)).map((text, n) => send(app, burstAddress(i), text, `burst-${i}-${n}`))),
    );
    const control = (async () => {
      for (const [n, text] of burstScript(CONTROL_MARKER).entries()) await send(app, CONTROL_ADDRESS, text, `control-${n}`);
    })();
    await Promise.all([...people, ...bursts, control]);
    await app.engine.idle();
    elapsedMs = performance.now() - started;
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    temp.remove();
  });

  it('handles every message within the time budget, with no failed turn', () => {
    expect(elapsedMs).toBeLessThan(60_000);
    const logs = app.logLines.join('');
    expect(logs).not.toMatch(/turn failed/);
    const errorText = 'something went wrong on my side';
    expect(app.outbox.sent.flatMap((s) => s.messages.map(asText)).some((t) => t.includes(errorText))).toBe(false);
  });

  it('never sends a reply to the wrong person: every message to an address carries only that address’s marker', () => {
    let checked = 0;
    for (const { to, messages } of app.outbox.sent) {
      const own = markerOf.get(to.address);
      expect(own, `a reply went to an address nobody wrote from: ${to.address}`).toBeDefined();
      expect(to.channel).toBe('terminal');
      for (const m of messages) {
        const markers = new Set(asText(m).match(MARKER) ?? []);
        for (const found of markers) expect(found, `to ${to.address}`).toBe(own);
        checked += markers.size;
      }
    }
    // Each of the 1,000 saw their marker in two replies (after saving, and in "My dates" again);
    // each burster and the control person in the call record and in their dates.
    expect(checked).toBe(PEOPLE * 2 + (BURSTERS + 1) * 2);
  });

  it('gives each of the 1,000 people one reply per message, their confirmation and their own dates', () => {
    const byAddress = new Map<string, { messages: readonly OutboundMessage[] }[]>();
    for (const s of app.outbox.sent) byAddress.set(s.to.address, [...(byAddress.get(s.to.address) ?? []), s]);
    for (let i = 0; i < PEOPLE; i++) {
      const address = personAddress(i);
      const batches = (byAddress.get(address) ?? []).map((s) => s.messages.map(asText).join('\n\n'));
      const script = personScript(i);
      expect(batches, address).toHaveLength(script.length);
      const a = appointmentOf(i);
      const day = `${a.day} December 2026 (${String(a.day).padStart(2, '0')}/12/2026)`;
      const line = `Appointment: ${day} at ${a.stored.time}, Salle ${personMarker(i)}`;
      // The reply to the place: the confirmation and the overview with their appointment.
      expect(batches[7], address).toContain(`Saved: ${day}.`);
      expect(batches[7], address).toContain(line);
      // The reply to "My dates" afterwards.
      expect(batches[9], address).toContain(line);
    }
  });

  it('processes each burst in arrival order: same replies, batch by batch, as the person who waited each time', () => {
    const control = batchesTo(app, CONTROL_ADDRESS, CONTROL_MARKER);
    expect(control).toHaveLength(burstScript(CONTROL_MARKER).length);
    // The control transcript went where the script says (so order matters in it).
    const controlText = app.outbox.transcript(CONTROL_ADDRESS);
    expect(controlText).toContain("COMPTE-RENDU D'APPEL");
    expect(controlText).toContain(`Rappeler lundi ${CONTROL_MARKER}`);
    expect(controlText).toContain(`Appointment: 3 December 2026 (03/12/2026) at 09:30, Salle ${CONTROL_MARKER}`);
    expect(controlText).toMatch(/You have saved 1 call/);
    expect(app.lastQuestion(CONTROL_ADDRESS)!.text).toMatch(/What day of the month/);
    for (let i = 0; i < BURSTERS; i++) {
      const address = burstAddress(i);
      const batches = batchesTo(app, address, burstMarker(i));
      expect(batches, address).toHaveLength(control.length);
      for (const [n, batch] of batches.entries()) expect(batch, `${address}, reply to message ${n} (${burstScript('')[n]})`).toBe(control[n]);
    }
  });

  it('stores for each burst person exactly the state the control person reached, with the same records', async () => {
    const { store } = app;
    const controlId = await store.people.resolveIdentity('terminal', CONTROL_ADDRESS, 0);
    const control = (await store.conversations.load(controlId))!;
    expect(control.rev).toBe(burstScript('').length);
    expect(control.state.frames.map((f) => f.machineId)).toEqual(['route.phone', 'ask.date']);
    const controlCase = await store.cases.ensureOwnCase(controlId, 0);
    const strip = (marker: string, value: unknown) => JSON.parse(JSON.stringify(value).replaceAll(marker, '<MARKER>'));
    const controlDates = strip(CONTROL_MARKER, (await store.reminders.listDates(controlCase)).map(({ kind, data }) => ({ kind, data })));
    const controlCalls = strip(CONTROL_MARKER, (await store.cases.listRecords(controlCase, 'call-log')).map((r) => r.data));
    expect(controlDates).toEqual([{ kind: 'appointment', data: { date: '2026-12-03', time: '09:30', place: 'Salle <MARKER>' } }]);
    expect(controlCalls).toHaveLength(1);

    for (let i = 0; i < BURSTERS; i++) {
      const personId = await store.people.resolveIdentity('terminal', burstAddress(i), 0);
      const stored = (await store.conversations.load(personId))!;
      expect(stored.rev, burstAddress(i)).toBe(control.rev);
      expect(stored.state, burstAddress(i)).toEqual(control.state);
      const caseId = await store.cases.ensureOwnCase(personId, 0);
      const dates = (await store.reminders.listDates(caseId)).map(({ kind, data }) => ({ kind, data }));
      expect(strip(burstMarker(i), dates)).toEqual(controlDates);
      const calls = (await store.cases.listRecords(caseId, 'call-log')).map((r) => r.data);
      expect(strip(burstMarker(i), calls)).toEqual(controlCalls);
    }
  });

  it('loses nothing in the store: one person, one conversation at the right revision, and their own appointment each', async () => {
    const { store } = app;
    for (let i = 0; i < PEOPLE; i++) {
      const address = personAddress(i);
      const personId = await store.people.resolveIdentity('terminal', address, 0);
      const stored = await store.conversations.load(personId);
      // Every message was one saved turn.
      expect(stored?.rev, address).toBe(personScript(i).length);
      expect(stored!.state.frames.map((f) => f.machineId), address).toEqual(['dates']);
      expect((await store.people.get(personId))?.language, address).toBe('en');
      const caseId = await store.cases.ensureOwnCase(personId, 0);
      const dates = await store.reminders.listDates(caseId);
      expect(dates.map(({ kind, data }) => ({ kind, data })), address).toEqual([{ kind: 'appointment', data: appointmentOf(i).stored }]);
    }

    // No identity resolved twice into two people, no stray conversation or case.
    const everyone = PEOPLE + BURSTERS + 1;
    const db = new Database(join(temp.dir, SQLITE_FILE_NAME), { readonly: true });
    try {
      const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
      expect(count('SELECT COUNT(*) AS n FROM people')).toBe(everyone);
      expect(count('SELECT COUNT(*) AS n FROM identities')).toBe(everyone);
      expect(count('SELECT COUNT(*) AS n FROM conversations')).toBe(everyone);
      expect(count('SELECT COUNT(DISTINCT person_id) AS n FROM identities')).toBe(everyone);
      expect(count('SELECT COUNT(*) AS n FROM cases')).toBe(everyone);
      expect(count("SELECT COUNT(*) AS n FROM case_dates WHERE kind = 'appointment'")).toBe(everyone);
      expect(count("SELECT COUNT(*) AS n FROM case_records WHERE kind = 'call-log'")).toBe(BURSTERS + 1);
      expect(count('SELECT COUNT(*) AS n FROM processed_messages')).toBe(PEOPLE * 10 + (BURSTERS + 1) * burstScript(CONTROL_MARKER).length);
    } finally {
      db.close();
    }
  });
});
