import { GLOBAL_COMMANDS, type FlowEvent, type FlowId, type FlowParams, type GlobalCommand, type Intent, type Language, type Prompt, type Text } from '../../machines/lib/intents.js';
import type { FlowDefinition, FlowRegistry } from '../../machines/registry.js';
import { renderCallLogRecord } from '../documents/call-log-record.js';
import type { DocumentMaker } from '../documents/make-document.js';
import type { PlaceDirectory } from '../places/place-directory.js';
import type { ReminderService } from '../reminders/reminder-service.js';
import type { Address } from '../messages.js';
import type { OutboundFileType, OutboundMessage } from '../messages.js';
import { exportPersonData } from './export-data.js';
import type { ActivityAction, CaseRole, ConversationState, Frame, Store } from '../store/ports.js';
import type { LinkCodes } from '../cases/link-codes.js';
import { parseLinkCode } from '../../machines/lib/answers.js';
import type { EvidenceInput } from '../documents/evidence-file.js';
import type { MadeDocument } from '../documents/make-document.js';
import type { Vault } from '../vault/vault.js';
import { runCaseEffect, type CaseIntent } from './case-effects.js';
import { runDateEffect, type DateIntent } from './date-effects.js';
import type { EffectContext } from './effect-context.js';
import { receiveProof, runProofEffect, type ProofIntent } from './proof-effects.js';
import type { Clock } from './clock.js';
import { callLogSummary, recordId, saveCallLog } from './call-log-effects.js';
import { flowAccepts, persistFlow, restoreFlow, sendToFlow, startFlow, viewFlow, type LiveFlow } from './flow-runner.js';
import { interpretInput, type CommandWords, type InboundInput, type NumberedQuestion } from './interpret-input.js';
import type { Renderer } from './render.js';
import type { FactIndex } from '../content/fact-index.js';
import type { DateWords } from '../text/date-words.js';
import { keysOf, sourceTexts } from './source-effects.js';
import { packMessages } from './pack-messages.js';
import { openCaseLine } from './open-case-line.js';
import { erasureSummary } from './erasure-summary.js';
import { eraseAtHelpdeskLater, relayAttachment, runHandoffEffect, type HandoffIntent, type HandoffSettings, type HelpdeskAction } from './handoff-effects.js';

/** The person was erased (by another process) between finding them and locking them. */
export class PersonGoneError extends Error {
  override readonly name = 'PersonGoneError';
}

export interface TurnDeps {
  readonly store: Store;
  readonly flows: FlowRegistry;
  readonly renderer: Renderer;
  readonly clock: Clock;
  readonly commands: CommandWords;
  readonly commandWord: (lang: Language, command: GlobalCommand) => string;
  readonly places: PlaceDirectory;
  readonly documents: DocumentMaker;
  readonly reminders: ReminderService;
  readonly vault: Vault;
  readonly links: LinkCodes;
  readonly evidence: (input: EvidenceInput) => Promise<MadeDocument>;
  /** Months without activity after which a case is erased (told in the privacy notice). */
  readonly caseRetentionMonths: number;
  readonly facts: FactIndex;
  readonly dateWords: DateWords;
  /** The volunteers' helpdesk, when one is configured. */
  readonly handoff?: HandoffSettings;
}

/** A message for someone other than the sender, sent once the turn is saved. */
export interface Notice {
  readonly personId: string;
  readonly text: Text;
}

export interface TurnResult {
  readonly state: ConversationState;
  /** Revision the state was loaded at (0: new conversation). */
  readonly rev: number;
  readonly replies: readonly OutboundMessage[];
  readonly notices: readonly Notice[];
  readonly deleted: boolean;
  /** For the helpdesk, once the turn is saved. */
  readonly helpdesk: readonly HelpdeskAction[];
}

type Output =
  | { readonly text: Text }
  | { readonly raw: string }
  | { readonly file: { readonly fileName: string; readonly bytes: Uint8Array; readonly mimeType: OutboundFileType } };

const DOCUMENT_NAMES = { letter: 'letter_name', statement: 'statement_name', 'call-log': 'call_log_name' } as const;

/** Language used before the person has chosen one (only for rare notices). */
const DEFAULT_LANGUAGE: Language = 'fr';
/** Guards against machines that would bounce between flows forever. */
const MAX_INTENTS_PER_TURN = 100;

/**
 * One attempt at one turn, entirely in memory until the engine persists it.
 * If persisting fails on a revision conflict the engine throws this object
 * away and runs a fresh one, so nothing here may have effects that a second
 * run would duplicate (stored records use ids derived from the message).
 */
export class Turn {
  private frames: LiveFlow[] = [];
  private lang: Language | null = null;
  private readonly outputs: Output[] = [];
  private deleted = false;
  private intentBudget = MAX_INTENTS_PER_TURN;
  private readonly today: string;
  private readonly notices: Notice[] = [];
  /** The active case and the person's role in it, resolved once per turn when first needed. */
  private activeCase: Promise<{ id: string; role: CaseRole }> | undefined;
  private readonly effects: EffectContext;
  /** What the previous turn stated, for "source"; kept as it is when this turn only showed sources. */
  private previousFacts: readonly string[] = [];
  private showedSources = false;
  private readonly helpdeskActions: HelpdeskAction[] = [];
  /** What the person wrote went to the volunteers: no question to show again. */
  private relayed = false;
  /** Texts as the sender's channel shows them (short versions by SMS). */
  private readonly renderer: Renderer;

  constructor(
    private readonly deps: TurnDeps,
    private readonly personId: string,
    private readonly messageKey: string,
    /** Where the message came from: reminders for dates recorded now go back there. */
    private readonly from: Address,
    /** The language the person's app uses, if the channel knows it: shown first in the picker. */
    private readonly languageHint: Language | null = null,
    /** The sender's public username, where the platform shows one. */
    username: string | null = null,
  ) {
    this.today = deps.clock.today();
    this.renderer = deps.renderer.forChannel(from.channel);
    const turn = this;
    this.effects = {
      personId,
      messageKey,
      from,
      username,
      today: this.today,
      get now() {
        return deps.clock.now();
      },
      caseId: async () => (await turn.resolveCase()).id,
      role: async () => (await turn.resolveCase()).role,
      caseChanged: () => {
        turn.activeCase = undefined;
      },
      say: (text) => void turn.outputs.push({ text }),
      file: (file) => void turn.outputs.push({ file }),
      deliver: (event) => turn.deliver(event),
      notify: (to, text) => void turn.notices.push({ personId: to, text }),
      activity: (action) => turn.logActivity(action),
      helpdesk: (action) => void turn.helpdeskActions.push(action),
    };
  }

  /**
   * The case the person works on: the one they switched to if they are still
   * linked to it (an owner may have removed them since), else their own.
   */
  private resolveCase(): Promise<{ id: string; role: CaseRole }> {
    this.activeCase ??= (async () => {
      const { store, clock } = this.deps;
      const chosen = await store.people.activeCase(this.personId);
      if (chosen) {
        const role = await store.cases.role(chosen, this.personId);
        if (role) return { id: chosen, role };
      }
      return { id: await store.cases.ensureOwnCase(this.personId, clock.now()), role: 'owner' as const };
    })();
    return this.activeCase;
  }

  private async logActivity(action: ActivityAction): Promise<void> {
    const { id, role } = await this.resolveCase();
    if (role === 'helper') await this.deps.store.cases.logActivity({ caseId: id, personId: this.personId, action, at: this.deps.clock.now() });
  }

  async run(input: InboundInput): Promise<TurnResult> {
    const { store } = this.deps;
    const person = await store.people.get(this.personId);
    if (!person) throw new PersonGoneError();
    this.lang = person.language;
    const stored = await store.conversations.load(this.personId);
    const rev = stored?.rev ?? 0;
    this.previousFacts = stored?.state.shownFacts ?? [];
    const restarted = await this.restoreFrames(stored?.state.frames ?? []);

    if (this.frames.length === 0) {
      // First contact, or a person whose conversation was lost: no question
      // was on screen, so the message itself carries no answer.
      if (this.lang) await this.startBase('menu');
      else await this.startBase('onboarding', this.languageHint ? { hint: this.languageHint } : undefined);
    } else if (input.kind === 'start-flow') {
      if (this.lang) await this.startFor(input.flow, input.params);
    } else if (!restarted && input.kind !== 'open') {
      await this.apply(input);
    }
    // The question left on screen, computed once: it is both sent and counted for "source".
    const screen = this.deleted ? undefined : this.screen();
    // While writing to the volunteers, each message is theirs: the hint is not repeated after it.
    const question = this.relayed && screen?.prompt.relay ? [] : this.questionOf(screen);
    const replies = packMessages([...this.render(), ...question]);
    const shownFacts = this.showedSources ? this.previousFacts : this.factsOnScreen(screen);
    const state: ConversationState = shownFacts.length > 0 ? { frames: this.frames.map(toFrame), shownFacts } : { frames: this.frames.map(toFrame) };
    return { state, rev, replies, notices: this.deleted ? [] : this.notices, deleted: this.deleted, helpdesk: this.helpdeskActions };
  }

  // --- restoring -----------------------------------------------------------

  /**
   * Bring stored frames back. A frame whose machine changed version is
   * migrated when the flow knows how, otherwise restarted with an apology; a
   * flow that no longer exists is dropped. Returns true when anything restarted.
   */
  private async restoreFrames(stored: readonly Frame[]): Promise<boolean> {
    let restarted = false;
    for (const frame of stored) {
      const definition = this.deps.flows.get(frame.machineId);
      const restored = definition ? restoreFrame(definition, frame) : undefined;
      if (restored) {
        this.frames.push(restored);
        continue;
      }
      restarted = true;
      // Frames above this one were questions asked for it (a date, a
      // description): without it their answers would go nowhere, so they go
      // too. A base flow that still exists starts again from its beginning.
      if (definition && definition.layer === 'base' && this.frames.length === 0) {
        const started = startFlow(definition, this.today, definition.defaultParams);
        this.frames.push(started.flow);
        await this.process(started.intents);
      }
      break;
    }
    if (this.frames.length > 0 && this.frames[0]!.definition.layer === 'overlay') {
      this.frames.unshift(startFlow(this.flow('menu'), this.today).flow);
    }
    if (restarted && this.frames.length === 0) await this.startBase(this.lang ? 'menu' : 'onboarding');
    if (restarted) this.outputs.unshift({ text: { key: 'common.flow_restarted' } });
    return restarted;
  }

  // --- applying the message -------------------------------------------------

  private async apply(input: InboundInput): Promise<void> {
    const question = this.numberedQuestion();
    const meaning = interpretInput(input, question, this.deps.commands);
    switch (meaning.type) {
      case 'command':
        return this.command(meaning.command);
      case 'stale':
        this.say('common.stale_choice');
        return;
      case 'attachment': {
        if (!this.lang) return;
        if (meaning.problem === 'too-large') return this.say('attachment.too_large');
        if (meaning.problem === 'unsupported') return this.say('attachment.unsupported');
        if (meaning.problem === 'not-received' || !meaning.bytes) return this.say('attachment.not_received');
        if (question?.relay && this.deps.handoff) {
          this.relayed = true;
          return relayAttachment(this.handoffDeps(this.deps.handoff), this.effects, meaning.bytes);
        }
        const itemId = await receiveProof(this.proofDeps(), this.effects, meaning.bytes, this.frames.length);
        if (itemId) await this.startOverlay('proof.describe', { itemId });
        return;
      }
      case 'not-understood': {
        if (!this.lang) return;
        // A helper's code typed anywhere it cannot mean anything else: open the family flow with it.
        const code = input.kind === 'text' ? parseLinkCode(input.text) : undefined;
        if (code) return this.startBase('family', { code });
        this.notUnderstood(question);
        return;
      }
      case 'choose':
        return this.send({ type: 'CHOOSE', choice: meaning.choice, today: this.today });
      case 'text': {
        // A date in words ("12 novembre 2026", "hier") reaches a date question as digits.
        const text = question?.answer === 'date' ? (this.deps.dateWords.toDigits(meaning.text, this.today) ?? meaning.text) : meaning.text;
        return this.send({ type: 'TEXT', text, today: this.today });
      }
    }
  }

  private async send(event: FlowEvent): Promise<void> {
    const top = this.top();
    if (!flowAccepts(top, event)) {
      if (this.lang) this.notUnderstood(this.numberedQuestion());
      return;
    }
    await this.process(sendToFlow(top, event));
  }

  private async command(command: GlobalCommand): Promise<void> {
    const topId = this.top().definition.id;
    // Until a language is chosen the person is onboarding, whatever opened on top
    // (they typed "delete" first): nothing skips the picker and the first notice.
    const onboarding = this.lang === null;
    switch (command) {
      case 'menu':
        if (onboarding) {
          if (topId !== 'onboarding') await this.startBase('onboarding', this.languageHint ? { hint: this.languageHint } : undefined);
        } else await this.startBase('menu');
        return;
      case 'back': {
        if (viewFlow(this.top(), this.today).canBack) return this.send({ type: 'BACK', today: this.today });
        if (this.frames.length > 1) this.frames.pop();
        else if (this.top().definition.isRoute) await this.startBase('menu');
        return;
      }
      case 'help':
        if (this.lang) {
          this.say('help.text', this.commandParams(this.lang));
          // The French words on every paper from the prefecture, each in one line.
          this.say('help.words');
        }
        return;
      case 'privacy':
        if (this.lang) {
          // Two texts, each short enough for one screen: what is kept and why; then how long, and how to erase it.
          this.say('privacy.text', this.commandParams(this.lang));
          this.say('privacy.retention', { ...this.commandParams(this.lang), months: String(this.deps.caseRetentionMonths) });
          this.say('privacy.export_hint', this.commandParams(this.lang));
          if (this.deps.handoff) this.say('helpdesk.privacy', { organisation: this.deps.handoff.organisation, days: String(this.deps.handoff.retentionDays) });
        }
        return;
      case 'export': {
        if (!this.lang) return;
        const exported = await exportPersonData(this.proofDeps(), this.personId, this.from, this.deps.clock.now());
        this.outputs.push({ file: { fileName: exported.fileName, bytes: exported.bytes, mimeType: 'application/zip' } });
        this.say('privacy.export_ready');
        if (exported.filesLeftOut > 0) this.say('privacy.export_partial', { files: String(exported.filesLeftOut) });
        return;
      }
      case 'language':
        if (!onboarding && topId !== 'language') await this.startOverlay('language');
        return;
      case 'delete':
        if (topId === 'delete-data') return;
        // Before asking: what exactly goes, cases managed for others included.
        if (this.lang) for (const text of await erasureSummary(this.deps.store, this.personId)) this.outputs.push({ text });
        await this.startOverlay('delete-data');
        return;
      case 'source':
        if (!this.lang) return;
        for (const text of sourceTexts(this.deps.facts, this.previousFacts)) this.outputs.push({ text });
        this.showedSources = true;
        return;
      case 'person':
        if (this.lang && this.deps.handoff && topId !== 'handoff') await this.startOverlay('handoff');
        return;
      case 'stop':
      case 'resume':
        if (!this.lang) return;
        await this.deps.store.reminders.setPaused(this.personId, command === 'stop');
        if (command === 'stop') this.say('reminders.paused', { resume: this.deps.commandWord(this.lang, 'resume') });
        else this.say('reminders.resumed');
        return;
    }
  }

  private commandParams(lang: Language): Record<string, string> {
    return Object.fromEntries(
      GLOBAL_COMMANDS.map((c) => [c, this.deps.commandWord(lang, c)]),
    );
  }

  // --- intents ----------------------------------------------------------------

  private async process(intents: readonly Intent[]): Promise<void> {
    for (const intent of intents) {
      if (this.deleted) return;
      if (--this.intentBudget < 0) throw new Error('too many intents in one turn: a flow loops');
      await this.processOne(intent);
    }
  }

  private async processOne(intent: Intent): Promise<void> {
    const { store, clock } = this.deps;
    const renderer = this.renderer;
    switch (intent.type) {
      case 'say':
        this.outputs.push({ text: intent.text });
        return;
      case 'go': {
        const target = this.flow(intent.flow);
        if (target.isRoute) await this.logActivity('route');
        return target.layer === 'overlay' ? this.startOverlay(intent.flow, intent.params) : this.startBase(intent.flow, intent.params);
      }
      case 'finish':
        this.frames.pop();
        if (this.frames.length === 0) return this.startBase('menu');
        if (intent.result) return this.deliver({ type: 'RESULT', result: intent.result, today: this.today });
        return;
      case 'lookup-place': {
        const place = await this.deps.places.lookup(intent.query).catch(() => undefined);
        return this.deliver({ type: 'PLACE', place: place ?? null, today: this.today });
      }
      case 'make-document': {
        const document = { key: `document.${DOCUMENT_NAMES[intent.request.document]}` };
        await this.logActivity('document');
        // A PDF cannot go by SMS: the person is told where such a paper is written and printed with them.
        if (this.from.channel === 'sms') return void this.outputs.push({ text: { key: 'sms.no_documents', params: { document } } });
        const made = await this.deps.documents.make(intent.request, this.today);
        this.outputs.push({ file: { ...made, mimeType: 'application/pdf' } });
        this.outputs.push({ text: { key: 'document.ready', params: { document } } });
        if (intent.request.document === 'letter') this.say('document.address_note');
        return;
      }
      case 'save-date':
      case 'remove-date':
      case 'show-dates':
        return runDateEffect(this.dateDeps(), this.effects, intent satisfies DateIntent);
      case 'save-letter-posted': {
        const caseId = await this.effects.caseId();
        await this.logActivity('letter-posted');
        await store.cases.addRecord({ id: recordId('letter-posted', this.personId, this.messageKey), caseId, kind: 'letter-posted', data: { date: intent.date }, createdAt: clock.now() });
        // Also a date of the case: reminders follow if no answer comes (two weeks, one month).
        await this.deps.reminders.recordDate(this.personId, caseId, 'letter-posted', { date: intent.date }, this.from, this.today, clock.now());
        this.outputs.push({ text: { key: 'registered_letter.posted_saved', params: { date: { date: intent.date } } } });
        // The receipt is the proof a judge will ask for: invite the photo now, while it is in hand.
        this.say('proof.invite_receipt');
        return;
      }
      case 'command':
        return this.command(intent.command);
      case 'set-language':
        if (!(await store.people.setLanguage(this.personId, intent.language))) throw new PersonGoneError();
        this.lang = intent.language;
        return;
      case 'save-call-log':
        await saveCallLog(store, await this.effects.caseId(), this.personId, this.messageKey, intent.log, clock.now());
        await this.logActivity('call-log');
        this.outputs.push({ raw: renderCallLogRecord(renderer, intent.log, this.today) });
        return;
      case 'show-call-logs':
        for (const text of await callLogSummary(store, await this.effects.caseId())) this.outputs.push({ text });
        return;
      case 'list-proofs':
      case 'describe-proof':
      case 'send-proof':
      case 'delete-proof':
      case 'make-evidence-file':
        return runProofEffect(this.proofDeps(), this.effects, intent satisfies ProofIntent);
      case 'list-cases':
      case 'switch-case':
      case 'show-activity':
      case 'create-link-code':
      case 'create-on-behalf-case':
      case 'check-link-code':
      case 'answer-link':
      case 'remove-helper':
        return runCaseEffect(this.deps, this.effects, intent satisfies CaseIntent);
      case 'handoff-check':
      case 'handoff-open':
      case 'handoff-relay':
      case 'handoff-close':
      case 'handoff-feedback':
        if (!this.deps.handoff) return;
        if (intent.type === 'handoff-relay') this.relayed = true;
        return runHandoffEffect(this.handoffDeps(this.deps.handoff), this.effects, intent satisfies HandoffIntent);
      case 'delete-person': {
        // The copies at the helpdesk go too, once this is saved: what they are is read before.
        if (this.deps.handoff) await eraseAtHelpdeskLater(store, this.effects);
        await store.people.delete(this.personId);
        this.deleted = true;
        this.outputs.length = 0;
        this.say('delete.done');
        return;
      }
    }
  }

  private handoffDeps(settings: HandoffSettings) {
    const { store, vault, reminders } = this.deps;
    return { store, vault, settings, localDay: (epoch: number) => reminders.localDay(epoch) };
  }

  /**
   * A flow Guichet opens for the person without a message of theirs: the
   * volunteers closed, so "Did this help?" — asked in the conversation with
   * them when it is on screen, else on top of whatever the person was doing.
   */
  private async startFor(flow: FlowId, params?: FlowParams): Promise<void> {
    const closed: FlowEvent = { type: 'HANDOFF', status: 'closed', organisation: this.deps.handoff?.organisation ?? '', today: this.today };
    // On a screen of that conversation that cannot take it (a new consent), the question opens on top instead.
    if (flow === 'handoff' && this.top().definition.id === 'handoff' && flowAccepts(this.top(), closed)) return this.deliver(closed);
    if (this.deps.flows.has(flow)) await this.startOverlay(flow, params);
  }

  private dateDeps() {
    const { store, reminders, commandWord } = this.deps;
    return { store, reminders, resumeWord: () => commandWord(this.lang ?? DEFAULT_LANGUAGE, 'resume') };
  }

  private proofDeps() {
    const { store, vault, evidence, reminders } = this.deps;
    return { store, vault, evidence, localDay: (epoch: number) => reminders.localDay(epoch) };
  }

  /** Send an event produced by an effect (a lookup answer, an overlay's result) to the flow on top. */
  private async deliver(event: FlowEvent): Promise<void> {
    const top = this.top();
    if (flowAccepts(top, event)) await this.process(sendToFlow(top, event));
  }

  private async startBase(id: FlowId, params?: FlowParams): Promise<void> {
    if (id === 'menu' && this.lang) {
      const line = await openCaseLine(this.deps.store, this.personId, this.effects.caseId);
      if (line) this.outputs.push({ text: line });
    }
    const definition = this.flow(id);
    const started = startFlow(definition, this.today, params);
    this.frames = [started.flow];
    await this.process(started.intents);
  }

  private async startOverlay(id: FlowId, params?: FlowParams): Promise<void> {
    const definition = this.flow(id);
    const started = startFlow(definition, this.today, params);
    this.frames.push(started.flow);
    await this.process(started.intents);
  }

  private flow(id: FlowId): FlowDefinition {
    const definition = this.deps.flows.get(id);
    if (!definition) throw new Error(`flow ${id} is not registered`);
    return definition;
  }

  private top(): LiveFlow {
    return this.frames[this.frames.length - 1]!;
  }

  /** One short line naming the numbers that work; the question follows, as always. */
  private notUnderstood(question: NumberedQuestion | undefined): void {
    const max = (question?.choices.length ?? 0) + (question?.showBack ? 1 : 0);
    if (max > 0) this.outputs.push({ text: { key: 'common.reply_with_number', params: { max } } });
    else this.say('common.not_understood');
  }

  private say(key: string, params?: Record<string, string>): void {
    this.outputs.push({ text: params ? { key, params } : { key } });
  }

  // --- the question on screen -------------------------------------------------

  /**
   * The question on screen and how it is numbered: computed the same way when
   * shown and when answered, so a number always means what the person saw.
   */
  private screen(): { prompt: Prompt; showBack: boolean; showMenu: boolean; token: string } | undefined {
    const top = this.top();
    const view = viewFlow(top, this.today);
    if (!view.prompt) return undefined;
    return {
      prompt: view.prompt,
      showBack: view.canBack || this.frames.length > 1,
      // 0 leads to the main menu from everywhere but the main menu itself (a sub-menu can step back).
      showMenu: this.lang !== null && (top.definition.id !== 'menu' || view.canBack) && top.definition.id !== 'onboarding',
      token: questionToken(`${this.frames.length}|${view.stateKey}`),
    };
  }

  /** The screen with its option labels in the person's language, for reading an answer. */
  private numberedQuestion(): NumberedQuestion | undefined {
    const screen = this.screen();
    if (!screen) return undefined;
    const { prompt, showBack, showMenu, token } = screen;
    const choiceLabels = this.renderer.choiceLabels(this.lang ?? DEFAULT_LANGUAGE, prompt);
    return { choices: prompt.choices, choiceLabels, freeText: prompt.freeText === true, ...(prompt.answer ? { answer: prompt.answer } : {}), ...(prompt.relay ? { relay: true } : {}), showBack, showMenu, token };
  }

  private questionOf(screen: ReturnType<Turn['screen']>): OutboundMessage[] {
    if (!screen) return [];
    const { prompt, ...nav } = screen;
    // Before a language is chosen the picker mixes scripts: keep it left-to-right.
    const lang = this.lang ?? DEFAULT_LANGUAGE;
    const withWord = { ...nav, backWord: this.deps.commandWord(lang, 'back') };
    return [this.renderer.question(lang, prompt, this.lang ? withWord : { ...withWord, direction: 'ltr' })];
  }

  /** Fact ids of every sentence this turn shows, the question on screen included. */
  private factsOnScreen(screen: ReturnType<Turn['screen']>): string[] {
    const texts: Text[] = this.outputs.flatMap((o) => ('text' in o ? [o.text] : []));
    if (screen) texts.push(...screen.prompt.text);
    const ids = new Set<string>();
    for (const text of texts) for (const key of keysOf(text)) for (const id of this.deps.facts.factsOf(key)) ids.add(id);
    return [...ids];
  }

  private render(): OutboundMessage[] {
    const reader = this.lang ?? DEFAULT_LANGUAGE;
    return this.outputs.map((o): OutboundMessage => {
      if ('raw' in o) return this.renderer.raw(o.raw);
      // An SMS cannot carry a file (a photo sent back, an export): said rather than silently dropped.
      if ('file' in o && this.from.channel === 'sms') return this.renderer.message(reader, { key: 'sms.no_files' });
      if ('file' in o) return { kind: 'document', fileName: o.file.fileName, mimeType: o.file.mimeType, bytes: o.file.bytes };
      return this.renderer.message(reader, o.text);
    });
  }
}

function toFrame(flow: LiveFlow): Frame {
  return { machineId: flow.definition.id, machineVersion: flow.definition.version, snapshot: persistFlow(flow) };
}

/** A stored frame made usable by the current code, or undefined when it must restart. */
function restoreFrame(definition: FlowDefinition, frame: Frame): LiveFlow | undefined {
  let snapshot: unknown = frame.snapshot;
  if (frame.machineVersion !== definition.version) {
    if (!definition.migrate) return undefined;
    try {
      snapshot = definition.migrate(frame.machineVersion, frame.snapshot);
    } catch {
      return undefined;
    }
    if (snapshot === undefined) return undefined;
  }
  try {
    const live = restoreFlow(definition, snapshot);
    return live.snapshot.status === 'active' ? live : undefined;
  } catch {
    return undefined;
  }
}

/** A short, stable id of the question on screen (FNV-1a, base 36). */
export function questionToken(key: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}
