import { choice, t, type Choice, type Prompt } from './intents.js';

/** A step that shows one message: its own actions first, then "Next". */
export function infoPrompt(key: string, extra: readonly Choice[] = []): Prompt {
  return { text: [t(key)], choices: [...extra, choice('next', 'common.next')] };
}

export const isChoice =
  (id: string) =>
  ({ event }: { event: { type: string; choice?: string } }) =>
    event.type === 'CHOOSE' && event.choice === id;

/**
 * The question of a state that waits for the engine's answer within the same
 * turn (a list read from the store). It is only ever seen if that answer did
 * not come: the person can ask again.
 */
export function retryPrompt(): Prompt {
  return { text: [t('common.not_loaded')], choices: [choice('retry', 'common.try_again')] };
}
