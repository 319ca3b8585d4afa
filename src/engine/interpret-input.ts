import type { Choice, FlowId, FlowParams, GlobalCommand } from '../../machines/lib/intents.js';
import { GLOBAL_COMMANDS } from '../../machines/lib/intents.js';
import { matchKey } from '../text/normalize-input.js';

/** What the person's message means for the question they face. */
export type Interpretation =
  | { readonly type: 'command'; readonly command: GlobalCommand }
  | { readonly type: 'choose'; readonly choice: string }
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'stale' }
  | { readonly type: 'attachment'; readonly problem: AttachmentProblem | null; readonly bytes: Uint8Array | null }
  | { readonly type: 'not-understood' };

/** Why a file sent in the chat was not received: refused from its announcement, or the download failed. */
export type AttachmentProblem = 'too-large' | 'unsupported' | 'not-received';

/** The current question as numbered for the person. */
export interface NumberedQuestion {
  readonly choices: readonly Choice[];
  /** Labels of `choices` in the person's language, same order, for typed answers. */
  readonly choiceLabels: readonly string[];
  readonly freeText: boolean;
  /** What kind of typed answer the question expects, when the engine can help read it. */
  readonly answer?: 'date' | 'number';
  /** The person is writing to a volunteer: every word is for them but the menu's and "back". */
  readonly relay?: boolean;
  /** "Back" is offered as the number after the last choice. */
  readonly showBack: boolean;
  /** "Main menu" is offered as 0. */
  readonly showMenu: boolean;
  readonly token: string;
}

export type CommandWords = ReadonlyMap<string, GlobalCommand>;

/** Build the word → command table from every language's list, so "menu" works even in Arabic. */
export function buildCommandWords(wordsByCommand: (command: GlobalCommand) => string[]): CommandWords {
  const table = new Map<string, GlobalCommand>();
  for (const command of GLOBAL_COMMANDS) {
    for (const word of wordsByCommand(command)) {
      const key = matchKey(word);
      if (key) table.set(key, command);
    }
  }
  return table;
}

export type InboundInput =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'choice'; readonly token: string; readonly option: number }
  | { readonly kind: 'open' }
  /** Guichet itself opens a flow for the person (the volunteers closed: "Did this help?"). */
  | { readonly kind: 'start-flow'; readonly flow: FlowId; readonly params?: FlowParams }
  /** `bytes` downloaded by the engine before the turn; null with a problem. */
  | { readonly kind: 'attachment'; readonly problem: AttachmentProblem | null; readonly bytes: Uint8Array | null };

/**
 * Order of precedence: a tapped button; a global command word; a number shown
 * on screen; the words of an option. Where the question takes typed text, the
 * typed answer comes first (see `typedAnswer`).
 */
export function interpretInput(input: InboundInput, question: NumberedQuestion | undefined, commands: CommandWords): Interpretation {
  if (input.kind === 'open' || input.kind === 'start-flow') return { type: 'not-understood' };
  if (input.kind === 'attachment') return { type: 'attachment', problem: input.problem, bytes: input.bytes };
  if (input.kind === 'choice') {
    if (!question || input.token !== question.token) return { type: 'stale' };
    return byNumber(input.option, question) ?? { type: 'not-understood' };
  }
  const text = input.text;
  // Commands and option labels are a few words: a long text is never one, and is not
  // folded and compared at all (a flood of 4,000-character messages costs nothing here).
  const key = text.length > MAX_MATCHED_LENGTH ? '' : matchKey(text);
  const command = key ? commands.get(key) : undefined;
  if (question?.freeText) return typedAnswer(text, key, command, question);
  if (command) return { type: 'command', command };
  if (!question) return { type: 'not-understood' };
  if (/^\d{1,3}$/.test(key)) {
    const numbered = byNumber(Number(key), question);
    if (numbered) return numbered;
  }
  const labelIndex = labelMeant(key, question.choiceLabels);
  if (labelIndex >= 0) return { type: 'choose', choice: question.choices[labelIndex]!.id };
  // A step of a date question (the month): a whole date typed there goes to the machine,
  // which takes it or leaves it not understood.
  if (question.answer === 'date' && key) return { type: 'text', text };
  return { type: 'not-understood' };
}

/** Longer than any command word or option label in any language. */
export const MAX_MATCHED_LENGTH = 160;

/** Typed words shorter than this do not pick an option on their own ("de", "a", "my"). */
const MIN_WORD = 3;
/** Past this many words a text is a sentence, not a choice. */
const MAX_WORDS = 6;

/**
 * The option a typed text names: its whole label, or else the one option
 * whose label holds every typed word (or a word starting with it): "court",
 * "tribunal", "help desk". Nothing when several options fit.
 */
export function labelMeant(key: string, labels: readonly string[]): number {
  const whole = labels.findIndex((label) => matchKey(label) === key);
  if (whole >= 0) return whole;
  const words = key.split(' ').filter((w) => w.length >= MIN_WORD && !/^\d+$/.test(w));
  if (words.length === 0 || key.split(' ').length > MAX_WORDS) return -1;
  const fits = labels.flatMap((label, i) => {
    const labelWords = matchKey(label).split(/[\s,.:;!?()'’«»"-]+/);
    return words.every((w) => labelWords.some((lw) => lw.startsWith(w))) ? [i] : [];
  });
  return fits.length === 1 ? fits[0]! : -1;
}

/**
 * Where a question expects a typed answer (a day, a year, a name, a note),
 * what is typed is the answer: "1" is the 1st of the month, "stop" or
 * "accueil" a note or a place. Only `0` (the main menu) and the word for
 * "back" on its own navigate — and every command word where the answer is a
 * date or a number, which no word can be; a number shown beside a choice
 * still picks it.
 */
function typedAnswer(text: string, key: string, command: GlobalCommand | undefined, question: NumberedQuestion): Interpretation {
  if (key === '0' && question.showMenu) return { type: 'command', command: 'menu' };
  if (command === 'back') return { type: 'command', command: 'back' };
  if (question.relay) return command === 'menu' ? { type: 'command', command: 'menu' } : text.length > 0 ? { type: 'text', text } : { type: 'not-understood' };
  // A day, a year, a phone number, a code is never a word: here the word can only be the command.
  if (command && question.answer) return { type: 'command', command };
  if (/^\d{1,3}$/.test(key)) {
    const n = Number(key);
    if (n >= 1 && n <= question.choices.length) return { type: 'choose', choice: question.choices[n - 1]!.id };
  }
  // Where text is the answer, only a whole label picks an option ("Aucun nom" is a choice, "Nom" a name).
  const labelIndex = question.choiceLabels.findIndex((label) => matchKey(label) === key);
  if (labelIndex >= 0) return { type: 'choose', choice: question.choices[labelIndex]!.id };
  return text.length > 0 ? { type: 'text', text } : { type: 'not-understood' };
}

function byNumber(n: number, question: NumberedQuestion): Interpretation | undefined {
  if (n >= 1 && n <= question.choices.length) return { type: 'choose', choice: question.choices[n - 1]!.id };
  if (question.showBack && n === question.choices.length + 1) return { type: 'command', command: 'back' };
  if (question.showMenu && n === 0) return { type: 'command', command: 'menu' };
  return undefined;
}
