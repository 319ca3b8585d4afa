import type { ReminderDateKind } from './reminder-plan.js';
/**
 * The vocabulary machines use to speak to the engine. Machines are pure: they
 * never send, store or translate anything themselves. They emit intents and
 * describe the question the person is currently facing; the engine turns both
 * into effects and rendered messages for each recipient.
 */

/** The five languages Guichet speaks, in the order the picker shows them. */
export const LANGUAGES = ['ar', 'bn', 'pt', 'fr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/**
 * A parameter of a sentence. Plain strings and numbers are inserted as they
 * are; `date` is formatted in the reader's language, `month` (a YYYY-MM-DD
 * date) as its month and year; `key` is itself translated (for example a
 * month name or an outcome label).
 */
export type ParamValue =
  | string
  | number
  | { readonly date: string }
  | { readonly month: string }
  | { readonly key: string; readonly params?: Params };
export type Params = Readonly<Record<string, ParamValue>>;

/** A translatable sentence: an i18n key and its parameters. */
export interface Text {
  readonly key: string;
  readonly params?: Params;
  /** Render in this language rather than the reader's (the language picker). */
  readonly lang?: Language;
}

export interface Choice {
  /** Stable id the machine receives back in a CHOOSE event. */
  readonly id: string;
  readonly label: Text;
  /** One line shown under the label on text channels (a route's cost, proof and delay). */
  readonly detail?: Text;
}

/**
 * The question a person is facing in the current state. `freeText` says the
 * machine also accepts typed text (a date, a name) besides the choices.
 */
export interface Prompt {
  readonly text: readonly Text[];
  readonly choices: readonly Choice[];
  readonly freeText?: boolean;
  /**
   * What the typed answer is. `date`: the engine turns "12 novembre 2026" or
   * "today" into 12/11/2026 first. `number`: digits, a time or a code — never
   * a word, so a command word typed here ("menu", "help") is the command.
   */
  readonly answer?: 'date' | 'number';
  /**
   * The person is writing to a volunteer: what they type or send goes to
   * the helpdesk as it is. Only `0` and the words for the menu or "back" navigate.
   */
  readonly relay?: boolean;
}

/** A record of a telephone call, kept as proof of an attempt. */
export interface CallLog {
  /** Calendar date of the call, YYYY-MM-DD. */
  readonly date: string;
  /** HH:MM, or null when the person does not remember. */
  readonly time: string | null;
  /** `anef` for the ANEF contact centre, otherwise the number typed. */
  readonly number: string;
  /** Agent's name in Latin letters, or null when none was given. */
  readonly agent: string | null;
  readonly outcome: CallOutcome;
  readonly notes: string | null;
}

export const CALL_OUTCOMES = [
  'no_answer',
  'call_back',
  'fault_reported',
  'appointment',
  'could_not_help',
  'other',
] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** Flows the engine knows how to start. */
export type FlowId =
  | 'onboarding'
  | 'menu'
  | 'language'
  | 'delete-data'
  | 'triage'
  | 'route.digital-help'
  | 'route.phone'
  | 'route.in-person'
  | 'route.trusted-person'
  | 'route.registered-letter'
  | 'route.mobile-desks'
  | 'route.ngo'
  | 'route.court'
  | 'route.oqtf'
  | 'ask.date'
  | 'ask.place'
  | 'record.letter-posted'
  | 'document.letter'
  | 'document.statement'
  | 'dates'
  | 'proofs'
  | 'proof.describe'
  | 'family'
  | 'handoff';

export function isFlowId(value: string, known: ReadonlySet<string>): value is FlowId {
  return known.has(value);
}

/** A French département as Guichet knows it from open data. */
export interface Place {
  readonly departementCode: string;
  readonly departementName: string;
  /** The town where the prefecture is (chef-lieu). */
  readonly prefectureCity: string;
}

/**
 * What the registered letter asks the prefecture an appointment for. Not
 * naturalisation: it is filed online, with an alternative only for people
 * without digital access, and is no letter or walk-in route
 * (F-NATURALISATION-ONLINE).
 */
export const REQUEST_KINDS = ['first', 'renewal', 'recepisse'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

/** Details for the registered letter asking for an appointment. */
export interface LetterDetails {
  readonly surname: string;
  readonly givenNames: string;
  readonly birthDate: string;
  readonly street: string;
  readonly postcode: string;
  readonly town: string;
  readonly request: RequestKind;
  readonly foreignerNumber: string | null;
  readonly prefecture: Place;
}

/**
 * Why the person cannot use the ANEF online service, as the statement lists
 * them. ANEF has no appointment slots, so "no free slot" is not one of them.
 */
export const EXCLUSION_REASONS = ['no_computer', 'no_internet', 'reading', 'digital_skills', 'fault'] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

/** Details for the written statement that the online service cannot be used. */
export interface StatementDetails {
  readonly surname: string;
  readonly givenNames: string;
  readonly birthDate: string;
  readonly reasons: readonly ExclusionReason[];
  readonly signTown: string;
}

export type DocumentRequest =
  | { readonly document: 'letter'; readonly data: LetterDetails }
  | { readonly document: 'statement'; readonly data: StatementDetails }
  | { readonly document: 'call-log'; readonly data: CallLog };

/** What an overlay hands back to the flow below it when it closes. */
export type FlowResult =
  | { readonly kind: 'date'; readonly purpose: string; readonly date: string }
  | { readonly kind: 'place'; readonly purpose: string; readonly place: Place }
  /** The person chose to skip the question. */
  | { readonly kind: 'skipped'; readonly purpose: string }
  /** The overlay did its work (a proof described). */
  | { readonly kind: 'done'; readonly purpose: string };

export type FlowParams = Readonly<Record<string, string | number | boolean>>;

/** What a piece of proof is, as the person says (the order the question lists them). */
export const PROOF_KINDS = ['anef-receipt', 'postal-receipt', 'ack-card', 'call-log', 'prefecture-letter', 'no-slot-screenshot', 'other'] as const;
export type ProofKind = (typeof PROOF_KINDS)[number];

/** A kept proof as a flow may show it: no bytes, no fingerprint. */
export interface ProofSummary {
  readonly id: string;
  readonly kind: ProofKind | null;
  /** The date on it, or the day it was received when not given. */
  readonly date: string;
}

/** One of the cases a person can work on, as the family flow shows it. */
export interface CaseChoice {
  readonly id: string;
  readonly own: boolean;
  readonly role: 'owner' | 'helper';
  readonly label: string | null;
}

export interface HelperSummary {
  readonly id: string;
  readonly name: string;
}

/** The person's cases, which one is active, and (for its owner) who helps with it. */
export interface CasesOverview {
  readonly activeId: string;
  readonly cases: readonly CaseChoice[];
  readonly helpers: readonly HelperSummary[];
}

/** Answer to a code typed by the person to be helped. */
export type CodeAnswer =
  | {
      readonly status: 'ok';
      readonly codeId: string;
      readonly helperName: string;
      /** What the helper could not choose, in words: "on Telegram, @karim_b", "on WhatsApp, a number ending in 78". */
      readonly helperVia: Text;
    }
  | { readonly status: 'wrong'; readonly triesLeft: number }
  | { readonly status: 'locked' | 'own' | 'already' | 'busy' };

/** Commands a person can give at any point, by word or by number. */
export const GLOBAL_COMMANDS = ['menu', 'back', 'help', 'language', 'privacy', 'delete', 'stop', 'resume', 'export', 'source', 'person'] as const;
export type GlobalCommand = (typeof GLOBAL_COMMANDS)[number];

export type Intent =
  /** Send one message. */
  | { readonly type: 'say'; readonly text: Text }
  /**
   * Start another flow: a base flow (a route, the menu) replaces this one; an
   * overlay (a date question, a document) opens on top and closes back here.
   */
  | { readonly type: 'go'; readonly flow: FlowId; readonly params?: FlowParams }
  /** This flow was opened on top of another one: close it and resume below, handing back a result. */
  | { readonly type: 'finish'; readonly result?: FlowResult }
  /** Look a postcode, département or town up; the answer comes back as a PLACE event. */
  | { readonly type: 'lookup-place'; readonly query: string }
  | { readonly type: 'make-document'; readonly request: DocumentRequest }
  | { readonly type: 'save-letter-posted'; readonly date: string }
  /** Record or change a date of the person's case; its reminders are planned again. */
  | { readonly type: 'save-date'; readonly kind: ReminderDateKind; readonly data: Readonly<Record<string, string | null>> }
  | { readonly type: 'remove-date'; readonly kind: ReminderDateKind }
  | { readonly type: 'show-dates' }
  /** Act as if the person had typed a global command. */
  | { readonly type: 'command'; readonly command: GlobalCommand }
  | { readonly type: 'set-language'; readonly language: Language }
  | { readonly type: 'save-call-log'; readonly log: CallLog }
  | { readonly type: 'show-call-logs' }
  | { readonly type: 'delete-person' }
  /** Proof vault: the answer comes back as a PROOFS event. */
  | { readonly type: 'list-proofs' }
  | { readonly type: 'describe-proof'; readonly itemId: string; readonly kind: ProofKind; readonly date: string }
  | { readonly type: 'send-proof'; readonly itemId: string }
  | { readonly type: 'delete-proof'; readonly itemId: string }
  | { readonly type: 'make-evidence-file' }
  /** Cases and helpers: the answer comes back as a CASES event. */
  | { readonly type: 'list-cases' }
  | { readonly type: 'switch-case'; readonly caseId: string }
  | { readonly type: 'show-activity' }
  | { readonly type: 'create-link-code'; readonly helperName: string; readonly label: string }
  | { readonly type: 'create-on-behalf-case'; readonly label: string }
  /** The answer comes back as a CODE event. */
  | { readonly type: 'check-link-code'; readonly code: string }
  | { readonly type: 'answer-link'; readonly codeId: string; readonly accept: boolean }
  | { readonly type: 'remove-helper'; readonly helperId: string }
  /** Handoff to volunteers: each answer comes back as a HANDOFF event. */
  | { readonly type: 'handoff-check' }
  | { readonly type: 'handoff-open' }
  | { readonly type: 'handoff-relay'; readonly text: string }
  | { readonly type: 'handoff-close' }
  | { readonly type: 'handoff-feedback'; readonly helped: boolean };

/** Events the engine sends to every machine. `today` is YYYY-MM-DD in Paris time. */
export type FlowEvent =
  | { readonly type: 'CHOOSE'; readonly choice: string; readonly today: string }
  | { readonly type: 'TEXT'; readonly text: string; readonly today: string }
  | { readonly type: 'BACK'; readonly today: string }
  /** An overlay opened by this flow closed with a result. */
  | { readonly type: 'RESULT'; readonly result: FlowResult; readonly today: string }
  /** Answer to a lookup-place intent: the place, or null when nothing matched. */
  | { readonly type: 'PLACE'; readonly place: Place | null; readonly today: string }
  /** Answer to list-proofs. */
  | { readonly type: 'PROOFS'; readonly items: readonly ProofSummary[]; readonly today: string }
  /** Answer to list-cases (and to every change of cases). */
  | { readonly type: 'CASES'; readonly overview: CasesOverview; readonly today: string }
  /** Answer to check-link-code. */
  | { readonly type: 'CODE'; readonly answer: CodeAnswer; readonly today: string }
  /** Where the person's conversation with the volunteers stands. */
  | { readonly type: 'HANDOFF'; readonly status: HandoffStatus; readonly organisation: string; readonly today: string };

/**
 * `none`: never opened (or long closed); `reopenable`: closed within the
 * week, writing again continues it; `open`; `closed`: just closed; `busy`:
 * someone else on the case is talking with the volunteers.
 */
export type HandoffStatus = 'none' | 'reopenable' | 'open' | 'closed' | 'busy';

/** Input every flow machine receives when it starts. */
export interface FlowInput {
  readonly today: string;
  readonly params?: FlowParams;
}

export function t(key: string, params?: Params): Text {
  return params ? { key, params } : { key };
}

export function choice(id: string, key: string, params?: Params): Choice {
  return { id, label: t(key, params) };
}
