import { choice, t, type Choice, type FlowEvent, type FlowParams, type Intent, type Prompt } from './intents.js';
import { addDays } from './calendar.js';
import { parseFullDate } from './answers.js';

/**
 * "When did it happen? Today / Yesterday / Another day": the last opens the
 * date overlay, whose answer comes back as a RESULT with this purpose.
 */
export const WHEN_CHOICES: readonly Choice[] = [
  choice('today', 'date.today'),
  choice('yesterday', 'date.yesterday'),
  choice('other', 'date.other_day'),
];

/** A "when" question also takes the whole date typed (14/10/2026): people often answer that way. */
export function whenPrompt(questionKey: string, choices: readonly Choice[] = WHEN_CHOICES): Prompt {
  return { text: [t(questionKey)], choices, freeText: true, answer: 'date' };
}

/** A whole past date typed at a "when" question, or undefined. */
export function typedPastDate(event: FlowEvent): string | undefined {
  if (event.type !== 'TEXT') return undefined;
  const parsed = parseFullDate(event.text, event.today);
  return parsed.kind === 'date' && parsed.iso <= event.today ? parsed.iso : undefined;
}

/** The date an answer to a "when" question gives: a tap, a typed date, or the date overlay's result. */
export function whenDate(event: FlowEvent): string | undefined {
  if (event.type === 'RESULT' && event.result.kind === 'date') return event.result.date;
  if (event.type === 'CHOOSE') return quickDate(event.choice, event.today);
  return typedPastDate(event);
}

/** Why a typed answer to a "when" question was not taken, as a sentence to say. */
export function whenTypedProblem(event: FlowEvent): Intent {
  const parsed = event.type === 'TEXT' ? parseFullDate(event.text, event.today) : { kind: 'no-match' as const };
  const key = parsed.kind === 'impossible' ? 'date.impossible_typed' : parsed.kind === 'date' ? 'date.future_typed' : 'date.when_invalid';
  return { type: 'say', text: t(key) };
}

export function pastDateParams(purpose: string, confirmKey: string): FlowParams {
  return { purpose, ask: 'date.ask_day', confirm: confirmKey, allow: 'past' };
}

/** The date meant by a "today" or "yesterday" tap. */
export function quickDate(choiceId: string, today: string): string | undefined {
  if (choiceId === 'today') return today;
  if (choiceId === 'yesterday') return addDays(today, -1);
  return undefined;
}
