import { choice, t, type Choice, type Prompt } from './intents.js';

/** A step that shows one message and offers to continue, plus any extra choices. */
export function infoPrompt(key: string, extra: readonly Choice[] = []): Prompt {
  return { text: [t(key)], choices: [choice('next', 'common.next'), ...extra] };
}

export const isChoice =
  (id: string) =>
  ({ event }: { event: { type: string; choice?: string } }) =>
    event.type === 'CHOOSE' && event.choice === id;
