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
 * are; `date` is formatted in the reader's language; `key` is itself
 * translated (for example a month name or an outcome label).
 */
export type ParamValue =
  | string
  | number
  | { readonly date: string }
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
}

/**
 * The question a person is facing in the current state. `freeText` says the
 * machine also accepts typed text (a date, a name) besides the choices.
 */
export interface Prompt {
  readonly text: readonly Text[];
  readonly choices: readonly Choice[];
  readonly freeText?: boolean;
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
  | 'route.digital-help'
  | 'route.phone';

/** Commands a person can give at any point, by word or by number. */
export const GLOBAL_COMMANDS = ['menu', 'back', 'help', 'language', 'privacy', 'delete'] as const;
export type GlobalCommand = (typeof GLOBAL_COMMANDS)[number];

export type Intent =
  /** Send one message. */
  | { readonly type: 'say'; readonly text: Text }
  /** Leave this flow and start another one in its place. */
  | { readonly type: 'go'; readonly flow: FlowId }
  /** This flow was opened on top of another one: close it and resume below. */
  | { readonly type: 'finish' }
  /** Act as if the person had typed a global command. */
  | { readonly type: 'command'; readonly command: GlobalCommand }
  | { readonly type: 'set-language'; readonly language: Language }
  | { readonly type: 'save-call-log'; readonly log: CallLog }
  | { readonly type: 'show-call-logs' }
  | { readonly type: 'delete-person' };

/** Events the engine sends to every machine. `today` is YYYY-MM-DD in Paris time. */
export type FlowEvent =
  | { readonly type: 'CHOOSE'; readonly choice: string; readonly today: string }
  | { readonly type: 'TEXT'; readonly text: string; readonly today: string }
  | { readonly type: 'BACK'; readonly today: string };

/** Input every flow machine receives when it starts. */
export interface FlowInput {
  readonly today: string;
}

export function t(key: string, params?: Params): Text {
  return params ? { key, params } : { key };
}

export function choice(id: string, key: string, params?: Params): Choice {
  return { id, label: t(key, params) };
}
