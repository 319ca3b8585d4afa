import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { LANGUAGES, type Language } from '../../machines/lib/intents.js';
import type { InboundMessage, OutboundMessage } from '../../src/messages.js';
import { SQLITE_FILE_NAME } from '../../src/store/sqlite/sqlite-store.js';
import { ACCEPTED_MIME_TYPES } from '../../src/channels/attachments.js';
import { sniffProofType } from '../../src/vault/sniff-type.js';
import { Vault } from '../../src/vault/vault.js';
import { productionFlows } from '../helpers/flows.js';
import { asText, createTestApp, tempDir } from '../helpers/test-app.js';
import { apologyTexts, containsApology } from './apology.js';
import { ENGINE_RUNS, generatedFile, hostileText, mimeType, typedCode, typedDate } from './arbitraries.js';

/**
 * Hostile and odd input, generated: very long text, control and bidi
 * characters, emoji, every script Guichet meets, dates like 31/02, numbers
 * out of range, six-digit codes, button taps (current and stale), and files
 * whose announced type and size lie. The engine must answer every message,
 * never with the generic error apology and never logging an error, and the
 * store must stay consistent.
 */
const PEOPLE = 50;
const addressOf = (who: number) => `fuzz-${who}`;

const scripts = fc.constantFrom('abc', 'é', 'ع', 'ব', '٣', '۴', '৫', '😀', '\u202e', '\u2066', '\u0000', '\n', '/', '0', '9', ' ', '31/02/2026', 'menu', 'back', 'retour', 'رجوع', '1', '2');
const messageText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.array(scripts, { maxLength: 12 }).map((parts) => parts.join('')),
  fc.integer({ min: -5, max: 100 }).map(String),
  fc.constantFrom('x'.repeat(5000), '\u202e1', '١٢/١٣/٢٠٢٦', '29/02/2025', '00:99', 'delete', '2'),
);

/** Short answers walk people deep into the flows; the rest is hostile. */
const walkingText = fc.oneof(
  { arbitrary: fc.oneof(fc.integer({ min: 0, max: 17 }).map(String), fc.constantFrom('1', '2', '1')), weight: 8 },
  { arbitrary: messageText, weight: 4 },
  { arbitrary: hostileText, weight: 3 },
  { arbitrary: typedDate.map((d) => d.text), weight: 2 },
  { arbitrary: fc.constantFrom('31/02/2026', '29/02/2025', '29/02/2028', '٣١/٠٢/٢٠٢٦', '15/03/2027', '01/01/1899', '28/11/2026'), weight: 2 },
  { arbitrary: typedCode.map((c) => c.text), weight: 1 },
  { arbitrary: fc.constantFrom('export', 'help', 'privacy', 'stop', 'resume', 'language', 'back', 'menu', 'delete'), weight: 1 },
  { arbitrary: fc.constantFrom('x'.repeat(5000), '\u202e'.repeat(4000) + '1', '😀'.repeat(3000), 'ع'.repeat(10_000)), weight: 1 },
);

/** Files no larger than a few KiB (the limit in this app is MAX_BYTES) so that 10,000 messages stay fast. */
const MAX_BYTES = 4096;

/** Mostly a type Guichet accepts (so that the content decides), sometimes anything, sometimes nothing (a photo: image/jpeg). */
const announcedType = fc.oneof(
  { arbitrary: fc.constantFrom(...ACCEPTED_MIME_TYPES), weight: 4 },
  { arbitrary: mimeType, weight: 2 },
  { arbitrary: fc.constant(undefined), weight: 1 },
);

const file = fc.oneof(
  // What the phone says it is has nothing to do with what it is: a ZIP as image/jpeg, a real JPEG as a PDF, noise as a PNG.
  { arbitrary: fc.record({ content: generatedFile(2048), mimeType: announcedType, size: fc.constant<'honest'>('honest') }), weight: 6 },
  // Announced larger than the limit.
  { arbitrary: fc.record({ content: generatedFile(256), mimeType: announcedType, size: fc.integer({ min: MAX_BYTES + 1, max: 2 ** 40 }) }), weight: 1 },
  // Announced small, delivered larger than the limit.
  {
    arbitrary: fc.record({
      content: generatedFile(64).map((c) => ({ ...c, bytes: new Uint8Array([...c.bytes, ...new Uint8Array(MAX_BYTES + 1)]) })),
      mimeType: fc.constantFrom('image/jpeg', 'application/pdf', 'image/png'),
      size: fc.integer({ min: 0, max: 100 }),
    }),
    weight: 1,
  },
  // Announced with a size that is no size at all.
  { arbitrary: fc.record({ content: generatedFile(256), mimeType: announcedType, size: fc.constantFrom(-1, 0, NaN, 0.5) }), weight: 1 },
);

type Step =
  | { readonly kind: 'text'; readonly who: number; readonly text: string }
  | { readonly kind: 'file'; readonly who: number; readonly bytes: Uint8Array; readonly mimeType: string | undefined; readonly size: number | 'honest' }
  | { readonly kind: 'tap'; readonly who: number; readonly option: number; readonly stale: boolean }
  | { readonly kind: 'open'; readonly who: number }
  /** A path into one part of Guichet (the menu numbers of the family, dates or proofs sections), then a random walk. */
  | { readonly kind: 'script'; readonly who: number; readonly texts: readonly string[] }
  /** A link code another person was given earlier in the run, then yes or no to linking (so that people really link up). */
  | { readonly kind: 'code'; readonly who: number; readonly pick: number; readonly consent: string };

/** Time passes between some messages (minutes to days): codes expire, locks lift, dates come closer. */
const later = fc.oneof({ arbitrary: fc.constant(0), weight: 150 }, { arbitrary: fc.integer({ min: 60_000, max: 2 * 24 * 3600_000 }), weight: 1 });

const who = fc.integer({ min: 0, max: PEOPLE - 1 });
const name = fc.oneof(fc.constantFrom('Karim', 'Amina', 'Mum', "N'Golo", 'Ngũgĩ'), hostileText);
const path = fc.oneof(
  // Help someone with a phone: a code is made (picked up from the reply for others to type).
  fc.tuple(name, name).map(([n, l]) => ['menu', '13', '2', '1', n, l]),
  // Help someone without a phone: a case held on their behalf.
  fc.tuple(name).map(([n]) => ['menu', '13', '2', '2', n, '1']),
  fc.constant(['menu', '13', '1']),
  fc.constant(['menu', '13', '3']),
  // Dates and reminders, proofs and documents.
  fc.tuple(typedDate).map(([d]) => ['menu', '11', '1', d.text]),
  fc.constant(['menu', '11']),
  fc.constant(['menu', '12']),
  fc.constant(['menu', '12', '1']),
  fc.constant(['language']),
);
const step: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('text' as const), who, text: walkingText }), weight: 12 },
  { arbitrary: fc.record({ kind: fc.constant('file' as const), who, f: file }).map(({ who: w, f }): Step => ({ kind: 'file', who: w, bytes: f.content.bytes, mimeType: f.mimeType, size: f.size })), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('tap' as const), who, option: fc.integer({ min: 0, max: 18 }), stale: fc.boolean() }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('open' as const), who }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('code' as const), who, pick: fc.nat(), consent: fc.constantFrom('1', '1', '2', 'menu', '31/02/2026') }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('script' as const), who, texts: fc.tuple(path, fc.array(walkingText, { maxLength: 4 })).map(([p, rest]) => [...p, ...rest]) }), weight: 1 },
);
const timedStep = fc.record({ step, later });

type Verdict = 'attachment.unsupported' | 'attachment.too_large' | 'attachment.not_received' | 'kept';

/** What Guichet must say of a file, from what was announced and what was delivered (the same checks, done independently). */
function expectedVerdict(s: Extract<Step, { kind: 'file' }>): Verdict {
  const announcedType = s.mimeType ?? 'image/jpeg';
  const announcedSize = s.size === 'honest' ? s.bytes.length : s.size;
  if (!ACCEPTED_MIME_TYPES.includes(announcedType)) return 'attachment.unsupported';
  if (announcedSize > MAX_BYTES) return 'attachment.too_large';
  if (s.bytes.length > MAX_BYTES) return 'attachment.not_received';
  return sniffProofType(s.bytes) ? 'kept' : 'attachment.unsupported';
}

const isErrorLine = (line: string) => /"level":(50|60)/.test(line);

/** The engine runs share state across runs (one store), so a failure is replayed from the whole seed: FUZZ_SEED=<seed> npx vitest run test/fuzz. */
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);

describe('fuzz: the engine answers anything and keeps its state', () => {
  const app = createTestApp();
  const apologies = apologyTexts(app.renderer);
  afterAll(() => app.close());

  it(`answers ${ENGINE_RUNS} generated text messages from ${PEOPLE} people without failing`, async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: PEOPLE - 1 }), messageText, async (who, text) => {
        const before = app.outbox.sent.length;
        await app.engine.handle({ channel: 'terminal', address: addressOf(who), messageId: `f${++n}`, kind: 'text', text });
        const replies = app.outbox.sent.slice(before).flatMap((s) => s.messages);
        // Every message gets an answer (a deletion ends with its confirmation), never the error apology.
        expect(replies.length).toBeGreaterThan(0);
        expect(containsApology(replies.map(asText).join('\n'), apologies)).toBe(false);
      }),
      { numRuns: ENGINE_RUNS },
    );
    expect(app.logLines.filter(isErrorLine)).toEqual([]);
  }, 120_000);
});

describe('fuzz: text, taps and lying files from 50 people; then the store is checked', () => {
  const data = tempDir('guichet-fuzz-');
  const vaultKey = randomBytes(32);
  const app = createTestApp({ dataDir: data.dir, vaultKey, maxAttachmentBytes: MAX_BYTES });
  const apologies = apologyTexts(app.renderer);
  const flows = productionFlows();
  afterAll(async () => {
    await app.close();
    data.remove();
  });

  /** Link codes shown to helpers during the run ("48 29 13 55 70"), for other people to type. */
  const codesSeen: string[] = [];
  /** Question tokens each person was shown, to tap old buttons. */
  const tokensSeen = new Map<string, string[]>();
  const counts = { text: 0, file: 0, tap: 0, open: 0, code: 0, script: 0, filesKept: 0 };
  const verdicts: Record<Verdict, number> = { 'attachment.unsupported': 0, 'attachment.too_large': 0, 'attachment.not_received': 0, kept: 0 };
  async function languageOf(address: string): Promise<Language | null> {
    const personId = await app.store.people.resolveIdentity('terminal', address, app.clock.now());
    return (await app.store.people.get(personId))?.language ?? null;
  }
  let n = 0;

  /** Deliver one step; each inner list is the replies to one message. */
  async function run(s: Step): Promise<OutboundMessage[][]> {
    const address = addressOf(s.who);
    const messageId = `fz${++n}`;
    counts[s.kind]++;
    switch (s.kind) {
      case 'text':
        return [await app.deliver({ channel: 'terminal', address, messageId, kind: 'text', text: s.text })];
      case 'code': {
        // Mostly one of the latest codes (codes live a day), typed at the main menu, then the answer to "do you agree?".
        const recent = codesSeen.slice(s.pick % 4 === 0 ? 0 : -3);
        const code = recent.length > 0 ? recent[s.pick % recent.length]! : '000 000';
        const menu = await app.deliver({ channel: 'terminal', address, messageId: `${messageId}m`, kind: 'text', text: 'menu' });
        const first = await app.deliver({ channel: 'terminal', address, messageId, kind: 'text', text: code });
        return [menu, first, await app.deliver({ channel: 'terminal', address, messageId: `${messageId}c`, kind: 'text', text: s.consent })];
      }
      case 'open':
        return [await app.deliver({ channel: 'terminal', address, messageId, kind: 'open' })];
      case 'script': {
        const all: OutboundMessage[][] = [];
        for (const [i, text] of s.texts.entries()) all.push(await app.deliver({ channel: 'terminal', address, messageId: `${messageId}s${i}`, kind: 'text', text }));
        return all;
      }
      case 'tap': {
        const seen = tokensSeen.get(address) ?? [];
        const token = s.stale ? (seen[s.option % Math.max(seen.length, 1)] ?? 'zz9') : (app.lastQuestion(address)?.token ?? 'zz9');
        const message: InboundMessage = { channel: 'terminal', address, messageId, kind: 'choice', token, option: s.option };
        return [await app.deliver(message)];
      }
      case 'file': {
        const before = app.outbox.sent.length;
        await app.sendFile(address, s.bytes, { ...(s.mimeType !== undefined ? { mimeType: s.mimeType } : {}), ...(s.size !== 'honest' ? { size: s.size } : {}) }, messageId);
        return [app.outbox.sent.slice(before).flatMap((x) => x.messages)];
      }
    }
  }

  it(`answers ${ENGINE_RUNS} generated messages and files without an error or the apology`, async () => {
    await fc.assert(
      fc.asyncProperty(timedStep, async ({ step: s, later: ms }) => {
        app.clock.advance(ms);
        const logsBefore = app.logLines.length;
        // A file from someone who has chosen a language gets a verdict, and the right one.
        const language = s.kind === 'file' ? await languageOf(addressOf(s.who)) : null;
        const batches = await run(s);
        if (s.kind === 'file' && language) {
          const said = batches.flat().map(asText).join('\n');
          const t = (key: string) => app.renderer.text(language, { key });
          const verdict = expectedVerdict(s);
          // The same bytes sent again are kept once, and said so.
          const duplicate = t('proof.duplicate').split(/\{\{|\u2066/)[0]!;
          if (verdict === 'kept') expect([t('proof.received'), t('proof.kept_undescribed'), duplicate].some((x) => said.includes(x)), said).toBe(true);
          else expect(said).toContain(t(verdict));
          verdicts[verdict]++;
        }
        for (const replies of batches) {
          const text = replies.map(asText).join('\n');
          expect(replies.length).toBeGreaterThan(0);
          expect(containsApology(text, apologies)).toBe(false);
          for (const match of text.matchAll(/\b(?:\d\d ){4}\d\d\b/g)) codesSeen.push(match[0]);
          const address = addressOf(s.who);
          for (const r of replies) if (r.kind === 'question') tokensSeen.set(address, [...(tokensSeen.get(address) ?? []).slice(-20), r.token]);
        }
        expect(app.logLines.slice(logsBefore).filter(isErrorLine)).toEqual([]);
      }),
      { numRuns: ENGINE_RUNS, seed: SEED },
    );
    await app.engine.idle();
    expect(app.logLines.filter(isErrorLine)).toEqual([]);
    // The run really mixed all kinds of messages.
    expect(counts.file).toBeGreaterThan(ENGINE_RUNS / 10);
    expect(counts.tap).toBeGreaterThan(ENGINE_RUNS / 20);
  }, 120_000);

  /** The SQLite file itself, read-only, beside the app's own connection. */
  function checkDatabase(): { people: string[]; vaultItems: number; tables: Record<string, number> } {
    const db = new Database(join(data.dir, SQLITE_FILE_NAME), { readonly: true, fileMustExist: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      const people = (db.prepare('SELECT id FROM people').all() as { id: string }[]).map((r) => r.id);
      const vaultItems = (db.prepare('SELECT count(*) AS n FROM vault_items').get() as { n: number }).n;
      expect(db.prepare('SELECT count(*) AS n FROM vault_items WHERE sealed IS NULL OR length(sealed) = 0').get()).toEqual({ n: 0 });
      const names = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
      const tables = Object.fromEntries(names.map((name) => [name, (db.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n]));
      tables.vault_items_described = (db.prepare('SELECT count(*) AS n FROM vault_items WHERE kind IS NOT NULL').get() as { n: number }).n;
      return { people, vaultItems, tables };
    } finally {
      db.close();
    }
  }

  it('leaves a consistent store: integrity, foreign keys, conversations on registered flows, every proof readable', async () => {
    await app.engine.idle();
    const { people, vaultItems } = checkDatabase();
    expect(people.length).toBeGreaterThan(0);
    const vault = new Vault(app.store, vaultKey, MAX_BYTES);
    const itemsListed = new Set<string>();
    for (const personId of people) {
      expect(await app.store.people.get(personId)).toBeDefined();
      const conversation = await app.store.conversations.load(personId);
      if (conversation) {
        expect(conversation.rev).toBeGreaterThan(0);
        expect(conversation.state.frames.length).toBeGreaterThan(0);
        // Nobody gets past onboarding without a language.
        if ((await app.store.people.get(personId))?.language == null) {
          const frames = conversation.state.frames.map((f) => f.machineId);
          expect(frames[0], `person without a language at ${JSON.stringify(frames)} (seed ${SEED})`).toBe('onboarding');
        }
        for (const frame of conversation.state.frames) {
          const definition = flows.get(frame.machineId);
          expect(definition, `frame ${frame.machineId}`).toBeDefined();
          expect(frame.machineVersion).toBe(definition!.version);
        }
      }
      for (const c of await app.store.cases.listForPerson(personId)) {
        expect(await app.store.cases.role(c.id, personId)).toBe(c.role);
        for (const item of await app.store.vault.list(c.id)) {
          itemsListed.add(item.id);
          expect(item.caseId).toBe(c.id);
          expect(await app.store.vault.readSealed(item.id)).toBeDefined();
          // Opens with the key, matches its fingerprint, and is what the vault said it is, whatever was announced.
          const bytes = await vault.open(item);
          expect(bytes.length).toBe(item.size);
          expect(bytes.length).toBeLessThanOrEqual(MAX_BYTES);
          expect(sniffProofType(bytes)).toBe(item.mimeType);
        }
      }
    }
    // No proof is stored that no case lists.
    expect(itemsListed.size).toBe(vaultItems);
    counts.filesKept = vaultItems;
  }, 60_000);

  it('then every person still gets the main menu for 0, on any screen (or, before choosing a language, the language picker)', async () => {
    const menuTitles = new Map<Language, string>(LANGUAGES.map((lang) => [lang, app.renderer.text(lang, { key: 'menu.title' })]));
    const restarted = LANGUAGES.map((lang) => app.renderer.text(lang, { key: 'common.flow_restarted' }));
    const picker = app.renderer.text('en', { key: 'language.choose' });
    const framesOf = async (personId: string) => (await app.store.conversations.load(personId))?.state.frames.map((f) => f.machineId);
    for (let who = 0; who < PEOPLE; who++) {
      const address = addressOf(who);
      const personId = await app.store.people.resolveIdentity('terminal', address, app.clock.now());
      const language = (await app.store.people.get(personId))?.language ?? null;
      // 0 is the main menu everywhere, typed-answer questions included (where "menu" may be an answer).
      const reply = await app.say(address, language ? '0' : 'menu');
      const context = `${address} (language ${language}, seed ${SEED})`;
      expect(containsApology(reply, apologies), context).toBe(false);
      for (const text of restarted) expect(reply, context).not.toContain(text);
      const frames = await framesOf(personId);
      if (language) {
        expect(reply, context).toContain(menuTitles.get(language));
        expect(frames, context).toEqual(['menu']);
      } else {
        // Before a language is chosen "menu" means nothing yet: the picker again. Then English, and the menu.
        expect(frames, `${context}: at ${JSON.stringify(frames)} without a language`).toEqual(['onboarding']);
        expect(reply, context).toContain(picker);
        expect(await app.choose(address, 'English'), context).toContain(menuTitles.get('en'));
        expect(await app.say(address, 'menu'), context).toContain(menuTitles.get('en'));
        expect(await framesOf(personId), context).toEqual(['menu']);
      }
    }
    await app.engine.idle();
    expect(app.logLines.filter(isErrorLine)).toEqual([]);
    const { tables } = checkDatabase();
    // How far the run went: rows in every table (helpers linked, proofs described, dates, reminders…).
    console.info(
      `engine fuzz (seed ${SEED}): ${JSON.stringify(counts)}, file verdicts ${JSON.stringify(verdicts)}, ${new Set(codesSeen).size} distinct link codes seen; rows: ${JSON.stringify(tables)}`,
    );
  }, 60_000);
});
