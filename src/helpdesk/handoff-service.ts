import type { FlowId, FlowParams, Text } from '../../machines/lib/intents.js';
import type { Clock } from '../engine/clock.js';
import { queueHelpdeskErasure, type HandoffSettings, type HelpdeskAction } from '../engine/handoff-effects.js';
import type { Renderer } from '../engine/render.js';
import { notifyPerson, sendPaced } from '../engine/send-unprompted.js';
import type { Logger } from '../log/logger.js';
import type { OutboundFileType, OutboundMessage, Outbox } from '../messages.js';
import type { Handoff, HandoffMessage, Store } from '../store/ports.js';
import type { Vault } from '../vault/vault.js';
import { CANNED_REPLIES, cannedKey, looksCanned } from './canned-replies.js';
import { caseSummary } from './case-summary.js';
import type { FromVolunteer, Helpdesk, HelpdeskFile } from './helpdesk.js';
import type { VolunteerTexts } from './volunteer-texts.js';

export interface HandoffServiceDeps {
  readonly store: Store;
  readonly helpdesk: Helpdesk;
  readonly settings: HandoffSettings;
  readonly renderer: Renderer;
  readonly outbox: Outbox;
  readonly vault: Vault;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Open time without a volunteer's answer after which the person is told and the coordinators flagged. */
  readonly firstResponseMs: number;
  /** What volunteers read (content/helpdesk/fr.json). */
  readonly texts: VolunteerTexts;
  /** Opens a flow for a person who did not just write (the engine's `startFlowFor`). */
  readonly startFlowFor: (personId: string, key: string, flow: FlowId, params?: FlowParams) => Promise<void>;
}

/** Handoffs and messages taken per pass: a backlog drains over several passes, never in one burst. */
const BATCH = 100;
/** Delivery tries of one message before it is marked failed and reported. */
const MAX_ATTEMPTS = 5;
/** Open conversations read again per pass (every 5 minutes). */
const RECONCILE_BATCH = 1_000;
/** Time between two tries of one message. */
const RETRY_AFTER_MS = 30_000;
/** Messages whose tries are being counted, at most (bounded: a hostile flood cannot grow it). */
const MAX_TRACKED = 10_000;

const FILE_TYPES: readonly OutboundFileType[] = ['application/pdf', 'image/jpeg', 'image/png', 'image/webp', 'image/heic'];

/**
 * Between the people and the volunteers: makes each handoff at the helpdesk
 * with its summary, delivers what the person wrote (kept pending until the
 * helpdesk took it), relays the volunteers' replies in the person's language
 * and channel, notices closings, flags a person left without an answer, reads
 * conversations again for lost webhooks, and erases what retention or the
 * person asks. Every step is idempotent, so passes can overlap across
 * processes and restarts.
 */
export class HandoffService {
  private readonly attempts = new Map<string, { tries: number; at: number }>();
  /** Files of volunteers' replies not yet delivered (kept in memory only: a restart sends the words alone). */
  private readonly files = new Map<string, HelpdeskFile | null>();
  private running: Promise<void> | undefined;
  private again = false;
  private timers: NodeJS.Timeout[] = [];
  /** Closings and erasures asked by turns, still on their way to the helpdesk. */
  private readonly background = new Set<Promise<void>>();

  constructor(private readonly deps: HandoffServiceDeps) {}

  async start(intervals = { syncMs: 30_000, waitingMs: 60_000, reconcileMs: 5 * 60_000 }): Promise<void> {
    await this.deps.helpdesk.start({
      volunteerMessage: (m) => this.volunteerMessage(m),
      closed: (conversationId) => this.closedByVolunteers(conversationId),
    });
    const every = (ms: number, run: () => Promise<unknown>) => {
      const timer = setInterval(() => void run().catch((error: unknown) => this.warn(error, 'a helpdesk pass failed')), ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(intervals.syncMs, async () => this.kick());
    every(intervals.waitingMs, () => this.checkWaiting());
    every(intervals.reconcileMs, () => this.reconcile());
    this.kick();
  }

  async stop(): Promise<void> {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    await this.idle();
    await this.deps.helpdesk.stop();
  }

  /** What a saved turn asked: handed over at once, done in the background. */
  afterTurn(actions: readonly HelpdeskAction[]): void {
    for (const action of actions) {
      if (action.type === 'sync') this.kick();
      else if (action.type === 'close') this.inBackground(this.closeAtHelpdesk(action.handoffId).catch((error: unknown) => this.warn(error, 'closing at the helpdesk failed')));
      else this.inBackground(this.reopenAtHelpdesk(action.handoffId).catch((error: unknown) => this.warn(error, 'reopening at the helpdesk failed')));
    }
  }

  /** Run a sync now, or once more after the one running: one at a time, none lost. */
  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.sync().catch((error: unknown) => this.warn(error, 'a helpdesk sync failed'));
      } while (this.again);
    })().finally(() => (this.running = undefined));
  }

  private inBackground(task: Promise<void>): void {
    this.background.add(task);
    void task.finally(() => this.background.delete(task));
  }

  /** Resolves when no sync, closing or erasure is running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running || this.background.size > 0) {
      await this.running;
      await Promise.all([...this.background]);
    }
  }

  /** Erase what was asked, make new handoffs at the helpdesk, then deliver what waits on either side. */
  async sync(): Promise<void> {
    const { store } = this.deps;
    await this.eraseQueued();
    // One item that fails never holds up the others: each is tried again at the next pass.
    for (const handoff of await store.handoffs.listUnmade(BATCH)) await this.makeAtHelpdesk(handoff).catch((error: unknown) => this.warn(error, 'a conversation could not be made at the helpdesk'));
    for (const message of await store.handoffs.listPending('person', BATCH)) {
      await this.deliverToVolunteers(message).catch((error: unknown) => this.warn(error, 'a message could not be prepared for the volunteers'));
    }
    for (const message of await store.handoffs.listPending('volunteer', BATCH)) {
      const handoff = await store.handoffs.get(message.handoffId);
      if (!handoff) continue;
      const file = this.files.get(message.id) ?? null;
      await this.deliverToPerson(handoff, message, file).catch((error: unknown) => this.warn(error, 'a reply could not be delivered'));
      this.files.delete(message.id);
    }
  }

  private async makeAtHelpdesk(handoff: Handoff): Promise<void> {
    const { store, helpdesk, renderer } = this.deps;
    const summary = await caseSummary(store, renderer, this.deps.texts, handoff);
    const opened = await helpdesk.open({ handoffId: handoff.id, pseudonym: handoff.pseudonym, language: summary.language, departement: summary.departement, route: summary.route, summary: summary.text });
    if (!(await store.handoffs.setExternalId(handoff.id, opened.conversationId, opened.data))) {
      // Another process made it first: this copy would only confuse the volunteers.
      await helpdesk.erase(opened.conversationId, opened.data).catch((error: unknown) => this.warn(error, 'a duplicate helpdesk conversation could not be removed'));
    }
  }

  private async deliverToVolunteers(message: HandoffMessage): Promise<void> {
    const { store, helpdesk, vault } = this.deps;
    const handoff = await store.handoffs.get(message.handoffId);
    if (!handoff?.externalId || this.waiting(message.id)) return;
    let file: HelpdeskFile | null = null;
    if (message.vaultItemId) {
      const item = await store.vault.get(message.vaultItemId);
      if (!item) return store.handoffs.setMessageState(message.id, 'failed');
      file = { fileName: `${item.id.slice(0, 8)}.${extensionOf(item.mimeType)}`, mimeType: item.mimeType, bytes: await vault.open(item) };
    }
    try {
      await helpdesk.post(handoff.externalId, handoff.externalData, { text: message.text, file });
      await store.handoffs.setMessageState(message.id, 'delivered');
      this.attempts.delete(message.id);
    } catch (error) {
      if (this.failedOnce(message.id)) {
        await store.handoffs.setMessageState(message.id, 'failed');
        this.warn(error, 'a message could not be passed to the volunteers; given up');
        // Never silence: the person knows to write again, and what to do if it cannot wait.
        await this.tell(handoff.personId, { key: 'helpdesk.not_delivered' });
      }
    }
  }

  /** A volunteer's message, from a webhook or from reading the conversation again: relayed once. */
  async volunteerMessage(m: FromVolunteer): Promise<void> {
    const { store, helpdesk, renderer } = this.deps;
    const handoff = await store.handoffs.byExternalId(helpdesk.kind, m.conversationId);
    if (!handoff) return;
    let text = m.text;
    if (looksCanned(m.text)) {
      const key = cannedKey(m.text);
      const keys = key && Object.hasOwn(CANNED_REPLIES, key) ? CANNED_REPLIES[key] : undefined;
      if (!keys) {
        // Said where only volunteers read; the person gets nothing half-made.
        if (await this.firstTime(handoff.id, m.messageId)) {
          await helpdesk.note(handoff.externalId!, handoff.externalData, this.note('unknown_canned', { keys: Object.keys(CANNED_REPLIES).map((k) => `/t ${k}`).join(', ') }));
        }
        return;
      }
      const language = (await store.people.get(handoff.personId))?.language ?? 'fr';
      text = keys.map((k) => renderer.t(language, k)).join('\n\n');
    }
    const message: HandoffMessage = {
      id: `${handoff.id}:${m.messageId}`,
      handoffId: handoff.id,
      at: this.deps.clock.now(),
      from: 'volunteer',
      author: m.firstName,
      text: text ?? (m.file ? `[${m.file.fileName}]` : null),
      vaultItemId: null,
      state: 'pending',
    };
    if (!(await store.handoffs.addMessage(message))) return;
    if (m.fileLost) await this.noteQuietly(handoff, this.note('file_lost', { pseudonym: handoff.pseudonym }));
    // Delivered by the one pass running, never beside it: a reply goes out once.
    this.files.set(message.id, m.file);
    if (this.files.size > MAX_TRACKED) this.files.delete(this.files.keys().next().value!);
    this.kick();
  }

  /** Record a `/t` mistake once per message id, through the message store's once-only insert. */
  private async firstTime(handoffId: string, messageId: string): Promise<boolean> {
    return this.deps.store.handoffs.addMessage({ id: `${handoffId}:${messageId}`, handoffId, at: this.deps.clock.now(), from: 'volunteer', author: null, text: null, vaultItemId: null, state: 'failed' });
  }

  private async deliverToPerson(handoff: Handoff, message: HandoffMessage, file: HelpdeskFile | null): Promise<void> {
    const { store, outbox, renderer, helpdesk } = this.deps;
    if (this.waiting(message.id)) return;
    const to = await store.people.preferredAddress(handoff.personId);
    if (!to) return store.handoffs.setMessageState(message.id, 'failed');
    const language = (await store.people.get(handoff.personId))?.language ?? 'fr';
    const name = message.author ?? '';
    const out: OutboundMessage[] = [];
    const sendable = file && FILE_TYPES.includes(file.mimeType as OutboundFileType) ? file : null;
    if (sendable) {
      out.push({ kind: 'document', fileName: sendable.fileName, mimeType: sendable.mimeType as OutboundFileType, bytes: sendable.bytes });
      out.push(renderer.message(language, { key: 'helpdesk.file_from_volunteer', params: { name } }));
    }
    if (message.text && !(sendable && message.text === `[${sendable.fileName}]`)) {
      out.push(renderer.message(language, { key: 'helpdesk.from_volunteer', params: { name, text: message.text } }));
    }
    if (out.length === 0) return store.handoffs.setMessageState(message.id, 'failed');
    try {
      // False: the channel's daily cap for unprompted messages is reached; it stays pending for the next pass.
      if (await sendPaced(outbox, to, out)) {
        await store.handoffs.setMessageState(message.id, 'delivered');
        this.attempts.delete(message.id);
      }
    } catch (error) {
      if (this.failedOnce(message.id)) {
        await store.handoffs.setMessageState(message.id, 'failed');
        if (handoff.externalId) {
          await helpdesk
            .note(handoff.externalId, handoff.externalData, this.note('not_delivered', { pseudonym: handoff.pseudonym, tries: MAX_ATTEMPTS }))
            .catch((noteError: unknown) => this.warn(noteError, 'a delivery failure could not be noted at the helpdesk'));
        }
      }
    }
  }

  /** The volunteers closed: the person is told, then asked "Did this help?". */
  async closedByVolunteers(conversationId: string): Promise<void> {
    const { store, helpdesk, clock } = this.deps;
    const handoff = await store.handoffs.byExternalId(helpdesk.kind, conversationId);
    if (!handoff) return;
    const now = clock.now();
    if (!(await store.handoffs.close(handoff.id, now))) return;
    await this.tell(handoff.personId, { key: 'helpdesk.closed_by_volunteers', params: { organisation: this.deps.settings.organisation } });
    await this.deps.startFlowFor(handoff.personId, `helpdesk-closed:${handoff.id}:${now}`, 'handoff', { step: 'feedback' });
  }

  private async closeAtHelpdesk(handoffId: string): Promise<void> {
    const handoff = await this.deps.store.handoffs.get(handoffId);
    if (handoff?.externalId) await this.deps.helpdesk.close(handoff.externalId, handoff.externalData);
  }

  private async reopenAtHelpdesk(handoffId: string): Promise<void> {
    const handoff = await this.deps.store.handoffs.get(handoffId);
    if (handoff?.externalId) await this.deps.helpdesk.reopen(handoff.externalId, handoff.externalData);
  }

  /** Conversations whose person or case was erased, or past retention: removed at the helpdesk; kept queued until it answers. */
  private async eraseQueued(): Promise<void> {
    const { store, helpdesk } = this.deps;
    for (const erasure of await store.handoffs.listErasures(BATCH)) {
      try {
        await helpdesk.erase(erasure.externalId, erasure.externalData);
        await store.handoffs.erasureDone(erasure.id);
      } catch (error) {
        this.warn(error, 'a conversation could not be erased at the helpdesk yet; tried again at the next pass');
      }
    }
  }

  /** A person waiting longer than allowed, in opening hours: told once, and the coordinators flagged. */
  async checkWaiting(): Promise<void> {
    const { store, helpdesk, clock, settings, firstResponseMs } = this.deps;
    const now = clock.now();
    for (const handoff of await store.handoffs.listWaiting(now - firstResponseMs, BATCH)) {
      if (handoff.waitingSince === null || settings.hours.openTimeBetween(handoff.waitingSince, now) < firstResponseMs) continue;
      if (!(await store.handoffs.markFlagged(handoff.id, now))) continue;
      await this.tell(handoff.personId, { key: 'helpdesk.no_answer_yet' });
      if (handoff.externalId) {
        const minutes = Math.round(firstResponseMs / 60_000);
        await helpdesk
          .note(handoff.externalId, handoff.externalData, this.note('waiting', { pseudonym: handoff.pseudonym, minutes }))
          .catch((error: unknown) => this.warn(error, 'the coordinators could not be flagged at the helpdesk'));
      }
    }
  }

  /** Read the open conversations again: a reply or a closing whose webhook was lost is taken now. */
  async reconcile(): Promise<void> {
    const { store, helpdesk } = this.deps;
    for (const handoff of await store.handoffs.listOpen(RECONCILE_BATCH)) {
      if (!handoff.externalId) continue;
      const messages = await helpdesk.volunteerMessages(handoff.externalId, handoff.externalData).catch((error: unknown) => {
        this.warn(error, 'a helpdesk conversation could not be read again');
        return [];
      });
      for (const m of messages) await this.volunteerMessage(m).catch((error: unknown) => this.warn(error, 'a reply read again could not be relayed'));
      // A closing whose webhook was lost: found here, asked about once like any other.
      const closed = await helpdesk.isClosed(handoff.externalId, handoff.externalData).catch(() => false);
      if (closed) await this.closedByVolunteers(handoff.externalId);
    }
  }

  /** Conversations closed longer ago than the retention: erased here, and queued for the helpdesk. */
  async prune(now: number): Promise<number> {
    const { store, settings } = this.deps;
    let removed = 0;
    for (const handoff of await store.handoffs.listClosedBefore(now - settings.retentionDays * 24 * 3600_000, BATCH)) {
      await queueHelpdeskErasure(store, handoff, now);
      if (await store.handoffs.delete(handoff.id)) removed++;
    }
    if (removed > 0) this.kick();
    return removed;
  }

  private async tell(personId: string, text: Text): Promise<void> {
    await notifyPerson(this.deps, personId, text).catch((error: unknown) => this.warn(error, 'a helpdesk notice could not be sent'));
  }

  /** Counts a failed try; true once the message has had its last one. */
  private failedOnce(id: string): boolean {
    const now = this.deps.clock.now();
    const tries = (this.attempts.get(id)?.tries ?? 0) + 1;
    if (this.attempts.size >= MAX_TRACKED && !this.attempts.has(id)) this.attempts.delete(this.attempts.keys().next().value!);
    this.attempts.set(id, { tries, at: now });
    if (tries < MAX_ATTEMPTS) return false;
    this.attempts.delete(id);
    return true;
  }

  /** A message that failed moments ago waits: a short outage must not use up its tries in one burst of passes. */
  private waiting(id: string): boolean {
    const last = this.attempts.get(id);
    return last !== undefined && this.deps.clock.now() - last.at < RETRY_AFTER_MS;
  }

  private async noteQuietly(handoff: Handoff, text: string): Promise<void> {
    if (!handoff.externalId) return;
    await this.deps.helpdesk.note(handoff.externalId, handoff.externalData, text).catch((error: unknown) => this.warn(error, 'a note could not be written at the helpdesk'));
  }

  private note(key: keyof VolunteerTexts['data']['notes'], params: Readonly<Record<string, string | number>>): string {
    return this.deps.texts.fill(this.deps.texts.data.notes[key], params);
  }

  private warn(error: unknown, what: string): void {
    // The error's name only: a message may quote a person's words or a URL with a token.
    this.deps.logger.warn({ err: (error as Error | undefined)?.name ?? 'Error' }, `helpdesk: ${what}`);
  }
}

function extensionOf(mimeType: string): string {
  return { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'image/heic': 'heic' }[mimeType] ?? 'bin';
}
