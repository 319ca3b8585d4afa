import { isLanguage, LANGUAGES, type FlowId, type FlowParams, type GlobalCommand, type Language } from '../../machines/lib/intents.js';
import type { FlowRegistry } from '../../machines/registry.js';
import { RevisionConflictError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import type { Address, ChannelName, InboundMessage, OutboundMessage, Outbox } from '../messages.js';
import type { Store } from '../store/ports.js';
import type { DocumentMaker, MadeDocument } from '../documents/make-document.js';
import type { EvidenceInput } from '../documents/evidence-file.js';
import type { LinkCodes } from '../cases/link-codes.js';
import type { Vault } from '../vault/vault.js';
import type { FactIndex } from '../content/fact-index.js';
import type { PlaceDirectory } from '../places/place-directory.js';
import type { ReminderService } from '../reminders/reminder-service.js';
import { normalizeInput } from '../text/normalize-input.js';
import { DateWords } from '../text/date-words.js';
import type { Clock } from './clock.js';
import { KeyedLock } from './keyed-lock.js';
import { notifyPerson, sendPaced } from './send-unprompted.js';
import type { HandoffSettings, HelpdeskAction } from './handoff-effects.js';
import type { FloodControl } from './flood-control.js';
import { buildCommandWords, type CommandWords, type InboundInput } from './interpret-input.js';
import type { Renderer } from './render.js';
import { PersonGoneError, Turn, type Notice, type TurnResult } from './turn.js';

export interface EngineOptions {
  readonly store: Store;
  readonly flows: FlowRegistry;
  readonly renderer: Renderer;
  readonly outbox: Outbox;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly places: PlaceDirectory;
  readonly documents: DocumentMaker;
  readonly reminders: ReminderService;
  readonly vault: Vault;
  readonly links: LinkCodes;
  readonly evidence: (input: EvidenceInput) => Promise<MadeDocument>;
  readonly caseRetentionMonths: number;
  /** The facts behind each sentence, for "source". */
  readonly facts: FactIndex;
  /**
   * Per-person flood control on the channels where strangers can write
   * (Telegram, WhatsApp); the terminal is one person at a keyboard or a script.
   */
  readonly flood?: { readonly control: FloodControl; readonly channels: readonly ChannelName[] };
  /** Reload-and-retry attempts when another process saved the same conversation first. */
  readonly maxConflictRetries?: number;
  /** The volunteers' helpdesk, when one is configured: its settings for the turns… */
  readonly handoff?: HandoffSettings;
  /** …and what to do once a turn asked something of it. */
  readonly helpdesk?: { afterTurn(actions: readonly HelpdeskAction[]): void };
}

const IDENTITY_CACHE_SIZE = 10_000;
/** Up to this many milliseconds per attempt between a revision conflict and the retry. */
const CONFLICT_BACKOFF_MS = 20;

/**
 * The engine takes one inbound message through one turn: lock the person,
 * drop a message already seen, load, apply, run effects, persist on `rev`,
 * then send. It never imports a channel or a platform library.
 */
export class Engine {
  private readonly locks = new KeyedLock();
  /** Per sender (channel and address), only while their identity is being resolved. */
  private readonly arrivals = new KeyedLock();
  private readonly identities = new Map<string, string>();
  private readonly commands: CommandWords;
  private readonly dateWords: DateWords;

  constructor(private readonly options: EngineOptions) {
    const { renderer } = options;
    // "Talk to a person" is a word only where volunteers read: elsewhere it is ordinary text.
    this.commands = buildCommandWords((command) =>
      command === 'person' && !options.handoff ? [] : LANGUAGES.flatMap((lang) => renderer.t(lang, `commands.${command}`).split('|')),
    );
    this.dateWords = DateWords.fromLocales((lang, key) => renderer.t(lang, key));
  }

  /** The words for each command in one language, first one first, for help texts. */
  commandWord(lang: Language, command: GlobalCommand): string {
    return this.options.renderer.t(lang, `commands.${command}`).split('|')[0]!;
  }

  async handle(message: InboundMessage): Promise<void> {
    const flood = this.options.flood && this.options.flood.channels.includes(message.channel) ? this.options.flood.control : undefined;
    const key = identityKey(message);
    if (flood) {
      const { admission, firstRefusal } = flood.admit(key);
      if (admission === 'refused') {
        // Not claimed, not saved: refused as a whole, and the person is told once.
        if (firstRefusal) await this.replyOutsideTurn(addressOf(message), this.identities.get(key), 'flood.refused').catch(() => undefined);
        return;
      }
    }
    try {
      await this.handleWithRetry(message, flood);
    } finally {
      flood?.done(key);
    }
  }

  private async handleWithRetry(message: InboundMessage, flood: FloodControl | undefined): Promise<void> {
    try {
      await this.handleOnce(message, flood);
    } catch (error) {
      if (!(error instanceof PersonGoneError)) throw error;
      // Erased meanwhile (by another process): start afresh as a new person.
      this.identities.delete(identityKey(message));
      await this.handleOnce(message, undefined);
    }
  }



  /** Resolves once every turn in progress has finished. */
  idle(): Promise<void> {
    return this.locks.idle();
  }

  private async handleOnce(message: InboundMessage, flood: FloodControl | undefined): Promise<void> {
    // Channels hand messages over as they arrive, without waiting for turns to finish: who
    // a message is from is resolved one at a time per sender, so that their turns queue
    // behind the person's lock in arrival order. (Wrapped: a promise returned bare would be awaited.)
    const queued = await this.arrivals.run(identityKey(message), async () => ({ turn: this.queueTurn(await this.personFor(message), message, flood) }));
    await queued.turn;
  }

  private queueTurn(personId: string, message: InboundMessage, flood: FloodControl | undefined): Promise<void> {
    const { store, clock, logger, outbox } = this.options;
    return this.locks.run(personId, async () => {
      // Waits here, in order, when the person sends faster than anyone types.
      if (flood && (await flood.pace(identityKey(message))) === 'slowed-first') await this.replyOutsideTurn(addressOf(message), personId, 'flood.slowed').catch(() => undefined);
      const claimKey = `${message.channel}:${message.messageId}`;
      let replies: readonly OutboundMessage[];
      let notices: readonly Notice[];
      try {
        // Writing again means the person can be reached here again (they unblocked the bot).
        await store.people.markReachable(message.channel, message.address, clock.now());
        if (await store.processed.seen(claimKey)) {
          logger.debug({ channel: message.channel }, 'duplicate message dropped');
          return;
        }
        ({ replies, notices } = await this.runTurnWithRetries(personId, message, claimKey));
      } catch (error) {
        // Nothing was saved, the message included: a redelivery is handled afresh.
        if (error instanceof PersonGoneError) throw error;
        logger.error({ err: describeError(error), channel: message.channel }, 'turn failed; nothing was saved');
        await this.replyOutsideTurn(addressOf(message), personId, 'common.error').catch(() => undefined);
        return;
      }
      try {
        await outbox.send(addressOf(message), replies);
      } catch (error) {
        logger.warn({ err: describeError(error), channel: message.channel }, 'replies could not be sent; the turn is saved');
      }
      for (const notice of notices) await this.sendNotice(notice);
    });
  }

  /** A message to someone else on the case (a helper told their link was accepted), where and how they read. */
  private async sendNotice(notice: Notice): Promise<void> {
    try {
      await notifyPerson(this.options, notice.personId, notice.text);
    } catch (error) {
      this.options.logger.warn({ err: describeError(error) }, 'a notice to another person could not be sent');
    }
  }


  private async runTurnWithRetries(personId: string, message: InboundMessage, claimKey: string): Promise<Pick<TurnResult, 'replies' | 'notices'>> {
    // Downloaded once, whatever the retries.
    const input = await inputOf(message);
    const result = await this.runInputWithRetries(personId, claimKey, input, addressOf(message), isLanguage(message.languageHint) ? message.languageHint : null, message.username ?? null);
    if (result.deleted) this.identities.delete(identityKey(message));
    return result;
  }

  /**
   * Guichet opens a flow for a person who did not just write (the volunteers
   * closed their conversation: "Did this help?"), under the person's lock, as
   * a turn of its own keyed `key` so that it happens once; the question goes
   * where they last wrote from.
   */
  async startFlowFor(personId: string, key: string, flow: FlowId, params?: FlowParams): Promise<void> {
    const { store, logger } = this.options;
    await this.locks.run(personId, async () => {
      if (await store.processed.seen(key)) return;
      const to = await store.people.preferredAddress(personId);
      if (!to) return;
      const result = await this.runInputWithRetries(personId, key, { kind: 'start-flow', flow, ...(params ? { params } : {}) }, to, null, null);
      try {
        await sendPaced(this.options.outbox, to, result.replies);
      } catch (error) {
        logger.warn({ err: describeError(error), channel: to.channel }, 'a question Guichet asked could not be sent; the turn is saved');
      }
    });
  }

  private async runInputWithRetries(
    personId: string,
    claimKey: string,
    input: InboundInput,
    from: Address,
    languageHint: Language | null,
    username: string | null,
  ): Promise<Pick<TurnResult, 'replies' | 'notices' | 'deleted'>> {
    const { store, clock } = this.options;
    const attempts = (this.options.maxConflictRetries ?? 5) + 1;
    for (let attempt = 1; ; attempt++) {
      // After a conflict: another process may have answered this very message.
      if (attempt > 1 && (await store.processed.seen(claimKey))) return { replies: [], notices: [], deleted: false };
      const turn = new Turn(
        { ...this.options, commands: this.commands, dateWords: this.dateWords, commandWord: (l, c) => this.commandWord(l, c) },
        personId,
        claimKey,
        from,
        languageHint,
        username,
      );
      const result = await turn.run(input);
      if (result.deleted) {
        await this.options.outbox.forget?.(from);
        await store.processed.claim(claimKey, clock.now());
        this.afterTurn(result.helpdesk);
        return { replies: result.replies, notices: [], deleted: true };
      }
      try {
        await store.conversations.save(personId, result.state, result.rev, clock.now(), claimKey);
        this.afterTurn(result.helpdesk);
        return result;
      } catch (error) {
        if (!(error instanceof RevisionConflictError) || attempt >= attempts) throw error;
        // Another process saved this person's turn meanwhile. Waiting a random moment lets
        // it finish its next one too, rather than colliding with it in step again.
        await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * CONFLICT_BACKOFF_MS * attempt)));
      }
    }
  }

  /** What a saved turn asked of the volunteers' helpdesk: handed over, never awaited by the person's reply. */
  private afterTurn(actions: readonly HelpdeskAction[]): void {
    if (actions.length === 0 || !this.options.helpdesk) return;
    this.options.helpdesk.afterTurn(actions);
  }

  /** A reply outside any turn (an apology, a flood notice), in the sender's language if they have one. */
  private async replyOutsideTurn(to: Address, personId: string | undefined, key: string): Promise<void> {
    const lang = (personId ? (await this.options.store.people.get(personId))?.language : undefined) ?? 'fr';
    await this.options.outbox.send(to, [this.options.renderer.message(lang, { key })]);
  }


  private async personFor(message: InboundMessage): Promise<string> {
    const key = identityKey(message);
    const cached = this.identities.get(key);
    if (cached) return cached;
    const personId = await this.options.store.people.resolveIdentity(message.channel, message.address, this.options.clock.now());
    if (this.identities.size >= IDENTITY_CACHE_SIZE) this.identities.delete(this.identities.keys().next().value!);
    this.identities.set(key, personId);
    return personId;
  }
}

async function inputOf(message: InboundMessage): Promise<InboundInput> {
  switch (message.kind) {
    case 'text':
      return { kind: 'text', text: normalizeInput(message.text) };
    case 'choice':
      return { kind: 'choice', token: message.token, option: message.option };
    case 'attachment': {
      if (message.attachment.problem) return { kind: 'attachment', problem: message.attachment.problem, bytes: null };
      try {
        return { kind: 'attachment', problem: null, bytes: await message.attachment.load() };
      } catch {
        // Larger than announced, or the platform did not deliver it: the person is asked to send it again.
        return { kind: 'attachment', problem: 'not-received', bytes: null };
      }
    }
    case 'open':
      return { kind: 'open' };
  }
}

function identityKey(address: Address): string {
  return `${address.channel}\u0000${address.address}`;
}

function addressOf(message: InboundMessage): Address {
  return { channel: message.channel, address: message.address };
}

/** Enough to debug, nothing a person wrote: name, failing operation, and code locations. */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const frames = (error.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at ')).slice(0, 8);
  const described: Record<string, unknown> = { name: error.name, stack: frames.join('\n') };
  if ('operation' in error) described.operation = (error as { operation: unknown }).operation;
  if (error.cause instanceof Error) described.cause = describeError(error.cause);
  return described;
}

