import { choice, t, type Choice, type FlowParams, type Prompt } from './intents.js';
import { addDays } from './calendar.js';

/**
 * "When did it happen? Today / Yesterday / Another day": the last opens the
 * date overlay, whose answer comes back as a RESULT with this purpose.
 */
export const WHEN_CHOICES: readonly Choice[] = [
  choice('today', 'date.today'),
  choice('yesterday', 'date.yesterday'),
  choice('other', 'date.other_day'),
];

export function whenPrompt(questionKey: string): Prompt {
  return { text: [t(questionKey)], choices: WHEN_CHOICES };
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
